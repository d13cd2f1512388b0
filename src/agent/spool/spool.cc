#include "agent/spool/spool.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "agent/spool/atomic_file.h"
#include "agent/spool/spool_state.h"
#include "core/check.h"

namespace vigil::agent {
namespace {

constexpr std::string_view kStateFile = "spool.state";
constexpr std::string_view kLockFile = "spool.lock";
constexpr std::size_t kMaxStateBytes = 4096;
constexpr std::uint64_t kMinSegmentBytes = 4 * 1024;
constexpr std::uint64_t kMaxSegmentBytes = 4 * 1024 * 1024;

Error IoError(const std::filesystem::path& path, std::string_view what, int err) {
  return Error{ErrorCode::kUnavailable,
               "spool: " + path.string() + ": " + std::string(what) + ": " + std::strerror(err)};
}

Result<std::string> ReadAllAt(int fd, std::uint64_t offset, std::uint64_t size,
                              const std::filesystem::path& path) {
  std::string data(size, '\0');
  std::uint64_t done = 0;
  while (done < size) {
    const auto n = ::pread(fd, data.data() + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return tl::unexpected(IoError(path, "read", errno));
    if (n == 0) return MakeError(ErrorCode::kDataLoss, "spool: " + path.string() + ": short read");
    done += static_cast<std::uint64_t>(n);
  }
  return data;
}

std::span<const std::uint8_t> Bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

struct Spool::Segment {
  std::uint64_t first_seq = 0;
  std::filesystem::path path;
  int fd = -1;
  std::uint64_t size = 0;
  ~Segment() {
    if (fd >= 0) ::close(fd);
  }
};

Spool::Spool(std::filesystem::path dir, SpoolOptions options)
    : dir_(std::move(dir)), options_(options) {
  if (options_.segment_bytes == 0) {
    options_.segment_bytes =
        std::clamp(options_.max_bytes / 16, kMinSegmentBytes, kMaxSegmentBytes);
  }
}

Spool::~Spool() {
  segments_.clear();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // Releases the flock.
}

Result<std::unique_ptr<Spool>> Spool::Open(const std::filesystem::path& dir, SpoolOptions options) {
  std::unique_ptr<Spool> spool(new Spool(dir, options));
  VIGIL_RETURN_IF_ERROR(spool->Load());
  return spool;
}

Status Spool::Load() {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec)
    return MakeError(ErrorCode::kUnavailable, "spool: " + dir_.string() + ": " + ec.message());
  const auto lock_path = dir_ / kLockFile;
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd_ < 0) return tl::unexpected(IoError(lock_path, "open", errno));
  if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
    return MakeError(ErrorCode::kLocked, "spool: " + dir_.string() + " is in use by another agent");
  }
  VIGIL_RETURN_IF_ERROR(LoadState());

  std::vector<std::pair<std::uint64_t, std::filesystem::path>> found;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    const auto name = entry.path().filename().string();
    if (const auto seq = ParseSegmentFileName(name)) {
      found.emplace_back(*seq, entry.path());
    } else if (name.find(".tmp-") != std::string::npos) {
      std::filesystem::remove(entry.path(), ec);  // A state write cut short by a crash.
    }
  }
  if (ec)
    return MakeError(ErrorCode::kUnavailable, "spool: " + dir_.string() + ": " + ec.message());
  std::sort(found.begin(), found.end());
  for (const auto& [first_seq, path] : found) VIGIL_RETURN_IF_ERROR(LoadSegment(path, first_seq));
  for (const auto& segment : segments_) next_seq_ = std::max(next_seq_, segment->first_seq);
  if (!entries_.empty()) next_seq_ = std::max(next_seq_, entries_.back().seq + 1);
  next_seq_ = std::max(next_seq_, first_live_seq_);
  UpdateFirstLive();
  DeleteDeadSegments();
  return OkStatus();
}

Status Spool::LoadSegment(const std::filesystem::path& path, std::uint64_t first_seq) {
  auto segment = std::make_unique<Segment>();
  segment->first_seq = first_seq;
  segment->path = path;
  segment->fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (segment->fd < 0) return tl::unexpected(IoError(path, "open", errno));
  struct stat st {};
  if (::fstat(segment->fd, &st) != 0) return tl::unexpected(IoError(path, "stat", errno));
  auto data = ReadAllAt(segment->fd, 0, static_cast<std::uint64_t>(st.st_size), path);
  if (!data) return tl::unexpected(std::move(data).error());
  // Records continue the sequence of the previous segment, and start no lower than the name.
  std::uint64_t min_seq = first_seq;
  if (!entries_.empty()) min_seq = std::max(min_seq, entries_.back().seq + 1);
  if (!segments_.empty()) min_seq = std::max(min_seq, segments_.back()->first_seq + 1);
  const auto scan = ScanSegment(Bytes(*data), min_seq);
  if (scan.valid_bytes < data->size()) {
    report_.torn_bytes += data->size() - scan.valid_bytes;
    if (::ftruncate(segment->fd, static_cast<off_t>(scan.valid_bytes)) != 0 ||
        (options_.sync && ::fsync(segment->fd) != 0)) {
      return tl::unexpected(IoError(path, "truncate torn record", errno));
    }
  }
  segment->size = scan.valid_bytes;
  for (const auto& record : scan.records) {
    if (record.seq < first_live_seq_) continue;
    entries_.push_back({.seq = record.seq,
                        .segment = first_seq,
                        .offset = record.offset,
                        .size = kRecordHeaderSize + record.payload_size,
                        .carried = record.carried});
  }
  if (!scan.records.empty()) next_seq_ = std::max(next_seq_, scan.records.back().seq + 1);
  counters_.bytes += segment->size;
  segments_.push_back(std::move(segment));
  return OkStatus();
}

Status Spool::LoadState() {
  auto text = ReadWholeFile(dir_ / kStateFile, kMaxStateBytes);
  if (!text && text.error().code == ErrorCode::kNotFound) return OkStatus();
  auto state = text ? ParseSpoolState(*text) : tl::unexpected(std::move(text).error());
  if (!state) {
    if (state.error().code == ErrorCode::kUnavailable) return tl::unexpected(state.error());
    report_.state_reset = true;  // Resend rather than lose: duplicates beat gaps.
    return OkStatus();
  }
  first_live_seq_ = std::max<std::uint64_t>(state->first_live_seq, 1);
  counters_.dropped_pending = state->dropped_pending;
  counters_.dropped_total = state->dropped_total;
  counters_.rejected_total = state->rejected_total;
  return OkStatus();
}

Status Spool::SaveState() {
  const SpoolState state{.first_live_seq = first_live_seq_,
                         .dropped_pending = counters_.dropped_pending,
                         .dropped_total = counters_.dropped_total,
                         .rejected_total = counters_.rejected_total};
  return WriteFileAtomically(dir_ / kStateFile, FormatSpoolState(state), 0600, options_.sync);
}

Status Spool::StartSegment() {
  auto segment = std::make_unique<Segment>();
  segment->first_seq = next_seq_;
  segment->path = dir_ / SegmentFileName(next_seq_);
  segment->fd = ::open(segment->path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (segment->fd < 0) return tl::unexpected(IoError(segment->path, "create", errno));
  if (options_.sync) VIGIL_RETURN_IF_ERROR(SyncDirectory(dir_));
  segments_.push_back(std::move(segment));
  return OkStatus();
}

Spool::Segment* Spool::FindSegment(std::uint64_t first_seq) {
  for (auto& segment : segments_) {
    if (segment->first_seq == first_seq) return segment.get();
  }
  return nullptr;
}

void Spool::UpdateFirstLive() {
  first_live_seq_ = entries_.empty() ? next_seq_ : entries_.front().seq;
}

void Spool::CountDropped(const Entry& entry) {
  counters_.dropped_pending += 1 + entry.carried;
  counters_.dropped_total += 1;
}

Status Spool::DropOldestSegment() {
  const auto first_seq = segments_.front()->first_seq;
  while (!entries_.empty() && entries_.front().segment == first_seq) {
    CountDropped(entries_.front());
    entries_.pop_front();
  }
  UpdateFirstLive();
  // The state first: after a crash here the segment's records are below first_live_seq and the
  // next Load deletes it.
  VIGIL_RETURN_IF_ERROR(SaveState());
  counters_.bytes -= segments_.front()->size;
  ::unlink(segments_.front()->path.c_str());
  segments_.pop_front();
  return OkStatus();
}

void Spool::DeleteDeadSegments() {
  // A segment holds sequence numbers below the next one's first, so it is dead once that first
  // is at or below first_live_seq_. The last segment stays (appends go there) unless it is both
  // dead and full.
  while (!segments_.empty()) {
    const bool last = segments_.size() == 1;
    const bool dead = last ? entries_.empty() : segments_[1]->first_seq <= first_live_seq_;
    if (!dead || (last && segments_.front()->size < options_.segment_bytes)) break;
    counters_.bytes -= segments_.front()->size;
    ::unlink(segments_.front()->path.c_str());
    segments_.pop_front();
  }
}

Result<std::uint64_t> Spool::Append(RecordKind kind, std::string_view payload,
                                    std::uint32_t carried) {
  const std::uint64_t size = kRecordHeaderSize + payload.size();
  if (payload.size() > kMaxRecordPayload || size > options_.max_bytes) {
    CountDropped({.carried = carried});
    VIGIL_RETURN_IF_ERROR(SaveState());
    return MakeError(ErrorCode::kResourceExhausted,
                     "spool: a record of " + std::to_string(size) + " bytes can never fit in " +
                         std::to_string(options_.max_bytes) + "; dropped");
  }
  while (!segments_.empty() && counters_.bytes + size > options_.max_bytes) {
    VIGIL_RETURN_IF_ERROR(DropOldestSegment());
  }
  if (segments_.empty() || segments_.back()->size >= options_.segment_bytes) {
    VIGIL_RETURN_IF_ERROR(StartSegment());
  }
  auto& segment = *segments_.back();
  const auto record = EncodeRecord(next_seq_, kind, carried, payload);
  std::uint64_t done = 0;
  while (done < record.size()) {
    const auto n = ::pwrite(segment.fd, record.data() + done, record.size() - done,
                            static_cast<off_t>(segment.size + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      // Leave no partial record behind for the next append to follow.
      (void)!::ftruncate(segment.fd, static_cast<off_t>(segment.size));
      return tl::unexpected(IoError(segment.path, "append", err));
    }
    done += static_cast<std::uint64_t>(n);
  }
  if (options_.sync && ::fdatasync(segment.fd) != 0) {
    const int err = errno;
    (void)!::ftruncate(segment.fd, static_cast<off_t>(segment.size));
    return tl::unexpected(IoError(segment.path, "sync", err));
  }
  const auto seq = next_seq_++;
  entries_.push_back({.seq = seq,
                      .segment = segment.first_seq,
                      .offset = segment.size,
                      .size = size,
                      .carried = carried});
  segment.size += size;
  counters_.bytes += size;
  if (carried > 0) {
    counters_.dropped_pending -= std::min<std::uint64_t>(carried, counters_.dropped_pending);
    VIGIL_RETURN_IF_ERROR(SaveState());
  }
  return seq;
}

Result<std::optional<SpoolRecord>> Spool::Front() {
  while (!entries_.empty()) {
    const auto entry = entries_.front();
    auto* segment = FindSegment(entry.segment);
    VIGIL_CHECK(segment != nullptr, "spool entry without its segment");
    auto bytes = ReadAllAt(segment->fd, entry.offset, entry.size, segment->path);
    if (!bytes && bytes.error().code != ErrorCode::kDataLoss) return tl::unexpected(bytes.error());
    const auto scan = bytes ? ScanSegment(Bytes(*bytes), entry.seq) : SegmentScan{};
    if (scan.records.size() == 1 && scan.records[0].seq == entry.seq) {
      return SpoolRecord{.seq = entry.seq,
                         .kind = scan.records[0].kind,
                         .carried = entry.carried,
                         .payload = bytes->substr(kRecordHeaderSize)};
    }
    // Changed on disk since it was written (a failing disk): it can no longer be sent.
    CountDropped(entry);
    entries_.pop_front();
    UpdateFirstLive();
    VIGIL_RETURN_IF_ERROR(SaveState());
  }
  return std::optional<SpoolRecord>();
}

Status Spool::RemoveFront(std::uint64_t seq, bool rejected) {
  if (entries_.empty() || seq < entries_.front().seq) return OkStatus();
  if (seq != entries_.front().seq) {
    return MakeError(ErrorCode::kFailedPrecondition,
                     "spool: record " + std::to_string(seq) + " is not the oldest (" +
                         std::to_string(entries_.front().seq) + ")");
  }
  if (rejected) {
    counters_.rejected_total += 1;
    counters_.dropped_pending += entries_.front().carried;  // Its report never arrived.
  }
  entries_.pop_front();
  UpdateFirstLive();
  VIGIL_RETURN_IF_ERROR(SaveState());
  DeleteDeadSegments();
  return OkStatus();
}

Status Spool::Acknowledge(std::uint64_t seq) { return RemoveFront(seq, false); }
Status Spool::Reject(std::uint64_t seq) { return RemoveFront(seq, true); }

std::uint32_t Spool::PendingDropped() const {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(counters_.dropped_pending, UINT32_MAX));
}

SpoolStats Spool::stats() const {
  auto stats = counters_;
  stats.records = entries_.size();
  return stats;
}

}  // namespace vigil::agent
