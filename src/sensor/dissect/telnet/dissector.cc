#include "sensor/dissect/telnet/dissector.h"

#include <algorithm>
#include <string>

#include "sensor/dissect/observe.h"
#include "sensor/dissect/telnet/message.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::telnet {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint16_t kTelnetPort = 23;

bool Probe(Bytes payload, const ProbeContext& context) {
  return StartsWithNegotiation(payload) || context.server_port == kTelnetPort;
}

class TelnetStream final : public StreamDissector {
 public:
  std::size_t OnData(Direction dir, Bytes data, std::int64_t time, const FlowView& flow,
                     Sink& sink) override {
    const bool from_server = dir == Direction::kServerToClient;
    std::size_t& seen = from_server ? server_bytes_ : client_bytes_;
    Bytes rest = data.first(std::min(data.size(), kMaxScanBytes - std::min(seen, kMaxScanBytes)));
    seen += rest.size();
    if (!from_server) {
      std::size_t consumed = 0;
      while (!rest.empty()) {
        client_.Scan(rest, consumed);
        rest = rest.subspan(consumed);
      }
      return data.size();
    }
    while (!rest.empty() && !prompted_) {
      std::size_t consumed = 0;
      Event event = server_.Scan(rest, consumed);
      rest = rest.subspan(consumed);
      if (event == Event::kLine && !client_.text_seen()) {
        Observe(time, flow, sink, {"telnet.banner", SafeText(server_.line())});
      } else if (event == Event::kPrompt) {
        prompted_ = true;
        Observe(time, flow, sink, {"telnet.login_prompt", std::string(server_.prompt())});
        ReportSide(sink, flow, FlowSide::kServer,
                   {.time_unix_nanos = time,
                    .kind = "cleartext_login",
                    .protocol = "telnet",
                    .severity = model::FindingSeverity::kHigh,
                    .detail = "telnet login prompt \"" + std::string(server_.prompt()) +
                              "\" sent in clear text"});
      }
    }
    return data.size();
  }

  void OnGap(Direction dir) override {
    if (dir == Direction::kServerToClient) server_bytes_ = kMaxScanBytes;
  }

  bool Finished() const override { return prompted_ || server_bytes_ >= kMaxScanBytes; }

 private:
  static void Observe(std::int64_t time, const FlowView& flow, Sink& sink, model::Fact fact) {
    ObserveSide(sink, "telnet", flow, FlowSide::kServer, time, {std::move(fact)});
  }

  TelnetScanner server_;
  TelnetScanner client_;
  std::size_t server_bytes_ = 0;
  std::size_t client_bytes_ = 0;
  bool prompted_ = false;
};

std::unique_ptr<StreamDissector> MakeStream() { return std::make_unique<TelnetStream>(); }

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "telnet", .transport = Transport::kTcp, .probe = Probe, .make_stream = MakeStream};
  return info;
}

}  // namespace vigil::sensor::telnet
