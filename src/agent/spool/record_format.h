#pragma once

// The on-disk framing of spool records (see spool.h), as pure functions over bytes so that a
// fuzz target can throw anything at the scanner. A segment file is a run of records:
//
//   offset  size  field
//   0       4     magic "VSR1"
//   4       4     payload length, little-endian, at most kMaxRecordPayload
//   8       8     sequence number, little-endian, strictly increasing through the spool
//   16      1     kind (RecordKind)
//   17      3     zero
//   20      4     carried: spool drops this record reports (a heartbeat's spool_dropped)
//   24      4     CRC-32 (IEEE 802.3) of bytes 4..24 and of the payload
//   28      n     payload (the HTTP body to send)
//
// A crash while appending leaves at most one torn record at the end of the last segment; the
// scanner stops at the first record that is short, has a bad magic, kind, length or checksum,
// or does not increase the sequence, and reports how many leading bytes are sound.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::agent {

enum class RecordKind : std::uint8_t { kHeartbeat = 1, kTelemetry = 2, kEvents = 3 };

inline constexpr std::size_t kRecordHeaderSize = 28;
inline constexpr std::size_t kMaxRecordPayload = 16 * 1024 * 1024;

// Where a record sits in its segment.
struct RecordLocation {
  std::uint64_t seq = 0;
  RecordKind kind = RecordKind::kHeartbeat;
  std::uint32_t carried = 0;
  std::size_t offset = 0;        // Of the header, from the start of the segment.
  std::size_t payload_size = 0;  // The payload starts at offset + kRecordHeaderSize.
  std::uint32_t crc = 0;
};

struct SegmentScan {
  std::vector<RecordLocation> records;
  std::size_t valid_bytes = 0;  // Bytes before the first unsound record (or all of them).
};

// The header and payload of one record, ready to be written with a single write(2).
std::string EncodeRecord(std::uint64_t seq, RecordKind kind, std::uint32_t carried,
                         std::string_view payload);

// The sound records at the start of `bytes`; `min_seq` is the lowest sequence number the first
// record may have (the previous segment's last + 1).
SegmentScan ScanSegment(std::span<const std::uint8_t> bytes, std::uint64_t min_seq = 0);

// CRC-32 (IEEE 802.3, as in zlib), continued from `crc` (0 to start).
std::uint32_t Crc32(std::span<const std::uint8_t> data, std::uint32_t crc = 0);

// The CRC a record stores, for re-checking a payload read back later.
std::uint32_t RecordCrc(std::span<const std::uint8_t> header, std::string_view payload);

}  // namespace vigil::agent
