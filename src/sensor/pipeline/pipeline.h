#pragma once

// Pipeline: one captured frame in, observations, findings and flow records out. It decodes the
// frame (sensor/decode), gives non-IP frames to the link dissectors (LLDP, CDP), notes ARP
// address pairs, and passes IP packets to the flow table (sensor/flow), which drives the
// datagram and stream dissectors. Everything it learns goes to one Sink.
//
// Pure and single-threaded: no I/O, no clock (time comes from the frames). Memory is bounded by
// the flow table's options and the ARP memory below.

#include <cstdint>
#include <span>
#include <unordered_set>

#include "sensor/decode/packet.h"
#include "sensor/decode/weird.h"
#include "sensor/dissect/dissector.h"
#include "sensor/dissect/sink.h"
#include "sensor/flow/flow_table.h"

namespace vigil::sensor {

struct PipelineOptions {
  FlowOptions flows;
  std::size_t max_arp_pairs = 65536;  // (MAC, IPv4) pairs remembered to report each once.
};

struct PipelineStats {
  std::uint64_t frames = 0;
  std::uint64_t bytes = 0;  // Captured bytes.
  std::uint64_t ipv4 = 0;
  std::uint64_t ipv6 = 0;
  std::uint64_t arp = 0;
  std::uint64_t other = 0;        // Other layer 2 protocols (LLDP, CDP, STP...).
  std::uint64_t undecodable = 0;  // Not even the link header could be read.
};

class Pipeline {
 public:
  // `dissectors` (usually AllDissectors() from registry.h) and `sink` must outlive it.
  Pipeline(PipelineOptions options, std::span<const DissectorInfo> dissectors, Sink& sink);

  void HandleFrame(LinkType link, std::span<const std::uint8_t> bytes, std::uint32_t wire_length,
                   std::int64_t time_unix_nanos);

  // The capture ended: every flow ends and writes its record.
  void Finish() { flows_.Flush(); }

  const PipelineStats& stats() const { return stats_; }
  const WeirdCounters& weird() const { return weird_; }
  const FlowStats& flow_stats() const { return flows_.stats(); }
  std::size_t active_flows() const { return flows_.size(); }

 private:
  void HandleArp(const Packet& packet);
  void HandleLink(const Packet& packet);

  PipelineOptions options_;
  std::span<const DissectorInfo> dissectors_;
  Sink& sink_;
  WeirdCounters weird_;
  PipelineStats stats_;
  FlowTable flows_;
  Packet packet_;
  std::unordered_set<std::uint64_t> arp_seen_;
};

}  // namespace vigil::sensor
