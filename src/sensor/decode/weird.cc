#include "sensor/decode/weird.h"

namespace vigil::sensor {

std::string_view WeirdName(Weird weird) {
  switch (weird) {
    case Weird::kTruncatedLinkHeader:
      return "truncated_link_header";
    case Weird::kTruncatedVlanTag:
      return "truncated_vlan_tag";
    case Weird::kTooManyVlanTags:
      return "too_many_vlan_tags";
    case Weird::kTruncatedLlc:
      return "truncated_llc";
    case Weird::kTruncatedArp:
      return "truncated_arp";
    case Weird::kTruncatedIpv4:
      return "truncated_ipv4";
    case Weird::kBadIpv4HeaderLength:
      return "bad_ipv4_header_length";
    case Weird::kBadIpv4TotalLength:
      return "bad_ipv4_total_length";
    case Weird::kTruncatedIpv6:
      return "truncated_ipv6";
    case Weird::kBadIpVersion:
      return "bad_ip_version";
    case Weird::kTruncatedIpv6Extension:
      return "truncated_ipv6_extension";
    case Weird::kIpFragment:
      return "ip_fragment";
    case Weird::kTruncatedTcp:
      return "truncated_tcp";
    case Weird::kBadTcpDataOffset:
      return "bad_tcp_data_offset";
    case Weird::kTruncatedUdp:
      return "truncated_udp";
    case Weird::kBadUdpLength:
      return "bad_udp_length";
    case Weird::kTruncatedIcmp:
      return "truncated_icmp";
    case Weird::kCapturedShort:
      return "captured_short";
    case Weird::kTcpSegmentOutOfWindow:
      return "tcp_segment_out_of_window";
    case Weird::kTcpReassemblyOverflow:
      return "tcp_reassembly_overflow";
    case Weird::kTcpGap:
      return "tcp_gap";
    case Weird::kFlowTableFull:
      return "flow_table_full";
    case Weird::kCount:
      break;
  }
  return "unknown";
}

std::uint64_t WeirdCounters::Total() const {
  std::uint64_t total = 0;
  for (auto c : counts_) total += c;
  return total;
}

void WeirdCounters::Merge(const WeirdCounters& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
}

}  // namespace vigil::sensor
