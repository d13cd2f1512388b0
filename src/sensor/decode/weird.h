#pragma once

// Weird: why a packet (or part of one) could not be decoded. Malformed traffic is data, not an
// error: the decoder and the flow table count each reason and carry on, as Zeek's weird.log does.
// The counters are plain integers owned by one packet thread.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace vigil::sensor {

enum class Weird : std::uint8_t {
  kTruncatedLinkHeader,     // Shorter than the Ethernet, SLL or SLL2 header.
  kTruncatedVlanTag,        // An 802.1Q/802.1ad tag cut short.
  kTooManyVlanTags,         // More than two stacked tags.
  kTruncatedLlc,            // An 802.3 frame whose LLC/SNAP header is cut short.
  kTruncatedArp,            // ARP shorter than its fixed part, or not Ethernet/IPv4.
  kTruncatedIpv4,           // Shorter than 20 bytes or than its header length.
  kBadIpv4HeaderLength,     // IHL below 5.
  kBadIpv4TotalLength,      // Total length below the header length.
  kTruncatedIpv6,           // Shorter than 40 bytes.
  kBadIpVersion,            // The version nibble is neither 4 nor 6 (raw IP captures).
  kTruncatedIpv6Extension,  // An extension header cut short or too long a chain.
  kIpFragment,              // A fragment (counted, not reassembled).
  kTruncatedTcp,            // Shorter than 20 bytes or than its data offset.
  kBadTcpDataOffset,        // Data offset below 5.
  kTruncatedUdp,            // Shorter than 8 bytes.
  kBadUdpLength,            // UDP length below 8 or above the IP payload.
  kTruncatedIcmp,           // Shorter than 4 bytes.
  kCapturedShort,           // The capture kept fewer bytes than the IP length (snaplen).
  kTcpSegmentOutOfWindow,   // A segment far outside the expected sequence window.
  kTcpReassemblyOverflow,   // A dissector's buffer filled without progress.
  kTcpGap,                  // A sequence gap (lost or uncaptured segment).
  kFlowTableFull,           // A flow was evicted to make room.
  kCount,
};

std::string_view WeirdName(Weird weird);  // "truncated_ipv4"...

class WeirdCounters {
 public:
  void Add(Weird weird) { ++counts_[static_cast<std::size_t>(weird)]; }
  std::uint64_t Get(Weird weird) const { return counts_[static_cast<std::size_t>(weird)]; }
  std::uint64_t Total() const;
  void Merge(const WeirdCounters& other);

 private:
  std::array<std::uint64_t, static_cast<std::size_t>(Weird::kCount)> counts_{};
};

}  // namespace vigil::sensor
