#include "sensor/dissect/bacnet/dissector.h"

#include <string>

#include "sensor/dissect/bacnet/message.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::bacnet {
namespace {

using Bytes = std::span<const std::uint8_t>;

// Clause 21 BACnetPropertyIdentifier values that identify a device.
constexpr std::uint32_t kPropertyApplicationVersion = 12;
constexpr std::uint32_t kPropertyFirmwareRevision = 44;
constexpr std::uint32_t kPropertyModelName = 70;
constexpr std::uint32_t kPropertyObjectIdentifier = 75;
constexpr std::uint32_t kPropertyObjectName = 77;
constexpr std::uint32_t kPropertyVendorIdentifier = 120;
constexpr std::uint32_t kPropertyVendorName = 121;

bool Probe(Bytes p, const ProbeContext& /*context*/) {
  if (p.size() < 4 || p[0] != kBvlcType || p[1] > 0x0c) return false;
  if (static_cast<std::size_t>((p[2] << 8) | p[3]) != p.size()) return false;
  std::size_t npdu = p[1] == kForwardedNpdu ? 10 : p[1] >= 0x09 && p[1] <= 0x0b ? 4 : 0;
  return npdu == 0 || (p.size() > npdu + 1 && p[npdu] == 1);
}

std::string_view PropertyKey(std::uint32_t property) {
  switch (property) {
    case kPropertyApplicationVersion:
      return "bacnet.application_version";
    case kPropertyFirmwareRevision:
      return "bacnet.firmware_revision";
    case kPropertyModelName:
      return "bacnet.model_name";
    case kPropertyObjectName:
      return "bacnet.object_name";
    case kPropertyVendorName:
      return "bacnet.vendor_name";
    case kPropertyVendorIdentifier:
      return "bacnet.vendor_id";
    default:
      return {};
  }
}

void AddPropertyFact(const PropertyValue& property, std::vector<model::Fact>& facts) {
  if (property.object_type != kObjectDevice || property.value.empty()) return;
  if (property.property == kPropertyObjectIdentifier) {
    // "8:1234": the device instance is the part after the type.
    auto colon = property.value.find(':');
    if (colon != std::string::npos) {
      facts.push_back({"bacnet.device_instance", property.value.substr(colon + 1)});
    }
    return;
  }
  std::string_view key = PropertyKey(property.property);
  if (!key.empty()) facts.push_back({std::string(key), SafeText(property.value)});
}

model::Endpoint Sender(const BacnetMessage& message, const Packet& packet) {
  if (message.forwarded_ip) {
    return {.ip = IpAddress::V4(*message.forwarded_ip), .port = message.forwarded_port};
  }
  model::Endpoint endpoint{.ip = packet.src_ip, .port = packet.src_port};
  if (packet.has_ethernet) endpoint.mac = packet.src_mac;
  return endpoint;
}

model::Endpoint Receiver(const Packet& packet) {
  model::Endpoint endpoint{.ip = packet.dst_ip, .port = packet.dst_port};
  if (packet.has_ethernet) endpoint.mac = packet.dst_mac;
  return endpoint;
}

void DissectPacket(const Packet& packet, Sink& sink) {
  const auto message = ParseBacnet(packet.payload);
  if (!message) return;
  model::Observation o{.time_unix_nanos = packet.time_unix_nanos,
                       .protocol = "bacnet",
                       .subject = Sender(*message, packet),
                       .peer = Receiver(packet),
                       .vlan = packet.vlan};
  o.facts.push_back(
      {"bacnet.bvlc_function", std::string(BvlcFunctionName(message->bvlc_function))});
  if (message->network_message) {
    o.facts.push_back({"bacnet.network_message", std::to_string(*message->network_message)});
  }
  if (message->has_apdu) {
    o.facts.push_back({"bacnet.apdu_type", std::string(ApduTypeName(message->apdu_type))});
    if (message->service) {
      o.facts.push_back({"bacnet.service", ServiceName(message->apdu_type, *message->service)});
    }
  }
  if (message->i_am && message->i_am->object_type == kObjectDevice) {
    o.facts.push_back({"bacnet.device_instance", std::to_string(message->i_am->instance)});
    o.facts.push_back({"bacnet.vendor_id", std::to_string(message->i_am->vendor_id)});
  }
  if (message->property) AddPropertyFact(*message->property, o.facts);
  sink.Observe(std::move(o));
}

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{.name = "bacnet",
                                  .transport = Transport::kUdp,
                                  .probe = Probe,
                                  .dissect_packet = DissectPacket};
  return info;
}

}  // namespace vigil::sensor::bacnet
