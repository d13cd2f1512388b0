#include "sensor/dissect/ftp/dissector.h"

#include <array>
#include <string>

#include "sensor/decode/byte_reader.h"
#include "sensor/dissect/ftp/message.h"
#include "sensor/dissect/observe.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::ftp {
namespace {

using Bytes = std::span<const std::uint8_t>;

constexpr std::uint16_t kFtpPort = 21;
constexpr int kGreeting = 220;
constexpr int kAuthAccepted = 234;  // RFC 4217 section 4.

bool Probe(Bytes payload, const ProbeContext& context) {
  return LooksLikeFtp(AsText(payload)) || context.server_port == kFtpPort;
}

class FtpStream final : public StreamDissector {
 public:
  std::size_t OnData(Direction dir, Bytes data, std::int64_t time, const FlowView& flow,
                     Sink& sink) override {
    Side& side = sides_[dir == Direction::kClientToServer ? 0 : 1];
    std::string_view text = AsText(data);
    std::size_t consumed = 0;
    while (!finished_ && side.scanned < kMaxScanBytes) {
      std::size_t end = text.find('\n', consumed);
      if (end == std::string_view::npos) {
        if (text.size() - consumed <= kMaxLineBytes) break;  // Wait for the rest of the line.
        side.skipping = true;                                // Too long: drop it up to its end.
        side.scanned += text.size() - consumed;
        consumed = text.size();
        break;
      }
      std::string_view line = text.substr(consumed, end - consumed);
      side.scanned += end + 1 - consumed;
      consumed = end + 1;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (side.skipping) {
        side.skipping = false;
        continue;
      }
      if (dir == Direction::kClientToServer) {
        OnCommand(line, time, flow, sink);
      } else {
        OnReply(line, time, flow, sink);
      }
    }
    if (finished_ || side.scanned >= kMaxScanBytes) return data.size();
    return consumed;
  }

  void OnGap(Direction dir) override {
    sides_[dir == Direction::kClientToServer ? 0 : 1].scanned = kMaxScanBytes;
  }

  bool Finished() const override {
    return finished_ || (greeted_ && reported_login_) ||
           (sides_[0].scanned >= kMaxScanBytes && sides_[1].scanned >= kMaxScanBytes);
  }

 private:
  struct Side {
    std::size_t scanned = 0;
    bool skipping = false;
  };

  void OnCommand(std::string_view line, std::int64_t time, const FlowView& flow, Sink& sink) {
    Command command = ParseCommand(line);
    if (command == Command::kAuthTls) {
      auth_requested_ = true;
    } else if ((command == Command::kUser || command == Command::kPass) && !reported_login_) {
      reported_login_ = true;
      ReportSide(sink, flow, FlowSide::kServer,
                 {.time_unix_nanos = time,
                  .kind = "cleartext_login",
                  .protocol = "ftp",
                  .severity = model::FindingSeverity::kHigh,
                  .detail = command == Command::kUser ? "ftp USER sent in clear text"
                                                      : "ftp PASS sent in clear text"});
    }
  }

  void OnReply(std::string_view line, std::int64_t time, const FlowView& flow, Sink& sink) {
    auto reply = ParseReply(line);
    if (!reply) return;
    if (reply->code == kGreeting && !greeted_) {
      greeted_ = true;
      Observe(time, flow, sink, {"ftp.banner", SafeText(reply->text)});
    } else if (reply->code == kAuthAccepted && auth_requested_) {
      Observe(time, flow, sink, {"ftp.tls", "true"});
      finished_ = true;  // TLS from the next byte on.
    }
  }

  static void Observe(std::int64_t time, const FlowView& flow, Sink& sink, model::Fact fact) {
    ObserveSide(sink, "ftp", flow, FlowSide::kServer, time, {std::move(fact)});
  }

  std::array<Side, 2> sides_;
  bool greeted_ = false;
  bool reported_login_ = false;
  bool auth_requested_ = false;
  bool finished_ = false;
};

std::unique_ptr<StreamDissector> MakeStream() { return std::make_unique<FtpStream>(); }

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "ftp", .transport = Transport::kTcp, .probe = Probe, .make_stream = MakeStream};
  return info;
}

}  // namespace vigil::sensor::ftp
