#include "sensor/flow/tcp_reassembler.h"

namespace vigil::sensor {
namespace {

// RFC 793 / RFC 1982 serial arithmetic: the signed distance from a to b.
std::int32_t Distance(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(b - a); }

}  // namespace

void TcpReassembler::Add(std::uint32_t seq, std::span<const std::uint8_t> payload,
                         const Deliver& deliver) {
  if (payload.empty()) return;
  if (!started_) Start(seq);
  std::int32_t ahead = Distance(next_seq_, seq);
  if (ahead <= 0) {
    // Starts at or before the expected byte: trim what was delivered already.
    auto old = static_cast<std::size_t>(-static_cast<std::int64_t>(ahead));
    if (old >= payload.size()) return;  // A pure retransmission.
    DeliverInOrder(payload.subspan(old), next_seq_, deliver);
    Drain(deliver);
    return;
  }
  // A segment from the future: keep it until the bytes before it come.
  auto it = pending_.find(seq);
  if (it != pending_.end() && it->second.size() >= payload.size()) return;
  if (it != pending_.end()) pending_bytes_ -= it->second.size();
  pending_[seq].assign(payload.begin(), payload.end());
  pending_bytes_ += payload.size();
  while (pending_.size() > kMaxPendingSegments || pending_bytes_ > kMaxPendingBytes) {
    SkipToFirstPending(deliver);
  }
}

void TcpReassembler::Finish(const Deliver& deliver) {
  while (!pending_.empty()) SkipToFirstPending(deliver);
}

void TcpReassembler::DeliverInOrder(std::span<const std::uint8_t> payload, std::uint32_t seq,
                                    const Deliver& deliver) {
  (void)seq;
  next_seq_ += static_cast<std::uint32_t>(payload.size());
  deliver(payload, false);
}

// Delivers waiting segments that now continue the stream, trimming overlaps.
void TcpReassembler::Drain(const Deliver& deliver) {
  bool progress = true;
  while (progress && !pending_.empty()) {
    progress = false;
    for (auto it = pending_.begin(); it != pending_.end();) {
      std::int32_t ahead = Distance(next_seq_, it->first);
      if (ahead > 0) {
        ++it;
        continue;
      }
      std::vector<std::uint8_t> bytes = std::move(it->second);
      pending_bytes_ -= bytes.size();
      it = pending_.erase(it);
      auto old = static_cast<std::size_t>(-static_cast<std::int64_t>(ahead));
      if (old < bytes.size()) {
        DeliverInOrder(std::span<const std::uint8_t>(bytes).subspan(old), next_seq_, deliver);
        progress = true;
      }
    }
  }
}

// Declares the bytes before the nearest waiting segment lost and resumes from it.
void TcpReassembler::SkipToFirstPending(const Deliver& deliver) {
  auto nearest = pending_.begin();
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (Distance(it->first, nearest->first) > 0) nearest = it;
  }
  ++gaps_;
  deliver({}, true);
  next_seq_ = nearest->first;
  Drain(deliver);
}

}  // namespace vigil::sensor
