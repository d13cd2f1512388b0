#include "sensor/flow/flow_table.h"

#include <algorithm>
#include <vector>

#include "sensor/flow/stream_state.h"

namespace vigil::sensor {

namespace {

constexpr std::int64_t kExpiryStepNanos = 1'000'000'000;
constexpr std::int64_t kRelinkNanos = 1'000'000'000;

std::string TcpStateName(std::uint8_t client, std::uint8_t server) {
  if (((client | server) & kTcpRst) != 0) return "reset";
  bool syn = (client & kTcpSyn) != 0;
  bool syn_ack = (server & kTcpSyn) != 0;
  bool fin_both = (client & kTcpFin) != 0 && (server & kTcpFin) != 0;
  if (syn && !syn_ack) return "syn_only";
  if (!syn && !syn_ack) return fin_both ? "midstream_closed" : "midstream";
  if (fin_both) return "closed";
  if (((client | server) & kTcpFin) != 0) return "half_closed";
  return "established";
}

// Ports that servers listen on: the well-known range (but for the DHCP client ports) and the
// registered ports of the protocols hospitals run on higher numbers.
bool IsServerPort(std::uint16_t port) {
  if (port < 1024) return port != 68 && port != 546;
  switch (port) {
    case 1883:   // MQTT
    case 1900:   // SSDP
    case 2575:   // HL7 (IANA)
    case 2762:   // DICOM over TLS
    case 3389:   // RDP
    case 4242:   // DICOM (common)
    case 5353:   // mDNS
    case 5355:   // LLMNR
    case 6661:   // HL7 (common)
    case 8080:   // HTTP alternative
    case 8443:   // HTTPS alternative
    case 8883:   // MQTT over TLS
    case 11112:  // DICOM (IANA)
    case 47808:  // BACnet/IP
      return true;
    default:
      return false;
  }
}

// Broadcast and multicast destinations listen to everyone; they are never the server.
bool IsGroupAddress(const IpAddress& ip) {
  auto b = ip.bytes();
  if (ip.is_v4()) return b[0] >= 224 || (b[0] == 255 && b[3] == 255);
  return b[0] == 0xff;
}

}  // namespace

FlowTable::FlowTable(FlowOptions options, std::span<const DissectorInfo> dissectors, Sink& sink,
                     WeirdCounters& weird)
    : options_(options), dissectors_(dissectors), sink_(sink), weird_(weird) {}

FlowTable::~FlowTable() {
  for (Flow* flow : index_.All()) delete flow;
}

void FlowTable::Process(const Packet& packet) {
  if (packet.network != Network::kIpv4 && packet.network != Network::kIpv6) return;
  if (packet.fragment && !packet.first_fragment) return;  // No ports: not attributable.
  if (packet.time_unix_nanos > now_) now_ = packet.time_unix_nanos;
  if (now_ - last_expiry_ >= kExpiryStepNanos) {
    Expire(now_);
    last_expiry_ = now_;
  }

  bool from_low = true;
  Flow& flow = Find(packet, from_low);
  bool from_client = from_low == flow.client_is_low;
  std::uint32_t bytes = packet.ip_length != 0 ? packet.ip_length : packet.wire_length;
  if (from_client) {
    ++flow.client_packets;
    flow.client_bytes += bytes;
    flow.client_flags |= packet.tcp_flags;
    if (packet.has_ethernet) {
      flow.client_mac = packet.src_mac;
      flow.has_client_mac = true;
      if (!flow.has_server_mac && !packet.dst_mac.IsMulticast()) {
        flow.server_mac = packet.dst_mac;
        flow.has_server_mac = true;
      }
    }
  } else {
    ++flow.server_packets;
    flow.server_bytes += bytes;
    flow.server_flags |= packet.tcp_flags;
    if (packet.has_ethernet) {
      flow.server_mac = packet.src_mac;
      flow.has_server_mac = true;
      if (!flow.has_client_mac && !packet.dst_mac.IsMulticast()) {
        flow.client_mac = packet.dst_mac;
        flow.has_client_mac = true;
      }
    }
  }
  if (packet.time_unix_nanos > flow.last) flow.last = packet.time_unix_nanos;

  bool tcp = flow.key.ip_protocol == kIpProtoTcp;
  if (tcp && (packet.tcp_flags & kTcpSyn) != 0) {
    (from_client ? flow.client_isn : flow.server_isn) = packet.tcp_seq;
  }
  if (packet.has_transport && !flow.dissection_over) Dissect(flow, packet, from_client);

  bool closed = tcp && ((((flow.client_flags | flow.server_flags) & kTcpRst) != 0) ||
                        ((flow.client_flags & flow.server_flags & kTcpFin) != 0));
  Touch(flow, closed ? List::kClosing : (tcp ? List::kTcp : List::kOther));

  if (flow.last - flow.start >= options_.active_nanos) {
    Emit(flow, model::FlowEnd::kActive);
    flow.start = flow.last;
    flow.client_packets = flow.client_bytes = flow.server_packets = flow.server_bytes = 0;
  }
}

FlowTable::Flow& FlowTable::Find(const Packet& packet, bool& from_low) {
  FlowKey key = FlowKey::Make(packet.vlan, packet.ip_protocol, packet.src_ip, packet.src_port,
                              packet.dst_ip, packet.dst_port, from_low);
  std::uint64_t hash = FlowIndex<Flow>::Hash(key);
  if (Flow* found = index_.Find(key, hash)) return *found;

  if (index_.size() >= options_.max_flows) EvictOne();
  Flow& flow = *new Flow();
  index_.Insert(&flow, hash);
  flow.key = key;
  flow.start = flow.last = packet.time_unix_nanos;
  flow.serial = stats_.created++;
  // Who opened the conversation: the SYN's sender; the SYN-ACK's receiver; otherwise the first
  // sender, unless it speaks from a server's port to a client's one-to-one (a reply whose
  // request the sensor missed).
  bool sender_is_client = true;
  if (packet.ip_protocol == kIpProtoTcp && (packet.tcp_flags & kTcpSyn) != 0) {
    sender_is_client = (packet.tcp_flags & kTcpAck) == 0;
  } else if (IsServerPort(packet.src_port) && !IsServerPort(packet.dst_port) &&
             !IsGroupAddress(packet.dst_ip)) {
    sender_is_client = false;
  }
  flow.client_is_low = sender_is_client == from_low;
  return flow;
}

// Moves the flow to the head of its list: the lists are kept in order of `listed`, the packet
// time at which each flow was last moved. A flow is moved at most once per kRelinkNanos of
// packet time, since relinking touches two other flows' memory; expiry checks `last` itself.
void FlowTable::Touch(Flow& flow, List list) {
  if (flow.linked && flow.list == static_cast<std::uint8_t>(list) &&
      flow.last - flow.listed < kRelinkNanos) {
    return;
  }
  Unlink(flow);
  flow.linked = true;
  flow.listed = flow.last;
  flow.list = static_cast<std::uint8_t>(list);
  Ends& ends = lists_[flow.list];
  flow.older = ends.head;
  flow.newer = nullptr;
  if (ends.head != nullptr) ends.head->newer = &flow;
  ends.head = &flow;
  if (ends.tail == nullptr) ends.tail = &flow;
}

void FlowTable::Unlink(Flow& flow) {
  if (!flow.linked) return;
  flow.linked = false;
  Ends& ends = lists_[flow.list];
  if (flow.newer != nullptr) flow.newer->older = flow.older;
  if (flow.older != nullptr) flow.older->newer = flow.newer;
  if (ends.head == &flow) ends.head = flow.older;
  if (ends.tail == &flow) ends.tail = flow.newer;
  flow.newer = flow.older = nullptr;
}

void FlowTable::Expire(std::int64_t now) {
  const std::int64_t timeouts[3] = {options_.tcp_idle_nanos, options_.other_idle_nanos,
                                    options_.closed_linger_nanos};
  for (std::size_t i = 0; i < 3; ++i) {
    while (lists_[i].tail != nullptr && now - lists_[i].tail->listed > timeouts[i]) {
      Flow& flow = *lists_[i].tail;
      if (now - flow.last <= timeouts[i]) {  // Seen since it was listed: back to the head.
        Unlink(flow);
        Touch(flow, static_cast<List>(i));
        continue;
      }
      End(flow, i == 2 ? model::FlowEnd::kClosed : model::FlowEnd::kIdle);
    }
  }
}

void FlowTable::EvictOne() {
  // A tail seen since it was listed goes back to its head first (a bounded number of times),
  // so the victim is the least recently seen flow, or close to it.
  for (Ends& ends : lists_) {
    for (int i = 0; i < 16 && ends.tail != nullptr && ends.tail->last != ends.tail->listed; ++i) {
      Flow& flow = *ends.tail;
      Unlink(flow);
      Touch(flow, static_cast<List>(flow.list));
    }
  }
  Flow* oldest = nullptr;
  for (const Ends& ends : lists_) {
    if (ends.tail != nullptr && (oldest == nullptr || ends.tail->last < oldest->last)) {
      oldest = ends.tail;
    }
  }
  if (oldest == nullptr) return;
  weird_.Add(Weird::kFlowTableFull);
  ++stats_.evicted;
  End(*oldest, oldest->list == 2 ? model::FlowEnd::kClosed : model::FlowEnd::kEvicted);
}

void FlowTable::Flush() {
  // In the order the flows began, so a capture's output is the same on every run.
  std::vector<Flow*> all = index_.All();
  std::sort(all.begin(), all.end(),
            [](const Flow* a, const Flow* b) { return a->serial < b->serial; });
  for (Flow* any : all) {
    Flow& flow = *any;
    bool closed = flow.list == static_cast<std::uint8_t>(List::kClosing);
    End(flow, closed ? model::FlowEnd::kClosed : model::FlowEnd::kEndOfCapture);
  }
}

// Finishes the flow's dissection, writes its record and forgets it.
void FlowTable::End(Flow& flow, model::FlowEnd why) {
  EndDissection(flow);
  Emit(flow, why);
  Unlink(flow);
  index_.Erase(flow.key, FlowIndex<Flow>::Hash(flow.key));
  delete &flow;
}

void FlowTable::Emit(Flow& flow, model::FlowEnd why) {
  model::FlowRecord r;
  r.start_unix_nanos = flow.start;
  r.end_unix_nanos = flow.last;
  r.vlan = flow.key.vlan;
  r.ip_protocol = flow.key.ip_protocol;
  r.client.ip = flow.client_is_low ? flow.key.low_ip : flow.key.high_ip;
  r.client.port = flow.client_is_low ? flow.key.low_port : flow.key.high_port;
  r.server.ip = flow.client_is_low ? flow.key.high_ip : flow.key.low_ip;
  r.server.port = flow.client_is_low ? flow.key.high_port : flow.key.low_port;
  if (flow.has_client_mac) r.client.mac = flow.client_mac;
  if (flow.has_server_mac) r.server.mac = flow.server_mac;
  r.client_packets = flow.client_packets;
  r.client_bytes = flow.client_bytes;
  r.server_packets = flow.server_packets;
  r.server_bytes = flow.server_bytes;
  if (flow.application != nullptr) r.application = std::string(flow.application->name);
  if (flow.key.ip_protocol == kIpProtoTcp) {
    r.tcp_state = TcpStateName(flow.client_flags, flow.server_flags);
  }
  r.end = why;
  ++stats_.records;
  sink_.Record(std::move(r));
}

}  // namespace vigil::sensor
