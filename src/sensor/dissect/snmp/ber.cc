#include "sensor/dissect/snmp/ber.h"

namespace vigil::sensor::snmp {

const char* ParseErrorName(ParseError error) {
  switch (error) {
    case ParseError::kTruncated:
      return "truncated";
    case ParseError::kMalformed:
      return "malformed";
    case ParseError::kUnsupported:
      return "unsupported";
  }
  return "unknown";
}

ParseResult<Tlv> BerReader::Next() {
  if (bytes_.size() - pos_ < 2) return tl::unexpected(ParseError::kTruncated);
  Tlv tlv{.tag = bytes_[pos_]};
  if ((tlv.tag & 0x1f) == 0x1f) return tl::unexpected(ParseError::kMalformed);
  std::size_t length = bytes_[pos_ + 1];
  pos_ += 2;
  if (length & 0x80) {
    // X.690 section 8.1.3.5: long form; 0x80 alone is the indefinite form.
    std::size_t count = length & 0x7f;
    if (count == 0 || count > 4) return tl::unexpected(ParseError::kMalformed);
    if (bytes_.size() - pos_ < count) return tl::unexpected(ParseError::kTruncated);
    length = 0;
    for (std::size_t i = 0; i < count; ++i) length = (length << 8) | bytes_[pos_++];
  }
  if (bytes_.size() - pos_ < length) return tl::unexpected(ParseError::kTruncated);
  tlv.content = bytes_.subspan(pos_, length);
  pos_ += length;
  return tlv;
}

ParseResult<Tlv> BerReader::Expect(std::uint8_t tag) {
  auto tlv = Next();
  if (tlv && tlv->tag != tag) return tl::unexpected(ParseError::kMalformed);
  return tlv;
}

ParseResult<std::int64_t> BerReader::Integer() {
  auto tlv = Expect(kTagInteger);
  if (!tlv) return tl::unexpected(tlv.error());
  return DecodeInteger(tlv->content);
}

ParseResult<std::int64_t> DecodeInteger(std::span<const std::uint8_t> content) {
  if (content.empty() || content.size() > 8) return tl::unexpected(ParseError::kMalformed);
  // Sign-extend from the first byte, then shift in the rest.
  std::uint64_t value = (content[0] & 0x80) ? ~std::uint64_t{0} : 0;
  for (std::uint8_t b : content) value = (value << 8) | b;
  return static_cast<std::int64_t>(value);
}

ParseResult<std::string> DecodeOid(std::span<const std::uint8_t> content) {
  if (content.empty()) return tl::unexpected(ParseError::kMalformed);
  std::string out;
  std::size_t arcs = 0;
  std::uint64_t value = 0;
  std::size_t bytes_in_arc = 0;
  for (std::uint8_t b : content) {
    if (bytes_in_arc == 0 && b == 0x80) return tl::unexpected(ParseError::kMalformed);
    value = (value << 7) | (b & 0x7f);
    if (++bytes_in_arc > 5 || value > 0xffffffffu + 80ull) {
      return tl::unexpected(ParseError::kMalformed);
    }
    if (b & 0x80) continue;
    if (arcs == 0) {
      // X.690 section 8.19.4: the first subidentifier packs the first two arcs.
      std::uint64_t first = value < 80 ? value / 40 : 2;
      out = std::to_string(first) + '.' + std::to_string(value - first * 40);
      arcs = 2;
    } else {
      if (value > 0xffffffffu) return tl::unexpected(ParseError::kMalformed);
      out += '.';
      out += std::to_string(value);
      ++arcs;
    }
    if (arcs > kMaxOidArcs) return tl::unexpected(ParseError::kMalformed);
    value = 0;
    bytes_in_arc = 0;
  }
  if (bytes_in_arc != 0) return tl::unexpected(ParseError::kTruncated);
  return out;
}

}  // namespace vigil::sensor::snmp
