#include "sensor/dissect/nbns/dissector.h"

#include <algorithm>
#include <string>
#include <utility>

#include "sensor/dissect/nbns/message.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::nbns {
namespace {

constexpr std::size_t kMaxFacts = 32;
constexpr std::uint16_t kNameServicePort = 137;

class Facts {
 public:
  explicit Facts(std::vector<model::Fact>& facts) : facts_(facts) {}
  void Add(std::string_view key, const std::string& value) {
    if (facts_.size() == kMaxFacts) return;
    model::Fact fact{.key = std::string(key), .value = SafeText(value)};
    if (std::find(facts_.begin(), facts_.end(), fact) == facts_.end()) {
      facts_.push_back(std::move(fact));
    }
  }

 private:
  std::vector<model::Fact>& facts_;
};

bool IsBroadcast(const IpAddress& ip) {
  return ip.is_v4() && (ip.v4_host_order() == 0xFFFFFFFF || (ip.v4_host_order() & 0xFF) == 0xFF);
}

model::Endpoint Source(const Packet& packet, std::uint16_t port) {
  model::Endpoint endpoint{.ip = packet.src_ip, .port = port};
  if (packet.has_ethernet) endpoint.mac = packet.src_mac;
  return endpoint;
}

bool Probe(std::span<const std::uint8_t> payload, const ProbeContext& /*context*/) {
  if (payload.size() < kHeaderSize + 1 + kEncodedNameSize) return false;
  const std::uint8_t opcode = (payload[2] >> 3) & 0x0F;
  const bool known = opcode == kOpQuery || (opcode >= kOpRegistration && opcode <= kOpRefreshAlt) ||
                     opcode == kOpMultiHomed;
  return known && LooksLikeEncodedName(payload.subspan(kHeaderSize));
}

void Emit(const Packet& packet, model::Endpoint subject, std::vector<model::Fact> facts,
          Sink& sink) {
  if (facts.empty()) return;
  sink.Observe(model::Observation{.time_unix_nanos = packet.time_unix_nanos,
                                  .protocol = "nbns",
                                  .subject = std::move(subject),
                                  .vlan = packet.vlan,
                                  .facts = std::move(facts)});
}

// A positive name query response: one observation per address the answers name.
void DissectAnswers(const Packet& packet, const Message& message, Sink& sink) {
  for (const auto& record : message.records()) {
    if (record.type != kTypeNb) continue;
    ForEachNbEntry(record.data, 4, [&](const NbEntry& entry) {
      model::Endpoint subject{.ip = IpAddress::V4(entry.address)};
      if (subject.ip == packet.src_ip) subject = Source(packet, kNameServicePort);
      std::vector<model::Fact> facts;
      Facts(facts).Add(entry.group ? "nbns.group" : "nbns.name", NameText(record.name));
      Emit(packet, std::move(subject), std::move(facts), sink);
    });
  }
}

void DissectNodeStatus(const Packet& packet, const Record& record, Sink& sink) {
  const NodeStatus status = ParseNodeStatus(record.data);
  std::vector<model::Fact> facts;
  Facts add(facts);
  for (const auto& entry : status.entries()) {
    add.Add(entry.group ? "nbns.group" : "nbns.name", NameText(entry.name));
  }
  if (status.has_unit_id) add.Add("nbns.unit_id", MacAddress(status.unit_id).ToString());
  Emit(packet, Source(packet, kNameServicePort), std::move(facts), sink);
}

void DissectPacket(const Packet& packet, Sink& sink) {
  const auto message = ParseNbns(packet.payload);
  if (!message) return;
  const std::uint8_t opcode = message->opcode();
  if (!message->response()) {
    std::vector<model::Fact> facts;
    Facts add(facts);
    if (opcode == kOpQuery) {
      for (const auto& question : message->questions()) {
        add.Add("nbns.query", NameText(question.name));
      }
    } else if (opcode == kOpRegistration || opcode == kOpRefresh || opcode == kOpRefreshAlt ||
               opcode == kOpMultiHomed) {
      // RFC 1002 section 4.2.2: the additional record's NB_FLAGS say unique or group.
      bool group = false;
      for (const auto& record : message->records()) {
        if (record.type == kTypeNb)
          ForEachNbEntry(record.data, 1, [&](const NbEntry& e) { group = e.group; });
      }
      for (const auto& question : message->questions()) {
        add.Add(group ? "nbns.group" : "nbns.name", NameText(question.name));
      }
    }
    auto subject = Source(packet, 0);
    if (!facts.empty() && !IsBroadcast(packet.dst_ip) && opcode == kOpQuery) {
      sink.Observe(
          model::Observation{.time_unix_nanos = packet.time_unix_nanos,
                             .protocol = "nbns",
                             .subject = std::move(subject),
                             .peer = model::Endpoint{.ip = packet.dst_ip, .port = packet.dst_port},
                             .vlan = packet.vlan,
                             .facts = std::move(facts)});
      return;
    }
    Emit(packet, std::move(subject), std::move(facts), sink);
    return;
  }
  if (opcode != kOpQuery || message->rcode() != 0) return;
  for (const auto& record : message->records()) {
    if (record.type == kTypeNbstat) {
      DissectNodeStatus(packet, record, sink);
      return;
    }
  }
  DissectAnswers(packet, *message, sink);
}

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "nbns",
      .transport = Transport::kUdp,
      .probe = &Probe,
      .dissect_packet = &DissectPacket,
  };
  return info;
}

}  // namespace vigil::sensor::nbns
