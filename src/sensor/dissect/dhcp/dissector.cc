#include "sensor/dissect/dhcp/dissector.h"

#include <array>
#include <string>
#include <utility>

#include "sensor/decode/byte_reader.h"
#include "sensor/dissect/dhcp/message.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor::dhcp {
namespace {

constexpr std::uint8_t kOffer = 2;
constexpr std::uint8_t kAck = 5;
constexpr std::uint16_t kServerPort = 67;

// Hex of at most kMaxFactBytes / 2 bytes, so the fact stays within kMaxFactBytes.
std::string Hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (bytes.size() > kMaxFactBytes / 2 - 2) bytes = bytes.first(kMaxFactBytes / 2 - 2);
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0x0F];
  }
  return out;
}

std::string Ip(std::uint32_t host_order) { return IpAddress::V4(host_order).ToString(); }

std::string ParameterList(std::span<const std::uint8_t> codes) {
  std::string out;
  for (const std::uint8_t code : codes) {
    const std::string item = std::to_string(code);
    if (out.size() + 1 + item.size() > kMaxFactBytes) break;
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

class FactList {
 public:
  explicit FactList(std::vector<model::Fact>& facts) : facts_(facts) {}
  void Add(std::string_view key, std::string value) {
    facts_.push_back({.key = std::string(key), .value = std::move(value)});
  }
  void Text(std::string_view key, std::span<const std::uint8_t> raw) {
    if (!raw.empty()) Add(key, SafeText(AsText(raw)));
  }

 private:
  std::vector<model::Fact>& facts_;
};

void AddFacts(const Message& m, FactList& facts) {
  if (const auto type = MessageTypeName(m.message_type); !type.empty()) {
    facts.Add("dhcp.message_type", std::string(type));
  }
  std::array<std::uint8_t, 4> xid = {
      static_cast<std::uint8_t>(m.xid >> 24), static_cast<std::uint8_t>(m.xid >> 16),
      static_cast<std::uint8_t>(m.xid >> 8), static_cast<std::uint8_t>(m.xid)};
  facts.Add("dhcp.xid", "0x" + Hex(xid));
  if (m.ciaddr != 0) facts.Add("dhcp.ciaddr", Ip(m.ciaddr));
  if (m.yiaddr != 0) facts.Add("dhcp.yiaddr", Ip(m.yiaddr));
  if (m.giaddr != 0) facts.Add("dhcp.relay", Ip(m.giaddr));
  facts.Text("dhcp.hostname", m.host_name);
  facts.Text("dhcp.domain", m.domain_name);
  if (m.requested_address) facts.Add("dhcp.requested_addr", Ip(*m.requested_address));
  if (m.lease_time) facts.Add("dhcp.lease_time", std::to_string(*m.lease_time));
  if (m.server_id) facts.Add("dhcp.server_id", Ip(*m.server_id));
  if (!m.parameter_list.empty()) facts.Add("dhcp.param_list", ParameterList(m.parameter_list));
  facts.Text("dhcp.vendor_class", m.vendor_class);
  if (!m.client_id.empty()) {
    facts.Add("dhcp.client_id", Hex(m.client_id.first(1)) + ":" + Hex(m.client_id.subspan(1)));
  }
  if (!m.user_class.empty()) facts.Add("dhcp.user_class", SafeText(UserClassText(m.user_class)));
  if (const auto fqdn = ClientFqdnName(m.client_fqdn); !fqdn.empty()) {
    facts.Add("dhcp.fqdn", SafeText(fqdn));
  }
  if (const auto circuit = RelayAgentSubOption(m.relay_agent, 1); !circuit.empty()) {
    facts.Add("dhcp.circuit_id", Hex(circuit));
  }
  if (const auto remote = RelayAgentSubOption(m.relay_agent, 2); !remote.empty()) {
    facts.Add("dhcp.remote_id", Hex(remote));
  }
  facts.Text("dhcp.mud_url", m.mud_url);
}

model::Endpoint Client(const Message& m, const Packet& packet) {
  model::Endpoint client;
  if (m.HasEthernetClient()) {
    std::array<std::uint8_t, 6> mac{};
    std::copy(m.chaddr.begin(), m.chaddr.end(), mac.begin());
    client.mac = MacAddress(mac);
  } else if (m.op == 1 && m.giaddr == 0 && packet.has_ethernet) {
    client.mac = packet.src_mac;
  }
  std::uint32_t address = 0;
  if (m.message_type == kOffer || m.message_type == kAck) {
    address = m.yiaddr;
  } else if (m.requested_address) {
    address = *m.requested_address;
  } else {
    address = m.ciaddr;
  }
  if (address != 0) client.ip = IpAddress::V4(address);
  return client;
}

std::optional<model::Endpoint> Server(const Message& m, const Packet& packet) {
  model::Endpoint server{.port = kServerPort};
  if (m.op == 2) {
    if (packet.has_ethernet) server.mac = packet.src_mac;
    server.ip = m.server_id ? IpAddress::V4(*m.server_id) : packet.src_ip;
    return server;
  }
  if (!m.server_id) return std::nullopt;
  server.ip = IpAddress::V4(*m.server_id);
  return server;
}

bool Probe(std::span<const std::uint8_t> payload, const ProbeContext& /*context*/) {
  if (payload.size() < kMinMessageSize) return false;
  if (payload[0] != 1 && payload[0] != 2) return false;
  return payload[kCookieOffset] == 0x63 && payload[kCookieOffset + 1] == 0x82 &&
         payload[kCookieOffset + 2] == 0x53 && payload[kCookieOffset + 3] == 0x63;
}

void DissectPacket(const Packet& packet, Sink& sink) {
  const auto message = ParseDhcp(packet.payload);
  if (!message) return;
  model::Observation observation{
      .time_unix_nanos = packet.time_unix_nanos,
      .protocol = "dhcp",
      .subject = Client(*message, packet),
      .peer = Server(*message, packet),
      .vlan = packet.vlan,
  };
  FactList facts(observation.facts);
  AddFacts(*message, facts);
  sink.Observe(std::move(observation));
}

}  // namespace

const DissectorInfo& Info() {
  static const DissectorInfo info{
      .name = "dhcp",
      .transport = Transport::kUdp,
      .probe = &Probe,
      .dissect_packet = &DissectPacket,
  };
  return info;
}

}  // namespace vigil::sensor::dhcp
