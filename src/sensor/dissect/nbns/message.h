#pragma once

// A NetBIOS name service message (RFC 1002 section 4.2; UDP 137) read from one UDP payload.
// The header is DNS's; names are NetBIOS names in the first-level encoding (RFC 1001 section
// 14.1: 16 bytes, each split into two nibbles written as 'A' + nibble, 32 characters) with an
// optional scope. Parsing allocates nothing: names are decoded into fixed arrays, record data
// is a span into the payload (which must outlive the Message).
//
// At most kMaxQuestions questions and kMaxRecords records are kept (RFC 1002 messages carry one
// or two); extra or cut ones set `truncated`. A record's name may be a compression pointer to an
// earlier name (as responses point at the question); pointers are followed once, backwards only.
//
// Errors (a small enum: hostile traffic must not make the parser allocate):
//   kTruncated  shorter than the header, or the first name or entry is cut
//   kBadName    the first name is not 32 characters 'A' to 'P'
// Thread safety: pure functions.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace vigil::sensor::nbns {

inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::size_t kEncodedNameSize = 32;
inline constexpr std::size_t kMaxQuestions = 4;
inline constexpr std::size_t kMaxRecords = 8;
inline constexpr std::size_t kMaxStatusNames = 64;

inline constexpr std::uint16_t kTypeNb = 0x20;      // NetBIOS general name service resource.
inline constexpr std::uint16_t kTypeNbstat = 0x21;  // Node status.

inline constexpr std::uint8_t kOpQuery = 0;
inline constexpr std::uint8_t kOpRegistration = 5;
inline constexpr std::uint8_t kOpRelease = 6;
inline constexpr std::uint8_t kOpWack = 7;
inline constexpr std::uint8_t kOpRefresh = 8;
inline constexpr std::uint8_t kOpRefreshAlt = 9;  // Some stacks send refresh as 9.
inline constexpr std::uint8_t kOpMultiHomed = 15;

enum class ParseError : std::uint8_t { kTruncated, kBadName };
std::string_view ParseErrorName(ParseError error);  // "truncated", "bad_name"

// A decoded NetBIOS name: up to 15 characters (trailing spaces and NULs removed) and the
// suffix byte that says what it names (0x00 workstation, 0x20 server, 0x1C domain controllers).
struct Name {
  std::array<char, 15> chars{};
  std::uint8_t length = 0;
  std::uint8_t suffix = 0;
  std::string_view text() const { return {chars.data(), length}; }
};

// "PUMP12<20>": the name, then the suffix in upper-case hex, as nbtstat shows it.
std::string NameText(const Name& name);

// The 16 raw bytes of a NetBIOS name (a node status entry) as a Name.
Name NameFromRaw(std::span<const std::uint8_t, 16> raw);

struct Question {
  Name name;
  std::uint16_t type = 0;
};

struct Record {
  Name name;
  std::uint16_t type = 0;
  std::uint32_t ttl = 0;
  std::span<const std::uint8_t> data;
};

struct Message {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;
  std::array<Question, kMaxQuestions> question_storage{};
  std::array<Record, kMaxRecords> record_storage{};
  std::size_t question_count = 0;
  std::size_t record_count = 0;
  bool truncated = false;

  bool response() const { return (flags & 0x8000) != 0; }
  std::uint8_t opcode() const { return static_cast<std::uint8_t>((flags >> 11) & 0x0F); }
  std::uint8_t rcode() const { return static_cast<std::uint8_t>(flags & 0x000F); }
  bool broadcast() const { return (flags & 0x0010) != 0; }
  std::span<const Question> questions() const {
    return std::span(question_storage).first(question_count);
  }
  std::span<const Record> records() const { return std::span(record_storage).first(record_count); }
};

tl::expected<Message, ParseError> ParseNbns(std::span<const std::uint8_t> payload);

// True when `bytes` begins with a first-level encoded name (0x20 then 32 bytes 'A' to 'P').
bool LooksLikeEncodedName(std::span<const std::uint8_t> bytes);

// An NB record's address entries (RFC 1002 section 4.2.2: NB_FLAGS, NB_ADDRESS).
struct NbEntry {
  bool group = false;
  std::uint32_t address = 0;  // Host order.
};
// Calls visit(NbEntry) for each whole 6-byte entry of `data`, at most `limit`.
template <typename Visit>
void ForEachNbEntry(std::span<const std::uint8_t> data, std::size_t limit, Visit visit) {
  for (std::size_t i = 0; i < limit && (i + 1) * 6 <= data.size(); ++i) {
    const auto e = data.subspan(i * 6, 6);
    visit(NbEntry{.group = (e[0] & 0x80) != 0,
                  .address = (std::uint32_t{e[2]} << 24) | (std::uint32_t{e[3]} << 16) |
                             (std::uint32_t{e[4]} << 8) | e[5]});
  }
}

// A node status response's names (RFC 1002 section 4.2.18) and unit id (the first six bytes of
// its statistics: the adapter's MAC address).
struct StatusEntry {
  Name name;
  bool group = false;
};
struct NodeStatus {
  std::array<StatusEntry, kMaxStatusNames> entry_storage{};
  std::size_t entry_count = 0;
  std::array<std::uint8_t, 6> unit_id{};
  bool has_unit_id = false;
  std::span<const StatusEntry> entries() const {
    return std::span(entry_storage).first(entry_count);
  }
};
NodeStatus ParseNodeStatus(std::span<const std::uint8_t> data);

}  // namespace vigil::sensor::nbns
