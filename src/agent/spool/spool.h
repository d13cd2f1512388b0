#pragma once

// The agent's disk spool: every heartbeat, telemetry batch and event batch is appended here
// (and fsynced) before it is sent, sent oldest first, and removed only once the server has
// acknowledged it with a 2xx (Acknowledge) or refused it for good with a 4xx (Reject). So a
// device that is offline for days loses nothing until the spool is full, and a crash loses
// nothing that Append had returned for.
//
// On disk, in its own directory: segment files `seg-<first seq, 16 hex digits>.log` holding
// records (record_format.h), and `spool.state`, replaced atomically, holding the first live
// sequence number (everything below it was acknowledged, rejected or dropped) and the counters.
// Delivery is at least once: a crash between the server's 2xx and the state's update sends that
// record again (the gateway tolerates duplicates).
//
// Bounded: the segment files never exceed `max_bytes` together. When an append would pass it,
// the oldest segment is deleted and its live records counted as dropped (plus what the dropped
// heartbeats themselves were reporting). The agent reads that count with PendingDropped(), puts
// it in the next heartbeat, and appends the heartbeat with it as `carried`, which takes it off
// the pending count. A record that could never fit is itself dropped and counted
// (kResourceExhausted).
//
// Opening recovers from a crash: a torn record at the end of a segment is cut off and reported
// in OpenReport, never fatal; leftover empty or fully acknowledged segments are deleted. An
// exclusive lock (flock on `spool.lock`) keeps a second agent out (kLocked); InspectSpool reads
// the numbers without the lock and without changing anything, for `vigil-agent status`.
//
// Errors: kUnavailable for I/O failures (message names the file), kLocked, kResourceExhausted
// as above, kFailedPrecondition for acknowledging a record that is not the oldest.
// Thread safety: none; one Spool is used by one thread (the agent's loop).

#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "agent/spool/record_format.h"
#include "core/result.h"

namespace vigil::agent {

struct SpoolOptions {
  std::uint64_t max_bytes = 64ull * 1024 * 1024;
  // Size at which a new segment is started; 0: max_bytes / 16, within [4 KiB, 4 MiB]. Dropping
  // works a segment at a time, so this is also how much is dropped at once.
  std::uint64_t segment_bytes = 0;
  bool sync = true;  // fsync appends and state (tests of logic alone may turn it off).
};

struct SpoolStats {
  std::uint64_t records = 0;          // Live: appended, not yet acknowledged, rejected or dropped.
  std::uint64_t bytes = 0;            // Size of the segment files.
  std::uint64_t dropped_pending = 0;  // Dropped, not yet handed to a heartbeat.
  std::uint64_t dropped_total = 0;    // Dropped since the spool was created.
  std::uint64_t rejected_total = 0;   // Refused by the server for good (4xx other than 429).
};

struct OpenReport {
  std::uint64_t torn_bytes = 0;  // Cut from segment ends (a crash mid-append).
  bool state_reset = false;      // spool.state was unreadable; live records are sent again.
};

struct SpoolRecord {
  std::uint64_t seq = 0;
  RecordKind kind = RecordKind::kHeartbeat;
  std::uint32_t carried = 0;
  std::string payload;
};

class Spool {
 public:
  static Result<std::unique_ptr<Spool>> Open(const std::filesystem::path& dir,
                                             SpoolOptions options = {});
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends and syncs a record; returns its sequence number. `carried` is the number of
  // dropped records the payload reports (a heartbeat's spool_dropped, read from
  // PendingDropped()): it is taken off the pending count once the record is on disk, and given
  // back if this record is itself dropped or rejected.
  Result<std::uint64_t> Append(RecordKind kind, std::string_view payload,
                               std::uint32_t carried = 0);

  // The oldest live record, if any (its payload read back and checked against its CRC; a
  // record that no longer matches is dropped, counted, and the next one returned).
  Result<std::optional<SpoolRecord>> Front();

  // Removes the oldest live record after the server's 2xx. `seq` must be that record's; a seq
  // below it (the record was dropped meanwhile) is a no-op.
  Status Acknowledge(std::uint64_t seq);

  // As Acknowledge, for a record the server refused for good; counted in rejected_total.
  Status Reject(std::uint64_t seq);

  // Records dropped and not yet reported in a heartbeat (at most UINT32_MAX).
  std::uint32_t PendingDropped() const;

  SpoolStats stats() const;
  const OpenReport& open_report() const { return report_; }

 private:
  struct Segment;
  struct Entry {
    std::uint64_t seq;
    std::uint64_t segment;  // The first_seq of its segment.
    std::uint64_t offset;
    std::uint64_t size;  // Header and payload.
    std::uint32_t carried;
  };

  Spool(std::filesystem::path dir, SpoolOptions options);
  Status Load();
  Status LoadState();
  Status SaveState();
  Status LoadSegment(const std::filesystem::path& path, std::uint64_t first_seq);
  Status StartSegment();
  Status DropOldestSegment();
  Status RemoveFront(std::uint64_t seq, bool rejected);
  void DeleteDeadSegments();
  void CountDropped(const Entry& entry);
  void UpdateFirstLive();
  Segment* FindSegment(std::uint64_t first_seq);

  std::filesystem::path dir_;
  SpoolOptions options_;
  OpenReport report_;
  int lock_fd_ = -1;
  std::deque<std::unique_ptr<Segment>> segments_;
  std::deque<Entry> entries_;
  std::uint64_t first_live_seq_ = 1;
  std::uint64_t next_seq_ = 1;
  SpoolStats counters_;
};

// What a spool directory holds, read without locking or changing it (a torn tail is ignored).
// kNotFound if `dir` has no spool yet.
Result<SpoolStats> InspectSpool(const std::filesystem::path& dir);

}  // namespace vigil::agent
