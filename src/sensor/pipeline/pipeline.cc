#include "sensor/pipeline/pipeline.h"

#include "sensor/decode/decoder.h"

namespace vigil::sensor {

Pipeline::Pipeline(PipelineOptions options, std::span<const DissectorInfo> dissectors, Sink& sink)
    : options_(options),
      dissectors_(dissectors),
      sink_(sink),
      flows_(options.flows, dissectors, sink, weird_) {}

void Pipeline::HandleFrame(LinkType link, std::span<const std::uint8_t> bytes,
                           std::uint32_t wire_length, std::int64_t time_unix_nanos) {
  ++stats_.frames;
  stats_.bytes += bytes.size();
  if (!Decode(link, bytes, wire_length, time_unix_nanos, packet_, weird_)) {
    ++stats_.undecodable;
    return;
  }
  switch (packet_.network) {
    case Network::kIpv4:
      ++stats_.ipv4;
      flows_.Process(packet_);
      return;
    case Network::kIpv6:
      ++stats_.ipv6;
      flows_.Process(packet_);
      return;
    case Network::kArp:
      ++stats_.arp;
      HandleArp(packet_);
      return;
    case Network::kOther:
      ++stats_.other;
      HandleLink(packet_);
      return;
    case Network::kNone:
      return;
  }
}

// An ARP sender says which MAC holds which IPv4 address: the cheapest identity evidence on a
// LAN. Each pair is reported once (until the memory of pairs fills and starts again).
void Pipeline::HandleArp(const Packet& packet) {
  const ArpFields& arp = packet.arp;
  if (arp.sender_ip.v4_host_order() == 0 || arp.sender_mac.IsMulticast()) return;  // Probes.
  std::uint64_t key = 0;
  for (std::uint8_t b : arp.sender_mac.bytes()) key = (key << 8) | b;
  key = (key << 32) ^ arp.sender_ip.v4_host_order();
  if (!arp_seen_.insert(key).second) return;
  if (arp_seen_.size() > options_.max_arp_pairs) arp_seen_.clear();
  model::Observation o;
  o.time_unix_nanos = packet.time_unix_nanos;
  o.protocol = "arp";
  o.subject.mac = arp.sender_mac;
  o.subject.ip = arp.sender_ip;
  o.vlan = packet.vlan;
  sink_.Observe(std::move(o));
}

void Pipeline::HandleLink(const Packet& packet) {
  ProbeContext context{.packet = &packet};
  for (const DissectorInfo& info : dissectors_) {
    if (info.transport == Transport::kLink && info.probe != nullptr &&
        info.probe(packet.payload, context)) {
      if (info.dissect_packet != nullptr) info.dissect_packet(packet, sink_);
      return;
    }
  }
}

}  // namespace vigil::sensor
