#include "sensor/dissect/tls/ja4.h"

#include <gtest/gtest.h>

namespace vigil::sensor::tls {
namespace {

// The ClientHello of the example in FoxIO's JA4 specification (technical_details/JA4.md), with
// GREASE values added in each list, which JA4 ignores.
ClientHello SpecificationExample() {
  return {.legacy_version = kTls12,
          .cipher_suites = {0x0a0a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
                            0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035},
          .extensions = {0x2a2a, 0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d,
                         0x0005, 0x0023, 0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015, 0xfafa},
          .server_name = "example.org",
          .alpn = {"h2", "http/1.1"},
          .signature_algorithms = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601},
          .supported_versions = {0x3a3a, kTls13, kTls12}};
}

TEST(Ja4, MatchesTheSpecificationExample) {
  const ClientHello hello = SpecificationExample();

  EXPECT_EQ(Ja4(hello), "t13d1516h2_8daaf6152771_e5627efa2ab1");
  EXPECT_EQ(Ja4Raw(hello),
            "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,"
            "cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,"
            "0804,0401,0503,0805,0501,0806,0601");
}

TEST(Ja4, MatchesTheSpecificationExampleInOriginalOrder) {
  const ClientHello hello = SpecificationExample();

  EXPECT_EQ(Ja4(hello, true), "t13d1516h2_acb858a92679_18f69afefd3d");
  EXPECT_EQ(Ja4Raw(hello, true),
            "t13d1516h2_1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,"
            "0035_001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,"
            "0015_0403,0804,0401,0503,0805,0501,0806,0601");
}

TEST(Ja4, HashesExtensionsAloneWithoutSignatureAlgorithms) {
  ClientHello hello = SpecificationExample();
  hello.signature_algorithms.clear();

  // The specification's example of an extension hash without signature algorithms.
  EXPECT_EQ(Ja4(hello).substr(24), "6d807ffa2a79");
}

TEST(Ja4, UsesZerosForEmptyListsAndTheLegacyVersionWithoutSupportedVersions) {
  const ClientHello hello{.legacy_version = kTls10};

  EXPECT_EQ(Ja4(hello), "t10i000000_000000000000_000000000000");
}

TEST(Ja4, AlpnCharactersFollowTheSpecification) {
  auto code = [](std::string alpn) {
    ClientHello hello{.legacy_version = kTls12, .alpn = {std::move(alpn)}};
    return Ja4(hello).substr(8, 2);
  };

  EXPECT_EQ(code("http/1.1"), "h1");
  EXPECT_EQ(code("x"), "xx");
  EXPECT_EQ(code(""), "00");
  EXPECT_EQ(code("\xab"), "ab");
  EXPECT_EQ(code("\xab\xcd"), "ad");
  EXPECT_EQ(code("\x30\xab"), "3b");
  EXPECT_EQ(code("\x30\x31\xab\xcd"), "3d");
  EXPECT_EQ(code("\x30\xab\xcd\x31"), "01");
}

}  // namespace
}  // namespace vigil::sensor::tls
