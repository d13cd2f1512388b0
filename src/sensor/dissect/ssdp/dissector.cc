#include "sensor/dissect/ssdp/dissector.h"

#include <string>
#include <utility>

#include "sensor/dissect/ssdp/message.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::ssdp {
namespace {

bool IsGroupAddress(const IpAddress& ip) {
  const auto bytes = ip.bytes();
  if (!ip.is_v4()) return bytes[0] == 0xFF;
  return (bytes[0] >= 224 && bytes[0] <= 239) || bytes[3] == 255;
}

model::Endpoint Source(const Packet& packet) {
  model::Endpoint endpoint{.ip = packet.src_ip};
  if (packet.has_ethernet) endpoint.mac = packet.src_mac;
  return endpoint;
}

model::Endpoint Destination(const Packet& packet) {
  model::Endpoint endpoint{.ip = packet.dst_ip};
  if (packet.has_ethernet) endpoint.mac = packet.dst_mac;
  return endpoint;
}

void Add(std::vector<model::Fact>& facts, std::string_view key, std::string_view value) {
  if (!value.empty()) facts.push_back({.key = std::string(key), .value = SafeText(value)});
}

bool Probe(std::span<const std::uint8_t> payload, const ProbeContext& /*context*/) {
  return LooksLikeSsdp(payload);
}

void DissectPacket(const Packet& packet, Sink& sink) {
  const auto message = ParseSsdp(packet.payload);
  if (!message) return;
  model::Observation observation{.time_unix_nanos = packet.time_unix_nanos,
                                 .protocol = "ssdp",
                                 .subject = Source(packet),
                                 .vlan = packet.vlan};
  if (!IsGroupAddress(packet.dst_ip)) observation.peer = Destination(packet);
  auto& facts = observation.facts;
  Add(facts, "ssdp.message", KindName(message->kind));
  Add(facts, "ssdp.server", message->server);
  Add(facts, "ssdp.user_agent", message->user_agent);
  if (message->kind == Kind::kSearch) {
    Add(facts, "ssdp.search_target", message->st);
  } else {
    Add(facts, "ssdp.usn", message->usn);
    Add(facts, "ssdp.nt", message->nt);
    Add(facts, "ssdp.nts", message->nts);
    Add(facts, "ssdp.st", message->st);
    std::string_view type = DeviceType(message->nt);
    if (type.empty()) type = DeviceType(message->st);
    if (type.empty()) type = DeviceType(message->usn);
    Add(facts, "ssdp.device_type", type);
    Add(facts, "ssdp.location", message->location);
  }
  sink.Observe(std::move(observation));
}

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "ssdp",
      .transport = Transport::kUdp,
      .probe = &Probe,
      .dissect_packet = &DissectPacket,
  };
  return info;
}

}  // namespace vigil::sensor::ssdp
