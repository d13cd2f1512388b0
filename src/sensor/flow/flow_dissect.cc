// The flow table's half that chooses and drives dissectors (see flow_table.h).
#include <algorithm>
#include <vector>

#include "sensor/flow/flow_table.h"
#include "sensor/flow/stream_state.h"

namespace vigil::sensor {

namespace {

FlowView ViewOf(const FlowTable::Flow& flow) {
  FlowView view;
  view.vlan = flow.key.vlan;
  view.client.ip = flow.client_is_low ? flow.key.low_ip : flow.key.high_ip;
  view.client.port = flow.client_is_low ? flow.key.low_port : flow.key.high_port;
  view.server.ip = flow.client_is_low ? flow.key.high_ip : flow.key.low_ip;
  view.server.port = flow.client_is_low ? flow.key.high_port : flow.key.low_port;
  if (flow.has_client_mac) view.client.mac = flow.client_mac;
  if (flow.has_server_mac) view.server.mac = flow.server_mac;
  return view;
}

}  // namespace

const DissectorInfo* FlowTable::Probe(Transport transport, std::span<const std::uint8_t> payload,
                                      const ProbeContext& context) const {
  for (const DissectorInfo& info : dissectors_) {
    if (info.transport == transport && info.probe != nullptr && info.probe(payload, context)) {
      return &info;
    }
  }
  return nullptr;
}

void FlowTable::Dissect(Flow& flow, const Packet& packet, bool from_client) {
  if (flow.key.ip_protocol == kIpProtoUdp) {
    DissectUdp(flow, packet, from_client);
  } else if (flow.key.ip_protocol == kIpProtoTcp) {
    DissectTcp(flow, packet, from_client);
  } else {
    flow.dissection_over = true;
  }
}

void FlowTable::DissectUdp(Flow& flow, const Packet& packet, bool from_client) {
  if (packet.payload.empty()) return;
  if (flow.application == nullptr) {
    FlowView view = ViewOf(flow);
    ProbeContext context{
        .direction = from_client ? Direction::kClientToServer : Direction::kServerToClient,
        .client_port = view.client.port,
        .server_port = view.server.port,
        .packet = &packet};
    flow.application = Probe(Transport::kUdp, packet.payload, context);
    if (flow.application == nullptr) {
      if (--flow.probes_left == 0) flow.dissection_over = true;
      return;
    }
    ++stats_.dissected;
  }
  if (flow.application->dissect_packet == nullptr) return;
  // Datagram dissectors keep no state, so a poller sending the same default community every
  // minute would repeat its finding each time: a flow reports its first finding only.
  class OncePerFlow final : public Sink {
   public:
    OncePerFlow(Sink& next, Flow& flow) : next_(next), flow_(flow) {}
    void Observe(model::Observation o) override { next_.Observe(std::move(o)); }
    void Report(model::Finding f) override {
      if (flow_.finding_reported) return;
      flow_.finding_reported = true;
      next_.Report(std::move(f));
    }

   private:
    Sink& next_;
    Flow& flow_;
  };
  OncePerFlow once(sink_, flow);
  flow.application->dissect_packet(packet, once);
}

void FlowTable::DissectTcp(Flow& flow, const Packet& packet, bool from_client) {
  Direction dir = from_client ? Direction::kClientToServer : Direction::kServerToClient;
  bool syn = (packet.tcp_flags & kTcpSyn) != 0;
  std::uint32_t seq = syn ? packet.tcp_seq + 1 : packet.tcp_seq;
  if (flow.stream == nullptr) {
    // No dissector yet: each direction's first payload is shown to the probes as it arrives
    // (in order, almost always), so a flow nobody recognises never allocates stream state.
    auto bit = static_cast<std::uint8_t>(1u << DirectionIndex(dir));
    if (packet.payload.empty() || (flow.probed & bit) != 0) return;
    // After a SYN, only the segment that starts the stream is probed: one that overtook it
    // would show the probes the middle of a message.
    std::uint8_t flags = from_client ? flow.client_flags : flow.server_flags;
    std::uint32_t isn = from_client ? flow.client_isn : flow.server_isn;
    if ((flags & kTcpSyn) != 0 && seq != isn + 1) return;
    flow.probed |= bit;
    FlowView view = ViewOf(flow);
    ProbeContext context{.direction = dir,
                         .client_port = view.client.port,
                         .server_port = view.server.port,
                         .packet = &packet};
    const DissectorInfo* info = Probe(Transport::kTcp, packet.payload, context);
    if (info == nullptr || info->make_stream == nullptr) {
      if (flow.probed == 3) flow.dissection_over = true;
      return;
    }
    flow.application = info;
    ++stats_.dissected;
    flow.stream = std::make_unique<StreamState>();
    flow.stream->dissector = info->make_stream();
    flow.stream->reassembler[DirectionIndex(dir)].Start(seq);
    // The other direction starts after its SYN if the sensor saw one, else at its first byte.
    std::size_t other = 1 - DirectionIndex(dir);
    std::uint8_t other_flags = other == 0 ? flow.client_flags : flow.server_flags;
    if ((other_flags & kTcpSyn) != 0) {
      flow.stream->reassembler[other].Start((other == 0 ? flow.client_isn : flow.server_isn) + 1);
    }
  }
  StreamState& stream = *flow.stream;
  TcpReassembler& reassembler = stream.reassembler[DirectionIndex(dir)];
  if (syn && !reassembler.started()) reassembler.Start(seq);
  std::int64_t time = packet.time_unix_nanos;
  auto deliver = [&](std::span<const std::uint8_t> bytes, bool gap) {
    OnStreamBytes(flow, dir, bytes, gap, time);
  };
  reassembler.Add(seq, packet.payload, deliver);
  if (!flow.dissection_over && (packet.tcp_flags & (kTcpFin | kTcpRst)) != 0) {
    reassembler.Finish(deliver);
  }
  if (flow.dissection_over) flow.stream.reset();
}

// The flow ends: its stream dissector gets what waits (with gaps where bytes are missing) and
// then hears that the connection is over.
void FlowTable::EndDissection(Flow& flow) {
  if (flow.stream == nullptr || flow.dissection_over) return;
  for (Direction dir : {Direction::kClientToServer, Direction::kServerToClient}) {
    if (flow.dissection_over) break;
    auto deliver = [&](std::span<const std::uint8_t> bytes, bool gap) {
      OnStreamBytes(flow, dir, bytes, gap, flow.last);
    };
    flow.stream->reassembler[DirectionIndex(dir)].Finish(deliver);
  }
  if (!flow.dissection_over && flow.stream != nullptr && flow.stream->dissector != nullptr) {
    flow.stream->dissector->OnEnd(flow.last, ViewOf(flow), sink_);
  }
  flow.dissection_over = true;
  flow.stream.reset();
}

void FlowTable::OnStreamBytes(Flow& flow, Direction dir, std::span<const std::uint8_t> bytes,
                              bool gap, std::int64_t time) {
  if (flow.dissection_over || flow.stream == nullptr) return;
  StreamState& stream = *flow.stream;
  std::size_t i = DirectionIndex(dir);
  if (gap) {
    weird_.Add(Weird::kTcpGap);
    stream.buffer[i].clear();
    if (stream.dissector != nullptr) stream.dissector->OnGap(dir);
    return;
  }
  if (bytes.empty()) return;

  if (stream.dissector == nullptr) return;
  FlowView view = ViewOf(flow);

  std::vector<std::uint8_t>& buffer = stream.buffer[i];
  std::size_t consumed = 0;
  if (buffer.empty()) {
    // The common case: nothing waits, so the dissector reads the segment where it lies.
    consumed = stream.dissector->OnData(dir, bytes, time, view, sink_);
    consumed = std::min(consumed, bytes.size());
    buffer.assign(bytes.begin() + static_cast<std::ptrdiff_t>(consumed), bytes.end());
  } else {
    buffer.insert(buffer.end(), bytes.begin(), bytes.end());
    consumed = std::min(stream.dissector->OnData(dir, buffer, time, view, sink_), buffer.size());
    buffer.erase(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(consumed));
  }
  if (buffer.size() >= StreamDissector::kMaxBuffered) {
    weird_.Add(Weird::kTcpReassemblyOverflow);
    flow.dissection_over = true;
  } else if (stream.dissector->Finished()) {
    flow.dissection_over = true;
  }
}

}  // namespace vigil::sensor
