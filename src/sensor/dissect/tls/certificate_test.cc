#include "sensor/dissect/tls/certificate.h"

#include <gtest/gtest.h>

#include "sensor/dissect/tls/tls_builders_test.h"

namespace vigil::sensor::tls {
namespace {

// The Certificate message body in a server flight of records, each holding whole messages.
ByteVector CertificateBody(const ByteVector& flight) {
  std::size_t at = 0;
  while (at + 9 <= flight.size()) {
    std::size_t record = (std::size_t{flight[at + 3]} << 8) | flight[at + 4];
    std::size_t length =
        (std::size_t{flight[at + 6]} << 16) | (std::size_t{flight[at + 7]} << 8) | flight[at + 8];
    if (flight[at] == 22 && flight[at + 5] == kCertificate && at + 9 + length <= flight.size()) {
      return {flight.begin() + static_cast<long>(at + 9),
              flight.begin() + static_cast<long>(at + 9 + length)};
    }
    at += 5 + record;
  }
  return {};
}

ByteVector Tlv(std::uint8_t tag, const ByteVector& content) {
  ByteVector out{tag};
  if (content.size() < 128) {
    out.push_back(static_cast<std::uint8_t>(content.size()));
  } else {
    out.push_back(0x82);
    PutU16(out, content.size());
  }
  Append(out, content);
  return out;
}

ByteVector Text(std::string_view s) { return {s.begin(), s.end()}; }

ByteVector Name(std::uint8_t string_tag, const ByteVector& cn) {
  ByteVector attribute = Tlv(0x06, {0x55, 0x04, 0x03});
  Append(attribute, Tlv(string_tag, cn));
  ByteVector organisation = Tlv(0x06, {0x55, 0x04, 0x0a});
  Append(organisation, Tlv(0x13, Text("Vigil")));
  ByteVector rdns = Tlv(0x31, Tlv(0x30, organisation));
  Append(rdns, Tlv(0x31, Tlv(0x30, attribute)));
  return Tlv(0x30, rdns);
}

// A v1 certificate (no version field) with the given validity times.
ByteVector MakeCertificate(const ByteVector& validity, std::uint8_t string_tag = 0x0c) {
  ByteVector tbs = Tlv(0x02, {0x01});
  Append(tbs, Tlv(0x30, Tlv(0x06, {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02})));
  Append(tbs, Name(0x13, Text("Vigil Test CA")));
  Append(tbs, Tlv(0x30, validity));
  Append(tbs, Name(string_tag, string_tag == 0x1e ? ByteVector{0x00, 'p', 0x00, 0xfc}
                                                  : Text("infusion-pump-7")));
  ByteVector cert = Tlv(0x30, tbs);
  Append(cert, Tlv(0x30, Tlv(0x06, {0x2a})));
  Append(cert, Tlv(0x03, {0x00}));
  return Tlv(0x30, cert);
}

ByteVector Validity(std::string_view not_before, std::string_view not_after, std::uint8_t tag) {
  ByteVector out = Tlv(tag, Text(not_before));
  Append(out, Tlv(tag, Text(not_after)));
  return out;
}

TEST(ParseCertificate, ReadsOpenSslServerCertificate) {
  const ByteVector body = CertificateBody(Testdata("tls12_server.bin"));
  ASSERT_FALSE(body.empty());
  const auto der = FirstCertificate(body);
  ASSERT_TRUE(der);

  const auto summary = ParseCertificate(*der);

  ASSERT_TRUE(summary) << ParseErrorName(summary.error());
  EXPECT_EQ(summary->subject_cn, "pump-gw.example");
  EXPECT_EQ(summary->issuer_cn, "pump-gw.example");
  EXPECT_EQ(FormatUtc(summary->not_before_unix), "2026-11-29T04:24:57Z");
  EXPECT_EQ(FormatUtc(summary->not_after_unix), "2036-11-26T04:24:57Z");
}

TEST(ParseCertificate, ReadsAVersion1CertificateWithUtcTimes) {
  const auto summary =
      ParseCertificate(MakeCertificate(Validity("491231235959Z", "500101000000Z", 0x17)));

  ASSERT_TRUE(summary) << ParseErrorName(summary.error());
  EXPECT_EQ(summary->subject_cn, "infusion-pump-7");
  EXPECT_EQ(summary->issuer_cn, "Vigil Test CA");
  // RFC 5280 section 4.1.2.5.1: YY below 50 is 20YY, else 19YY.
  EXPECT_EQ(FormatUtc(summary->not_before_unix), "2049-12-31T23:59:59Z");
  EXPECT_EQ(FormatUtc(summary->not_after_unix), "1950-01-01T00:00:00Z");
}

TEST(ParseCertificate, ReadsGeneralizedTimeAndBmpStrings) {
  const auto summary =
      ParseCertificate(MakeCertificate(Validity("20200101000000Z", "20991231235959Z", 0x18), 0x1e));

  ASSERT_TRUE(summary) << ParseErrorName(summary.error());
  EXPECT_EQ(summary->subject_cn, "p\xc3\xbc");
  EXPECT_EQ(summary->not_before_unix, 1577836800);
}

TEST(ParseCertificate, RejectsABadTime) {
  const auto summary =
      ParseCertificate(MakeCertificate(Validity("20201301000000Z", "20991231235959Z", 0x18)));

  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error(), ParseError::kMalformed);
}

TEST(ParseCertificate, RejectsLengthsOfMoreThanFourBytes) {
  const ByteVector der{0x30, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00};

  const auto summary = ParseCertificate(der);

  ASSERT_FALSE(summary);
  EXPECT_EQ(summary.error(), ParseError::kMalformed);
}

TEST(ParseCertificate, EveryTruncationFailsCleanly) {
  const ByteVector der = MakeCertificate(Validity("20200101000000Z", "20991231235959Z", 0x18));

  for (std::size_t n = 0; n < der.size(); ++n) {
    EXPECT_FALSE(ParseCertificate(std::span(der).first(n))) << n;
  }
}

}  // namespace
}  // namespace vigil::sensor::tls
