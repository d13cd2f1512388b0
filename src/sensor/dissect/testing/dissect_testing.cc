#include "sensor/dissect/testing/dissect_testing.h"

#include <cstdio>
#include <sstream>

namespace vigil::sensor {

std::vector<std::string> Values(const model::Observation& o, std::string_view key) {
  std::vector<std::string> values;
  for (const auto& fact : o.facts) {
    if (fact.key == key) values.push_back(fact.value);
  }
  return values;
}

std::string Value(const model::Observation& o, std::string_view key, std::string_view absent) {
  for (const auto& fact : o.facts) {
    if (fact.key == key) return fact.value;
  }
  return std::string(absent);
}

FlowView MakeFlow(std::string_view client_ip, std::uint16_t client_port, std::string_view server_ip,
                  std::uint16_t server_port, std::uint16_t vlan) {
  return {.client = {.ip = IpAddress::Parse(client_ip).value(), .port = client_port},
          .server = {.ip = IpAddress::Parse(server_ip).value(), .port = server_port},
          .vlan = vlan};
}

std::vector<std::string> SidedFacts(const CollectingSink& sink, const FlowView& flow) {
  std::vector<std::string> out;
  for (const auto& o : sink.observations) {
    for (const auto& f : o.facts) {
      out.push_back(std::string(o.subject == flow.client ? "client " : "server ") + f.key + "=" +
                    f.value);
    }
  }
  return out;
}

std::string Describe(const CollectingSink& sink, const FlowView& flow) {
  std::ostringstream out;
  for (const auto& o : sink.observations) {
    out << (o.subject == flow.client ? "client" : "server") << ':';
    for (const auto& f : o.facts) out << f.key << '=' << f.value << ';';
    out << '\n';
  }
  for (const auto& f : sink.findings) out << f.kind << ':' << f.detail << '\n';
  return out.str();
}

Packet MakeUdpPacket(std::string_view src_ip, std::uint16_t src_port, std::string_view dst_ip,
                     std::uint16_t dst_port, std::span<const std::uint8_t> payload) {
  Packet packet;
  packet.has_ethernet = true;
  packet.network = Network::kIpv4;
  packet.src_ip = IpAddress::Parse(src_ip).value();
  packet.dst_ip = IpAddress::Parse(dst_ip).value();
  packet.ip_protocol = kIpProtoUdp;
  packet.has_transport = true;
  packet.src_port = src_port;
  packet.dst_port = dst_port;
  packet.payload = payload;
  return packet;
}

CollectingSink DissectPacket(const DissectorInfo& info, const Packet& packet) {
  CollectingSink sink;
  info.dissect_packet(packet, sink);
  return sink;
}

CollectingSink DissectStream(const DissectorInfo& info, const FlowView& flow,
                             const std::vector<StreamChunk>& chunks, std::size_t piece) {
  CollectingSink sink;
  auto stream = info.make_stream();
  FeedInPieces(*stream, flow, chunks, piece, sink);
  return sink;
}

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

}  // namespace vigil::sensor
