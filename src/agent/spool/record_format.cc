#include "agent/spool/record_format.h"

#include <array>

namespace vigil::agent {
namespace {

constexpr std::uint32_t kMagic = 0x31525356;  // "VSR1" read as little-endian.

constexpr std::array<std::uint32_t, 256> MakeCrcTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = MakeCrcTable();

void PutLe(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

std::uint64_t GetLe(std::span<const std::uint8_t> bytes, std::size_t at, int size) {
  std::uint64_t value = 0;
  for (int i = size - 1; i >= 0; --i)
    value = (value << 8) | bytes[at + static_cast<std::size_t>(i)];
  return value;
}

bool IsKnownKind(std::uint8_t kind) { return kind >= 1 && kind <= 3; }

}  // namespace

std::uint32_t Crc32(std::span<const std::uint8_t> data, std::uint32_t crc) {
  crc = ~crc;
  for (const auto byte : data) crc = kCrcTable[(crc ^ byte) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::uint32_t RecordCrc(std::span<const std::uint8_t> header, std::string_view payload) {
  const auto crc = Crc32(header.subspan(4, 20));
  return Crc32({reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size()}, crc);
}

std::string EncodeRecord(std::uint64_t seq, RecordKind kind, std::uint32_t carried,
                         std::string_view payload) {
  std::string out;
  out.reserve(kRecordHeaderSize + payload.size());
  PutLe(out, kMagic, 4);
  PutLe(out, payload.size(), 4);
  PutLe(out, seq, 8);
  PutLe(out, static_cast<std::uint8_t>(kind), 1);
  PutLe(out, 0, 3);
  PutLe(out, carried, 4);
  const auto crc =
      RecordCrc({reinterpret_cast<const std::uint8_t*>(out.data()), out.size()}, payload);
  PutLe(out, crc, 4);
  out.append(payload);
  return out;
}

SegmentScan ScanSegment(std::span<const std::uint8_t> bytes, std::uint64_t min_seq) {
  SegmentScan scan;
  std::size_t at = 0;
  while (bytes.size() - at >= kRecordHeaderSize) {
    const auto header = bytes.subspan(at, kRecordHeaderSize);
    const auto length = GetLe(header, 4, 4);
    const auto seq = GetLe(header, 8, 8);
    const auto kind = header[16];
    if (GetLe(header, 0, 4) != kMagic || length > kMaxRecordPayload || !IsKnownKind(kind) ||
        GetLe(header, 17, 3) != 0 || seq < min_seq ||
        length > bytes.size() - at - kRecordHeaderSize) {
      break;
    }
    const auto payload = bytes.subspan(at + kRecordHeaderSize, length);
    const auto crc = static_cast<std::uint32_t>(GetLe(header, 24, 4));
    if (RecordCrc(header, {reinterpret_cast<const char*>(payload.data()), payload.size()}) != crc) {
      break;
    }
    scan.records.push_back({.seq = seq,
                            .kind = static_cast<RecordKind>(kind),
                            .carried = static_cast<std::uint32_t>(GetLe(header, 20, 4)),
                            .offset = at,
                            .payload_size = length,
                            .crc = crc});
    at += kRecordHeaderSize + length;
    if (seq == UINT64_MAX) break;  // Nothing can follow the last sequence number.
    min_seq = seq + 1;
  }
  scan.valid_bytes = at;
  return scan;
}

}  // namespace vigil::agent
