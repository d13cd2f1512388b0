#pragma once

// A DNS message (RFC 1035 section 4), as sent by DNS, multicast DNS (RFC 6762) and LLMNR
// (RFC 4795), read from one UDP payload. Parsing is lazy and allocates nothing: it checks the
// header, walks the questions and resource records and keeps, for each, its type, class and the
// offsets of its name and data in the payload. Names are decoded on demand with DecodeName,
// which follows compression pointers (RFC 1035 section 4.1.4) at most kMaxPointers times, so a
// pointer loop ends. The Message holds a span of the payload, which must outlive it.
//
// At most kMaxQuestions questions and kMaxRecords records are kept; when a message declares
// more, or its last records are cut, `truncated` is set and what came before is kept.
//
// Errors (a small enum: hostile traffic must not make the parser allocate):
//   kTruncated  shorter than the 12-byte header, or the first question is cut
//   kBadName    the first question's name is malformed (label over 63 bytes, reserved bits)
// Thread safety: pure functions.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "core/net_address.h"

namespace vigil::sensor::dns {

inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::size_t kMaxQuestions = 16;
inline constexpr std::size_t kMaxRecords = 64;
inline constexpr std::size_t kMaxNameBytes = 255;  // RFC 1035 section 2.3.4, wire form.
inline constexpr int kMaxPointers = 16;

inline constexpr std::uint16_t kTypeA = 1;
inline constexpr std::uint16_t kTypeCname = 5;
inline constexpr std::uint16_t kTypePtr = 12;
inline constexpr std::uint16_t kTypeTxt = 16;
inline constexpr std::uint16_t kTypeAaaa = 28;
inline constexpr std::uint16_t kTypeSrv = 33;

enum class ParseError : std::uint8_t { kTruncated, kBadName };
std::string_view ParseErrorName(ParseError error);  // "truncated", "bad_name"

struct Header {
  std::uint16_t id = 0;
  std::uint16_t flags = 0;
  std::uint16_t question_count = 0;  // As declared; Message keeps at most kMaxQuestions.
  std::uint16_t answer_count = 0;
  std::uint16_t authority_count = 0;
  std::uint16_t additional_count = 0;

  bool response() const { return (flags & 0x8000) != 0; }
  std::uint8_t opcode() const { return static_cast<std::uint8_t>((flags >> 11) & 0x0F); }
  bool authoritative() const { return (flags & 0x0400) != 0; }
  bool truncated() const { return (flags & 0x0200) != 0; }
  std::uint8_t rcode() const { return static_cast<std::uint8_t>(flags & 0x000F); }
};

struct Question {
  std::uint16_t name_offset = 0;
  std::uint16_t type = 0;
  std::uint16_t klass = 0;  // mDNS: the top bit asks for a unicast answer (RFC 6762 5.4).
};

enum class Section : std::uint8_t { kAnswer, kAuthority, kAdditional };

struct Record {
  std::uint16_t name_offset = 0;
  std::uint16_t type = 0;
  std::uint16_t klass = 0;  // mDNS: the top bit is cache-flush (RFC 6762 section 10.2).
  std::uint32_t ttl = 0;
  std::uint16_t data_offset = 0;
  std::uint16_t data_length = 0;
  Section section = Section::kAnswer;
};

struct Message {
  std::span<const std::uint8_t> bytes;  // The whole payload, for names and record data.
  Header header;
  std::array<Question, kMaxQuestions> question_storage{};
  std::array<Record, kMaxRecords> record_storage{};
  std::size_t question_count = 0;
  std::size_t record_count = 0;
  bool truncated = false;  // Fewer questions or records kept than declared.

  std::span<const Question> questions() const {
    return std::span(question_storage).first(question_count);
  }
  std::span<const Record> records() const { return std::span(record_storage).first(record_count); }
  std::span<const std::uint8_t> Data(const Record& record) const {
    return bytes.subspan(record.data_offset, record.data_length);
  }
};

tl::expected<Message, ParseError> ParseDns(std::span<const std::uint8_t> payload);

// The name at `offset` in `message` as dotted text ("pump-12.local"; the root is ""), following
// compression pointers. Label bytes are kept as they are (mDNS instance names hold spaces and
// UTF-8); the caller makes them safe. Returns nullopt if the name runs past the message, has a
// label over 63 bytes or reserved label bits, follows more than kMaxPointers pointers or exceeds
// kMaxNameBytes.
std::optional<std::string> DecodeName(std::span<const std::uint8_t> message, std::size_t offset);

// Record data readers; nullopt when the data has the wrong size or shape.
std::optional<IpAddress> AddressOf(const Message& message, const Record& record);   // A, AAAA
std::optional<std::string> TargetOf(const Message& message, const Record& record);  // PTR, CNAME

struct Service {
  std::uint16_t priority = 0;
  std::uint16_t weight = 0;
  std::uint16_t port = 0;
  std::string target;
};
std::optional<Service> ServiceOf(const Message& message, const Record& record);  // SRV

// Calls `visit` with each character-string of a TXT record (RFC 1035 section 3.3.14), at most
// `limit` of them; stops at a string that runs past the data.
template <typename Visit>
void ForEachText(std::span<const std::uint8_t> data, std::size_t limit, Visit visit) {
  std::size_t pos = 0;
  for (std::size_t n = 0; n < limit && pos < data.size(); ++n) {
    const std::size_t length = data[pos];
    if (pos + 1 + length > data.size()) return;
    visit(std::string_view(reinterpret_cast<const char*>(data.data() + pos + 1), length));
    pos += 1 + length;
  }
}

}  // namespace vigil::sensor::dns
