#include "sensor/dissect/dns/dissector.h"

#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "sensor/dissect/dns/message.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::dns {
namespace {

constexpr std::uint16_t kDnsPort = 53;
constexpr std::uint16_t kMdnsPort = 5353;
constexpr std::uint16_t kLlmnrPort = 5355;
constexpr std::uint16_t kNetbiosPort = 137;
constexpr std::size_t kMaxFacts = 48;
constexpr std::size_t kMaxTextStrings = 32;

enum class Flavor : std::uint8_t { kDns, kMdns, kLlmnr };

Flavor FlavorOf(std::uint16_t a, std::uint16_t b) {
  if (a == kMdnsPort || b == kMdnsPort) return Flavor::kMdns;
  if (a == kLlmnrPort || b == kLlmnrPort) return Flavor::kLlmnr;
  return Flavor::kDns;
}

bool IsMulticast(const IpAddress& ip) {
  const auto bytes = ip.bytes();
  if (ip.is_v4()) return (bytes[0] >= 224 && bytes[0] <= 239) || ip.v4_host_order() == 0xFFFFFFFF;
  return bytes[0] == 0xFF;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return (x >= 'A' && x <= 'Z' ? x + 32 : x) == (y >= 'A' && y <= 'Z' ? y + 32 : y);
  });
}

// TXT keys that name a device's maker or model (IPP Everywhere, AirPlay, Google Cast, HAP).
bool IsKeyOfInterest(std::string_view key) {
  static constexpr std::array<std::string_view, 11> kKeys = {
      "model", "mdl",     "manufacturer", "mfg", "usb_MFG", "usb_MDL",
      "ty",    "product", "md",           "am",  "vendor"};
  return std::any_of(kKeys.begin(), kKeys.end(),
                     [&](std::string_view k) { return EqualsIgnoreCase(k, key); });
}

// A DNS-SD service type or subtype: "_ipp._tcp.local" (RFC 6763 section 7).
bool IsServiceType(std::string_view name) {
  return name.starts_with('_') && (name.find("._tcp.") != std::string_view::npos ||
                                   name.find("._udp.") != std::string_view::npos);
}

std::string RcodeName(std::uint8_t rcode) {
  switch (rcode) {
    case 2:
      return "servfail";
    case 3:
      return "nxdomain";
    case 5:
      return "refused";
    default:
      return std::to_string(rcode);
  }
}

class Facts {
 public:
  explicit Facts(std::vector<model::Fact>& facts) : facts_(facts) {}
  void Add(std::string_view key, std::string value) {
    if (facts_.size() == kMaxFacts) return;
    model::Fact fact{.key = std::string(key), .value = SafeText(value)};
    if (std::find(facts_.begin(), facts_.end(), fact) != facts_.end()) return;
    facts_.push_back(std::move(fact));
  }
  bool full() const { return facts_.size() == kMaxFacts; }

 private:
  std::vector<model::Fact>& facts_;
};

void AddRecord(const Message& message, const Record& record, Flavor flavor, const Packet& packet,
               Facts& facts) {
  const auto owner = DecodeName(message.bytes, record.name_offset);
  if (!owner) return;
  switch (record.type) {
    case kTypeA:
    case kTypeAaaa:
      if (const auto address = AddressOf(message, record)) {
        facts.Add("dns.answer", *owner + " -> " + address->ToString());
        if (flavor != Flavor::kDns && *address == packet.src_ip) facts.Add("dns.hostname", *owner);
      }
      break;
    case kTypeCname:
      if (const auto target = TargetOf(message, record)) {
        facts.Add("dns.cname", *owner + " -> " + *target);
      }
      break;
    case kTypePtr:
      if (const auto target = TargetOf(message, record)) {
        if (EqualsIgnoreCase(*owner, "_services._dns-sd._udp.local")) {
          facts.Add("dns.service", *target);
        } else if (IsServiceType(*owner)) {
          facts.Add("dns.service", *owner);
          facts.Add("dns.instance", *target);
        } else {
          facts.Add("dns.ptr", *owner + " -> " + *target);
        }
      }
      break;
    case kTypeSrv:
      if (const auto service = ServiceOf(message, record)) {
        facts.Add("dns.srv",
                  *owner + " -> " + service->target + ":" + std::to_string(service->port));
      }
      break;
    case kTypeTxt:
      ForEachText(message.Data(record), kMaxTextStrings, [&](std::string_view text) {
        const auto equals = text.find('=');
        if (equals != std::string_view::npos && IsKeyOfInterest(text.substr(0, equals))) {
          facts.Add("dns.txt", std::string(text));
        }
      });
      break;
    default:
      break;
  }
}

model::Endpoint Source(const Packet& packet, std::uint16_t port) {
  model::Endpoint endpoint{.ip = packet.src_ip, .port = port};
  if (packet.has_ethernet) endpoint.mac = packet.src_mac;
  return endpoint;
}

model::Endpoint Destination(const Packet& packet, std::uint16_t port) {
  model::Endpoint endpoint{.ip = packet.dst_ip, .port = port};
  if (packet.has_ethernet) endpoint.mac = packet.dst_mac;
  return endpoint;
}

bool Probe(std::span<const std::uint8_t> payload, const ProbeContext& context) {
  if (payload.size() < kHeaderSize) return false;
  const std::uint8_t opcode = (payload[2] >> 3) & 0x0F;
  if (opcode != 0 || (payload[3] & 0x40) != 0) return false;  // RFC 1035 4.1.1: Z is zero.
  auto count = [&](std::size_t at) { return (payload[at] << 8) | payload[at + 1]; };
  const int questions = count(4);
  if (questions > 32 || count(6) > 256 || count(8) > 256 || count(10) > 256) return false;
  if (questions == 0 && count(6) == 0) return false;
  const std::uint16_t a = context.client_port;
  const std::uint16_t b = context.server_port;
  for (const std::uint16_t port : {kDnsPort, kMdnsPort, kLlmnrPort}) {
    if (a == port || b == port) return true;
  }
  if (a == kNetbiosPort || b == kNetbiosPort || questions != 1) return false;
  const auto message = ParseDns(payload);
  return message && !message->truncated && message->question_count == 1 &&
         (message->questions()[0].klass & 0x7FFF) == 1;
}

void DissectPacket(const Packet& packet, Sink& sink) {
  const auto message = ParseDns(packet.payload);
  if (!message || message->header.opcode() != 0) return;
  const Flavor flavor = FlavorOf(packet.src_port, packet.dst_port);
  const bool response = message->header.response();
  model::Observation observation{
      .time_unix_nanos = packet.time_unix_nanos, .protocol = "dns", .vlan = packet.vlan};
  if (!response || flavor != Flavor::kDns) {
    observation.subject = Source(packet, response ? packet.src_port : 0);
    if (!IsMulticast(packet.dst_ip)) {
      observation.peer = Destination(packet, response ? 0 : packet.dst_port);
    }
  } else {
    observation.subject = Destination(packet, 0);
    observation.peer = Source(packet, packet.src_port);
  }

  Facts facts(observation.facts);
  if (!response) {
    for (const auto& question : message->questions()) {
      if (auto name = DecodeName(message->bytes, question.name_offset)) {
        facts.Add("dns.query", std::move(*name));
      }
    }
  } else if (message->header.rcode() != 0) {
    facts.Add("dns.rcode", RcodeName(message->header.rcode()));
  }
  for (const auto& record : message->records()) {
    if (facts.full()) break;
    // A query's records are the querier's known answers, except an mDNS probe's authority
    // records; a unicast DNS response's other sections describe servers, not the querier.
    const bool describes_subject =
        response ? (flavor != Flavor::kDns || record.section == Section::kAnswer)
                 : (flavor == Flavor::kMdns && record.section == Section::kAuthority);
    if (describes_subject) AddRecord(*message, record, flavor, packet, facts);
  }
  if (!observation.facts.empty()) sink.Observe(std::move(observation));
}

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "dns",
      .transport = Transport::kUdp,
      .probe = &Probe,
      .dissect_packet = &DissectPacket,
  };
  return info;
}

}  // namespace vigil::sensor::dns
