#include "sensor/dissect/tls/certificate.h"

#include <algorithm>
#include <ctime>

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::tls {
namespace {

using Bytes = std::span<const std::uint8_t>;

// ASN.1 universal tags (X.680 section 8.4) and the context tag of TBSCertificate's version.
constexpr std::uint8_t kTagInteger = 0x02;
constexpr std::uint8_t kTagOid = 0x06;
constexpr std::uint8_t kTagUtcTime = 0x17;
constexpr std::uint8_t kTagGeneralizedTime = 0x18;
constexpr std::uint8_t kTagBmpString = 0x1e;
constexpr std::uint8_t kTagSequence = 0x30;
constexpr std::uint8_t kTagSet = 0x31;
constexpr std::uint8_t kTagVersion = 0xa0;
constexpr std::uint8_t kOidCommonName[] = {0x55, 0x04, 0x03};  // 2.5.4.3

constexpr std::size_t kMaxCnBytes = 256;

struct Tlv {
  std::uint8_t tag = 0;
  Bytes content;
};

// One DER element (X.690 section 8.1): single-byte tags, definite lengths up to 4 bytes.
ParseResult<Tlv> ReadTlv(ByteReader& reader) {
  Tlv tlv{.tag = reader.U8()};
  std::uint8_t first = reader.U8();
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  if ((tlv.tag & 0x1f) == 0x1f) return tl::unexpected(ParseError::kMalformed);
  std::size_t length = first;
  if (first & 0x80) {
    std::size_t count = first & 0x7f;
    if (count == 0 || count > 4) return tl::unexpected(ParseError::kMalformed);
    length = 0;
    for (std::size_t i = 0; i < count; ++i) length = (length << 8) | reader.U8();
  }
  tlv.content = reader.Bytes(length);
  if (!reader.ok()) return tl::unexpected(ParseError::kTruncated);
  return tlv;
}

ParseResult<Tlv> Expect(ByteReader& reader, std::uint8_t tag) {
  auto tlv = ReadTlv(reader);
  if (tlv && tlv->tag != tag) return tl::unexpected(ParseError::kMalformed);
  return tlv;
}

// BMPString is UCS-2 big-endian (X.680 section 41); kept as UTF-8 for the basic plane.
std::string FromBmp(Bytes bytes) {
  std::string out;
  for (std::size_t i = 0; i + 1 < bytes.size() && out.size() < kMaxCnBytes; i += 2) {
    unsigned c = (unsigned{bytes[i]} << 8) | bytes[i + 1];
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    } else {
      out += static_cast<char>(0xe0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

// Name ::= SEQUENCE OF SET OF AttributeTypeAndValue (RFC 5280 section 4.1.2.4): the first CN.
std::string CommonName(Bytes name) {
  ByteReader rdns(name);
  while (!rdns.empty()) {
    auto rdn = ReadTlv(rdns);
    if (!rdn) return {};
    if (rdn->tag != kTagSet) continue;
    ByteReader attributes(rdn->content);
    while (!attributes.empty()) {
      auto attribute = ReadTlv(attributes);
      if (!attribute) break;
      ByteReader fields(attribute->content);
      auto oid = Expect(fields, kTagOid);
      auto value = ReadTlv(fields);
      if (!oid || !value) continue;
      if (!std::ranges::equal(oid->content, kOidCommonName)) continue;
      if (value->tag == kTagBmpString) return FromBmp(value->content);
      // UTF8String, PrintableString, IA5String, T61String: kept as they are.
      std::string_view text = AsText(value->content);
      return std::string(text.substr(0, std::min(text.size(), kMaxCnBytes)));
    }
  }
  return {};
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool Digits(std::string_view s, std::size_t at, std::size_t n, unsigned& out) {
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

// RFC 5280 section 4.1.2.5: UTCTime YYMMDDHHMMSSZ (YY below 50 is 20YY) or GeneralizedTime
// YYYYMMDDHHMMSSZ, both in UTC with seconds.
ParseResult<std::int64_t> ReadTime(ByteReader& reader) {
  auto tlv = ReadTlv(reader);
  if (!tlv) return tl::unexpected(tlv.error());
  std::string_view s = AsText(tlv->content);
  std::size_t year_digits = tlv->tag == kTagUtcTime ? 2 : tlv->tag == kTagGeneralizedTime ? 4 : 0;
  if (year_digits == 0 || s.size() != year_digits + 11 || s.back() != 'Z') {
    return tl::unexpected(ParseError::kMalformed);
  }
  unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::size_t p = year_digits;
  if (!Digits(s, 0, year_digits, year) || !Digits(s, p, 2, month) || !Digits(s, p + 2, 2, day) ||
      !Digits(s, p + 4, 2, hour) || !Digits(s, p + 6, 2, minute) || !Digits(s, p + 8, 2, second) ||
      month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return tl::unexpected(ParseError::kMalformed);
  }
  if (year_digits == 2) year += year < 50 ? 2000 : 1900;
  return DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

}  // namespace

ParseResult<CertificateSummary> ParseCertificate(Bytes der) {
  ByteReader outer(der);
  auto certificate = Expect(outer, kTagSequence);
  if (!certificate) return tl::unexpected(certificate.error());
  ByteReader cert(certificate->content);
  auto tbs = Expect(cert, kTagSequence);
  if (!tbs) return tl::unexpected(tbs.error());

  ByteReader fields(tbs->content);
  auto first = ReadTlv(fields);  // The version is optional ([0] EXPLICIT, default v1).
  if (first && first->tag == kTagVersion) first = ReadTlv(fields);
  if (!first) return tl::unexpected(first.error());
  if (first->tag != kTagInteger) return tl::unexpected(ParseError::kMalformed);
  auto signature = Expect(fields, kTagSequence);
  auto issuer = signature ? Expect(fields, kTagSequence) : signature;
  auto validity = issuer ? Expect(fields, kTagSequence) : issuer;
  auto subject = validity ? Expect(fields, kTagSequence) : validity;
  if (!subject) return tl::unexpected(subject.error());

  ByteReader period(validity->content);
  auto not_before = ReadTime(period);
  auto not_after = not_before ? ReadTime(period) : not_before;
  if (!not_after) return tl::unexpected(not_after.error());
  return CertificateSummary{.subject_cn = CommonName(subject->content),
                            .issuer_cn = CommonName(issuer->content),
                            .not_before_unix = *not_before,
                            .not_after_unix = *not_after};
}

std::string FormatUtc(std::int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return {};
  char buffer[32];
  std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buffer, n);
}

}  // namespace vigil::sensor::tls
