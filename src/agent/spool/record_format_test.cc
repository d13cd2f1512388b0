#include "agent/spool/record_format.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::agent {
namespace {

std::span<const std::uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(Crc32, MatchesTheStandardCheckValue) {
  const std::string check = "123456789";

  EXPECT_EQ(Crc32(Bytes(check)), 0xCBF43926u);
}

TEST(ScanSegment, ReadsBackWhatWasEncoded) {
  const auto bytes = EncodeRecord(7, RecordKind::kHeartbeat, 3, "{\"a\":1}") +
                     EncodeRecord(8, RecordKind::kTelemetry, 0, "") +
                     EncodeRecord(20, RecordKind::kEvents, 0, "xyz");

  const auto scan = ScanSegment(Bytes(bytes));

  ASSERT_EQ(scan.records.size(), 3u);
  EXPECT_EQ(scan.valid_bytes, bytes.size());
  EXPECT_EQ(scan.records[0].seq, 7u);
  EXPECT_EQ(scan.records[0].kind, RecordKind::kHeartbeat);
  EXPECT_EQ(scan.records[0].carried, 3u);
  EXPECT_EQ(scan.records[0].payload_size, 7u);
  EXPECT_EQ(scan.records[1].offset, kRecordHeaderSize + 7);
  EXPECT_EQ(scan.records[2].kind, RecordKind::kEvents);
}

TEST(ScanSegment, StopsAtATornRecordAtEveryLength) {
  const auto first = EncodeRecord(1, RecordKind::kTelemetry, 0, "first");
  const auto second = EncodeRecord(2, RecordKind::kTelemetry, 0, "second record");

  for (std::size_t cut = 0; cut < second.size(); ++cut) {
    const auto bytes = first + second.substr(0, cut);

    const auto scan = ScanSegment(Bytes(bytes));

    ASSERT_EQ(scan.records.size(), 1u) << "cut " << cut;
    EXPECT_EQ(scan.valid_bytes, first.size()) << "cut " << cut;
  }
}

TEST(ScanSegment, StopsAtAFlippedBitAnywhereInARecord) {
  const auto first = EncodeRecord(1, RecordKind::kTelemetry, 0, "first");
  const auto second = EncodeRecord(2, RecordKind::kHeartbeat, 5, "second record");

  for (std::size_t at = 0; at < second.size(); ++at) {
    auto bytes = first + second;
    bytes[first.size() + at] = static_cast<char>(bytes[first.size() + at] ^ 0x10);

    const auto scan = ScanSegment(Bytes(bytes));

    EXPECT_EQ(scan.records.size(), 1u) << "byte " << at;
  }
}

TEST(ScanSegment, RequiresIncreasingSequenceNumbers) {
  const auto bytes = EncodeRecord(5, RecordKind::kTelemetry, 0, "a") +
                     EncodeRecord(5, RecordKind::kTelemetry, 0, "b");

  EXPECT_EQ(ScanSegment(Bytes(bytes)).records.size(), 1u);
  EXPECT_EQ(ScanSegment(Bytes(bytes), 6).records.size(), 0u);
}

TEST(ScanSegment, AcceptsAnEmptySegment) {
  const auto scan = ScanSegment({});

  EXPECT_TRUE(scan.records.empty());
  EXPECT_EQ(scan.valid_bytes, 0u);
}

}  // namespace
}  // namespace vigil::agent
