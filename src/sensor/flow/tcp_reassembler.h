#pragma once

// TcpReassembler: puts one direction of a TCP connection back in order for a stream dissector.
// Segments at the expected sequence number are delivered at once; later ones wait (at most
// kMaxPendingSegments segments and kMaxPendingBytes bytes); retransmitted bytes are trimmed.
// When the waiting room overflows, or the connection ends with segments still waiting, the
// missing bytes are declared a gap and delivery resumes after it. Sequence numbers wrap (RFC 793
// comparisons modulo 2^32). Not thread-safe; owned by one flow.

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace vigil::sensor {

class TcpReassembler {
 public:
  static constexpr std::size_t kMaxPendingSegments = 32;
  static constexpr std::size_t kMaxPendingBytes = 128 * 1024;

  // Called with each run of in-order bytes, and with an empty span and gap == true when bytes
  // were skipped. A non-owning reference to a callable (no allocation per segment): the
  // callable must outlive the call it is passed to.
  class Deliver {
   public:
    template <typename F>
    Deliver(F& f)  // NOLINT(google-explicit-constructor): passed like a std::function.
        : object_(&f), call_([](void* o, std::span<const std::uint8_t> bytes, bool gap) {
            (*static_cast<F*>(o))(bytes, gap);
          }) {}
    void operator()(std::span<const std::uint8_t> bytes, bool gap) const {
      call_(object_, bytes, gap);
    }

   private:
    void* object_;
    void (*call_)(void*, std::span<const std::uint8_t>, bool);
  };

  // The sequence number of the first data byte (SYN's sequence + 1). Without a SYN, the first
  // data segment sets it.
  void Start(std::uint32_t next_seq) {
    next_seq_ = next_seq;
    started_ = true;
  }
  bool started() const { return started_; }

  // One segment's payload at sequence number `seq`.
  void Add(std::uint32_t seq, std::span<const std::uint8_t> payload, const Deliver& deliver);

  // No more segments will come: deliver what waits, with gaps where bytes are missing.
  void Finish(const Deliver& deliver);

  std::uint64_t gaps() const { return gaps_; }

 private:
  void DeliverInOrder(std::span<const std::uint8_t> payload, std::uint32_t seq,
                      const Deliver& deliver);
  void Drain(const Deliver& deliver);
  void SkipToFirstPending(const Deliver& deliver);

  std::uint32_t next_seq_ = 0;
  bool started_ = false;
  std::uint64_t gaps_ = 0;
  std::size_t pending_bytes_ = 0;
  // Waiting segments by their offset from next_seq_ at the time they arrived is not stable as
  // next_seq_ moves; they are keyed by absolute sequence number and compared modulo 2^32.
  std::map<std::uint32_t, std::vector<std::uint8_t>> pending_;
};

}  // namespace vigil::sensor
