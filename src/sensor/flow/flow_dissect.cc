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
  if (flow.application->dissect_packet != nullptr) {
    flow.application->dissect_packet(packet, sink_);
  }
}

void FlowTable::DissectTcp(Flow& flow, const Packet& packet, bool from_client) {
  Direction dir = from_client ? Direction::kClientToServer : Direction::kServerToClient;
  bool syn = (packet.tcp_flags & kTcpSyn) != 0;
  if (packet.payload.empty() && !syn && (packet.tcp_flags & kTcpFin) == 0) return;
  if (flow.stream == nullptr) {
    if (packet.payload.empty()) return;
    flow.stream = std::make_unique<StreamState>();
    // Streams start after the SYNs when the sensor saw them.
    if ((flow.client_flags & kTcpSyn) != 0) {
      flow.stream->reassembler[0].Start(flow.client_isn + 1);
    }
    if ((flow.server_flags & kTcpSyn) != 0) {
      flow.stream->reassembler[1].Start(flow.server_isn + 1);
    }
  }
  StreamState& stream = *flow.stream;
  TcpReassembler& reassembler = stream.reassembler[DirectionIndex(dir)];
  if (syn && !reassembler.started()) reassembler.Start(packet.tcp_seq + 1);
  std::int64_t time = packet.time_unix_nanos;
  auto deliver = [&](std::span<const std::uint8_t> bytes, bool gap) {
    OnStreamBytes(flow, dir, bytes, gap, time);
  };
  std::uint32_t seq = syn ? packet.tcp_seq + 1 : packet.tcp_seq;
  reassembler.Add(seq, packet.payload, deliver);
  if (!flow.dissection_over && (packet.tcp_flags & (kTcpFin | kTcpRst)) != 0) {
    reassembler.Finish(deliver);
  }
  if (flow.dissection_over) flow.stream.reset();
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

  FlowView view = ViewOf(flow);
  if (stream.dissector == nullptr) {
    if (stream.probed[i]) return;  // Only a direction's first bytes are shown to the probes.
    stream.probed[i] = true;
    ProbeContext context{.direction = dir,
                         .client_port = view.client.port,
                         .server_port = view.server.port,
                         .packet = nullptr};
    const DissectorInfo* info = Probe(Transport::kTcp, bytes, context);
    if (info == nullptr || info->make_stream == nullptr) {
      if (stream.probed[0] && stream.probed[1]) flow.dissection_over = true;
      return;
    }
    flow.application = info;
    stream.dissector = info->make_stream();
    ++stats_.dissected;
  }

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
