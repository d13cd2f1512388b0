#include "sensor/dissect/http/dissector.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "sensor/dissect/http/message.h"
#include "sensor/dissect/observe.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::http {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

class HttpStream final : public StreamDissector {
 public:
  std::size_t OnData(Direction dir, std::span<const std::uint8_t> data,
                     std::int64_t time_unix_nanos, const FlowView& flow, Sink& sink) override {
    Side& side = sides_[Index(dir)];
    std::size_t consumed = 0;
    while (consumed < data.size() && side.mode != Mode::kDone) {
      const auto rest = data.subspan(consumed);
      switch (side.mode) {
        case Mode::kHead: {
          Head head;
          const ParseStatus status = ParseHead(rest, head, side.scanned);
          if (status == ParseStatus::kIncomplete) return consumed;
          if (status == ParseStatus::kInvalid) {
            side.mode = Mode::kDone;
            break;
          }
          consumed += head.size;
          OnHead(dir, head, time_unix_nanos, flow, sink);
          break;
        }
        case Mode::kBody: {
          const std::size_t n =
              static_cast<std::size_t>(std::min<std::uint64_t>(side.remaining, rest.size()));
          side.remaining -= n;
          consumed += n;
          if (side.remaining == 0) side.mode = side.after_body;
          break;
        }
        case Mode::kChunkLine: {
          bool incomplete = false;
          const auto chunk = ParseChunkLine(rest, incomplete);
          if (!chunk) {
            if (incomplete) return consumed;
            side.mode = Mode::kDone;
            break;
          }
          consumed += chunk->line_bytes;
          // A chunk's data is followed by CR LF; the last chunk (size 0) by trailer lines and
          // an empty line (RFC 9112 section 7.1).
          side.remaining = chunk->size + 2;
          side.after_body = Mode::kChunkLine;
          side.mode = chunk->size == 0 ? Mode::kTrailer : Mode::kBody;
          break;
        }
        case Mode::kTrailer: {
          const auto nl = std::find(rest.begin(), rest.end(), '\n');
          if (nl == rest.end()) {
            if (rest.size() < 1024) return consumed;
            side.mode = Mode::kDone;
            break;
          }
          const auto length = static_cast<std::size_t>(nl - rest.begin()) + 1;
          consumed += length;
          if (length <= 2) side.mode = Next(side);  // The empty line after the trailers.
          break;
        }
        case Mode::kDone:
          break;
      }
    }
    return side.mode == Mode::kDone ? data.size() : consumed;
  }

  void OnGap(Direction dir) override { sides_[Index(dir)].mode = Mode::kDone; }

  bool Finished() const override {
    return sides_[0].mode == Mode::kDone && sides_[1].mode == Mode::kDone;
  }

 private:
  enum class Mode : std::uint8_t { kHead, kBody, kChunkLine, kTrailer, kDone };

  struct Side {
    Mode mode = Mode::kHead;
    Mode after_body = Mode::kHead;
    std::uint64_t remaining = 0;
    std::size_t scanned = 0;
    std::size_t heads = 0;
  };

  static std::size_t Index(Direction dir) { return static_cast<std::size_t>(dir); }

  static Mode Next(const Side& side) {
    return side.heads >= kMaxExchanges ? Mode::kDone : Mode::kHead;
  }

  void OnHead(Direction dir, const Head& head, std::int64_t time, const FlowView& flow,
              Sink& sink) {
    Side& side = sides_[Index(dir)];
    ++side.heads;
    std::vector<model::Fact> facts;
    bool no_body = false;
    bool until_close = false;
    if (head.request) {
      AddFact("http.method", head.method, facts);
      AddFact("http.host", head.host, facts);
      AddFact("http.user_agent", head.user_agent, facts);
      if (head_requests_.size() < kMaxExchanges) {
        head_requests_.push_back(head.method == "HEAD");
      }
      if (head.method == "CONNECT") until_close = true;  // A tunnel follows.
      if (!basic_auth_reported_ && EqualsIgnoreCase(head.authorization_scheme, "basic")) {
        basic_auth_reported_ = true;
        ReportSide(sink, flow, FlowSide::kClient,
                   {
                       .time_unix_nanos = time,
                       .kind = "cleartext_basic_auth",
                       .protocol = "http",
                       .severity = model::FindingSeverity::kHigh,
                       .detail = "http basic credentials sent in clear text to host " +
                                 SafeText(head.host.empty() ? "(none)" : head.host, 128),
                   });
      }
    } else {
      AddFact("http.server", head.server, facts);
      // RFC 9112 section 6.3: responses to HEAD, 1xx, 204 and 304 have no body.
      const bool to_head = responses_ < head_requests_.size() && head_requests_[responses_];
      if (head.status >= 100 && head.status < 200) {
        until_close = head.status == 101;  // Switching protocols: not HTTP any more.
        --side.heads;                      // An interim response: the final one follows.
      } else {
        ++responses_;
      }
      no_body = to_head || head.status < 200 || head.status == 204 || head.status == 304;
      if (!no_body && !head.chunked && !head.content_length) until_close = true;
    }
    ObserveSide(sink, "http", flow, SenderOf(dir), time, std::move(facts));
    if (until_close) {
      side.mode = Mode::kDone;
    } else if (no_body) {
      side.mode = Next(side);
    } else if (head.chunked) {
      side.mode = Mode::kChunkLine;
    } else if (head.content_length.value_or(0) > 0) {
      side.mode = Mode::kBody;
      side.remaining = *head.content_length;
      side.after_body = Next(side);
    } else {
      side.mode = Next(side);
    }
  }

  void AddFact(std::string_view key, std::string_view raw, std::vector<model::Fact>& facts) {
    if (raw.empty()) return;
    std::string value = SafeText(raw);
    std::string seen = std::string(key) + '=' + value;
    if (std::find(emitted_.begin(), emitted_.end(), seen) != emitted_.end()) return;
    if (emitted_.size() >= kMaxFactsPerConnection) return;
    emitted_.push_back(std::move(seen));
    facts.push_back({.key = std::string(key), .value = std::move(value)});
  }

  std::array<Side, 2> sides_;
  std::vector<std::string> emitted_;  // "key=value" of the facts already observed.
  std::vector<bool> head_requests_;   // Per request, in order: was it HEAD?
  std::size_t responses_ = 0;
  bool basic_auth_reported_ = false;
};

bool StartsWithMethod(std::span<const std::uint8_t> payload) {
  std::size_t i = 0;
  while (i < payload.size() && i < 10 && payload[i] >= 'A' && payload[i] <= 'Z') ++i;
  if (i == 0 || i >= payload.size() || payload[i] != ' ') return false;
  return IsKnownMethod({reinterpret_cast<const char*>(payload.data()), i});
}

bool Probe(std::span<const std::uint8_t> payload, const ProbeContext& context) {
  if (context.direction == Direction::kServerToClient) {
    static constexpr std::string_view kVersion = "HTTP/1.";
    return payload.size() >= kVersion.size() &&
           std::equal(kVersion.begin(), kVersion.end(), payload.begin());
  }
  return StartsWithMethod(payload);
}

std::unique_ptr<StreamDissector> MakeStream() { return std::make_unique<HttpStream>(); }

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "http",
      .transport = Transport::kTcp,
      .probe = &Probe,
      .make_stream = &MakeStream,
  };
  return info;
}

}  // namespace vigil::sensor::http
