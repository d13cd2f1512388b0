#include "sensor/dissect/mqtt/dissector.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "sensor/dissect/mqtt/message.h"
#include "sensor/dissect/observe.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::mqtt {
namespace {

class MqttStream final : public StreamDissector {
 public:
  std::size_t OnData(Direction dir, std::span<const std::uint8_t> data,
                     std::int64_t time_unix_nanos, const FlowView& flow, Sink& sink) override {
    Side& side = sides_[Index(dir)];
    std::size_t consumed = 0;
    while (consumed < data.size() && !side.lost) {
      if (side.skip > 0) {  // The unread rest of a large packet.
        const std::size_t n = std::min<std::size_t>(side.skip, data.size() - consumed);
        side.skip -= n;
        consumed += n;
        continue;
      }
      const auto rest = data.subspan(consumed);
      FixedHeader header;
      const HeaderStatus status = ReadFixedHeader(rest, header);
      if (status == HeaderStatus::kIncomplete) break;
      if (status == HeaderStatus::kInvalid) {
        side.lost = true;
        break;
      }
      const std::size_t total = header.header_bytes + std::size_t{header.remaining_length};
      const std::size_t parsed = std::min<std::size_t>(header.remaining_length, kMaxParsedBytes);
      if (rest.size() < header.header_bytes + parsed) break;  // Wait for what is read.
      OnPacket(dir, header, rest.subspan(header.header_bytes, parsed), time_unix_nanos, flow, sink);
      side.skip = total;
    }
    return side.lost ? data.size() : consumed;
  }

  // The packet stream has no markers to find again after lost bytes.
  void OnGap(Direction dir) override { sides_[Index(dir)].lost = true; }

  bool Finished() const override {
    return (sides_[0].lost && sides_[1].lost) ||
           (connect_seen_ && connack_seen_ && topics_.size() >= kMaxTopics);
  }

 private:
  struct Side {
    std::uint64_t skip = 0;
    bool lost = false;
  };

  static std::size_t Index(Direction dir) { return static_cast<std::size_t>(dir); }

  void OnPacket(Direction dir, const FixedHeader& header, std::span<const std::uint8_t> body,
                std::int64_t time, const FlowView& flow, Sink& sink) {
    const bool from_client = dir == Direction::kClientToServer;
    std::vector<model::Fact> facts;
    auto add = [&](std::string_view key, std::string_view value) {
      facts.push_back({.key = std::string(key), .value = SafeText(value)});
    };
    switch (static_cast<PacketType>(header.type)) {
      case PacketType::kConnect: {
        if (!from_client || connect_seen_) break;
        const auto connect = ParseConnect(body);
        if (!connect) break;
        connect_seen_ = true;
        level_ = connect->level;
        add("mqtt.protocol_name", connect->protocol_name);
        add("mqtt.protocol_version", VersionName(connect->level));
        add("mqtt.client_id", connect->client_id);
        add("mqtt.keepalive", std::to_string(connect->keepalive));
        add("mqtt.username_flag", connect->username ? "true" : "false");
        add("mqtt.password_flag", connect->password ? "true" : "false");
        if (connect->password) {
          ReportSide(sink, flow, FlowSide::kClient,
                     {
                         .time_unix_nanos = time,
                         .kind = "cleartext_credentials",
                         .protocol = "mqtt",
                         .severity = model::FindingSeverity::kHigh,
                         .detail = "mqtt client '" + SafeText(connect->client_id, 64) +
                                   "' sent a password in clear text",
                     });
        }
        break;
      }
      case PacketType::kConnack: {
        if (from_client || connack_seen_) break;
        const auto connack = ParseConnack(body);
        if (!connack) break;
        connack_seen_ = true;
        const std::string_view name = ConnackCodeName(connack->code, level_);
        add("mqtt.connack", name.empty() ? "code_" + std::to_string(connack->code) : name);
        break;
      }
      case PacketType::kPublish:
        if (const auto topic = ParsePublishTopic(body)) {
          AddTopic(from_client, "mqtt.publish_topic", *topic, facts);
        }
        break;
      case PacketType::kSubscribe:
        if (!from_client) break;
        if (const auto topics = ParseSubscribeTopics(body, level_, kMaxTopics)) {
          for (const auto& topic : *topics)
            AddTopic(from_client, "mqtt.subscribe_topic", topic, facts);
        }
        break;
      default:
        break;
    }
    ObserveSide(sink, "mqtt", flow, SenderOf(dir), time, std::move(facts));
  }

  // Distinct per sender: a topic both sides publish on is observed for each.
  void AddTopic(bool from_client, std::string_view key, std::string_view raw,
                std::vector<model::Fact>& facts) {
    if (topics_.size() >= kMaxTopics) return;
    std::string seen = (from_client ? "c " : "s ") + std::string(key) + '=' + std::string(raw);
    if (std::find(topics_.begin(), topics_.end(), seen) != topics_.end()) return;
    topics_.push_back(std::move(seen));
    facts.push_back({.key = std::string(key), .value = SafeText(raw)});
  }

  std::array<Side, 2> sides_;
  std::vector<std::string> topics_;  // "c key=topic" of the topics already observed.
  std::uint8_t level_ = 4;           // From CONNECT; 3.1.1 until one is seen.
  bool connect_seen_ = false;
  bool connack_seen_ = false;
};

// 3.1.1 section 3.1: CONNECT is 0x10, a Remaining Length of one to four bytes, then the
// protocol name as a length-prefixed string.
bool Probe(std::span<const std::uint8_t> payload, const ProbeContext& /*context*/) {
  if (payload.empty() || payload[0] != 0x10) return false;
  FixedHeader header;
  if (ReadFixedHeader(payload, header) != HeaderStatus::kOk || header.remaining_length < 10) {
    return false;
  }
  const auto name = payload.subspan(header.header_bytes);
  auto is = [&](std::string_view expected) {
    return name.size() >= expected.size() &&
           std::equal(expected.begin(), expected.end(), name.begin());
  };
  return is(std::string_view("\0\4MQTT", 6)) || is(std::string_view("\0\6MQIsdp", 8));
}

std::unique_ptr<StreamDissector> MakeStream() { return std::make_unique<MqttStream>(); }

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "mqtt",
      .transport = Transport::kTcp,
      .probe = &Probe,
      .make_stream = &MakeStream,
  };
  return info;
}

}  // namespace vigil::sensor::mqtt
