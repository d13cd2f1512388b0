#pragma once

// FlowTable: the sensor's bidirectional flows. Each IP packet is counted in the flow of its
// key (VLAN, protocol, both ends); a flow ends after an idle timeout (TCP and other protocols
// apart), when TCP closes it (FIN both ways or RST, after a short linger for the last ACKs), when
// the table is full and it is the least recently seen (evicted, counted as weird), or at the end
// of the capture. A long flow writes a record every active timeout and goes on. Each end writes
// one FlowRecord to the Sink.
//
// The table also chooses each flow's dissector by payload (the first payloads of each direction,
// in registry order) and drives it: datagram dissectors get every UDP packet of the flow; stream
// dissectors get in-order TCP bytes through a TcpReassembler per direction, with at most
// StreamDissector::kMaxBuffered unconsumed bytes each.
//
// Time is the packets' time (event time); timeouts are checked as packet time advances.
// Memory is bounded by max_flows and the per-flow buffers. Not thread-safe: one packet thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "sensor/decode/packet.h"
#include "sensor/decode/weird.h"
#include "sensor/dissect/dissector.h"
#include "sensor/dissect/sink.h"
#include "sensor/flow/flow_index.h"
#include "sensor/flow/flow_key.h"

namespace vigil::sensor {

struct FlowOptions {
  std::size_t max_flows = 1 << 20;
  std::int64_t tcp_idle_nanos = 300'000'000'000;     // 5 minutes, as Zeek's tcp_inactivity.
  std::int64_t other_idle_nanos = 60'000'000'000;    // 1 minute for UDP, ICMP and the rest.
  std::int64_t closed_linger_nanos = 5'000'000'000;  // After FIN both ways or RST.
  std::int64_t active_nanos = 1'800'000'000'000;     // A record every 30 minutes.
};

struct FlowStats {
  std::uint64_t created = 0;
  std::uint64_t records = 0;
  std::uint64_t evicted = 0;
  std::uint64_t dissected = 0;  // Flows whose payload a dissector recognised.
};

class FlowTable {
 public:
  // `dissectors` (the registry table) and the sinks must outlive the table.
  FlowTable(FlowOptions options, std::span<const DissectorInfo> dissectors, Sink& sink,
            WeirdCounters& weird);
  ~FlowTable();
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // Counts an IPv4 or IPv6 packet (others are ignored) and feeds its payload to the flow's
  // dissector.
  void Process(const Packet& packet);

  // Ends every flow (end of capture): their dissectors get what waits, each writes its record.
  void Flush();

  std::size_t size() const { return index_.size(); }
  const FlowStats& stats() const { return stats_; }

  struct Flow;  // flow.h

 private:
  enum class List : std::uint8_t { kTcp, kOther, kClosing };

  Flow& Find(const Packet& packet, bool& from_low);
  void Touch(Flow& flow, List list);
  void Unlink(Flow& flow);
  void Expire(std::int64_t now);
  void EvictOne();
  void End(Flow& flow, model::FlowEnd why);
  void Emit(Flow& flow, model::FlowEnd why);
  void Dissect(Flow& flow, const Packet& packet, bool from_client);
  void DissectUdp(Flow& flow, const Packet& packet, bool from_client);
  void DissectTcp(Flow& flow, const Packet& packet, bool from_client);
  void EndDissection(Flow& flow);
  void OnStreamBytes(Flow& flow, Direction dir, std::span<const std::uint8_t> bytes, bool gap,
                     std::int64_t time);
  const DissectorInfo* Probe(Transport transport, std::span<const std::uint8_t> payload,
                             const ProbeContext& context) const;

  FlowOptions options_;
  std::span<const DissectorInfo> dissectors_;
  Sink& sink_;
  WeirdCounters& weird_;
  FlowStats stats_;
  std::int64_t now_ = 0;
  std::int64_t last_expiry_ = 0;
  FlowIndex<Flow> index_;  // Owns nothing: flows are new-ed in Find and deleted in End.
  struct Ends {
    Flow* head = nullptr;  // Most recently seen.
    Flow* tail = nullptr;  // Least recently seen.
  };
  Ends lists_[3];
};

}  // namespace vigil::sensor

#include "sensor/flow/flow.h"  // IWYU pragma: export
