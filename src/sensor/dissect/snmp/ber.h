#pragma once

// A bounded reader of BER (ITU-T X.690 section 8) as SNMP uses it (RFC 3416 section 3): single
// byte tags, definite lengths of at most 4 bytes (the indefinite form is refused, SNMP never
// sends it), INTEGER up to 64 bits and OBJECT IDENTIFIER to dotted text. Reads only inside the
// span it was given; allocates only for OID text, which is capped.
//
// Errors: kTruncated when an element runs past the span, kMalformed for an impossible encoding
// (a multi-byte tag, an indefinite or 5-byte length, an oversized integer, a bad OID).
// Thread safety: a reader is a plain value; functions are pure.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <tl/expected.hpp>

namespace vigil::sensor::snmp {

enum class ParseError : std::uint8_t { kTruncated, kMalformed, kUnsupported };
const char* ParseErrorName(ParseError error);  // "truncated", "malformed", "unsupported"

template <typename T>
using ParseResult = tl::expected<T, ParseError>;

inline constexpr std::uint8_t kTagInteger = 0x02;
inline constexpr std::uint8_t kTagOctetString = 0x04;
inline constexpr std::uint8_t kTagNull = 0x05;
inline constexpr std::uint8_t kTagOid = 0x06;
inline constexpr std::uint8_t kTagSequence = 0x30;

inline constexpr std::size_t kMaxOidArcs = 64;

struct Tlv {
  std::uint8_t tag = 0;
  std::span<const std::uint8_t> content;
};

class BerReader {
 public:
  explicit BerReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

  bool empty() const { return pos_ >= bytes_.size(); }

  // The next element, whatever its tag.
  ParseResult<Tlv> Next();
  // The next element, which must have `tag` (else kMalformed).
  ParseResult<Tlv> Expect(std::uint8_t tag);
  // The next element as an INTEGER (two's complement, at most 8 bytes).
  ParseResult<std::int64_t> Integer();

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

// Two's complement big-endian content of at most 8 bytes.
ParseResult<std::int64_t> DecodeInteger(std::span<const std::uint8_t> content);

// "1.3.6.1.2.1.1.5.0" (X.690 section 8.19); at most kMaxOidArcs arcs of 32 bits each.
ParseResult<std::string> DecodeOid(std::span<const std::uint8_t> content);

}  // namespace vigil::sensor::snmp
