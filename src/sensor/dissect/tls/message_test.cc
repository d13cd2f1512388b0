#include "sensor/dissect/tls/message.h"

#include <gtest/gtest.h>

#include "sensor/dissect/tls/ja3.h"
#include "sensor/dissect/tls/tls_builders_test.h"

namespace vigil::sensor::tls {
namespace {

using Versions = std::vector<std::uint16_t>;

TEST(ParseClientHello, ReadsOpenSslTls12Hello) {
  const ByteVector body = FirstMessageBody(Testdata("tls12_client.bin"));
  ASSERT_FALSE(body.empty()) << "testdata/tls12_client.bin missing";

  const auto hello = ParseClientHello(body);

  ASSERT_TRUE(hello) << ParseErrorName(hello.error());
  EXPECT_EQ(hello->legacy_version, kTls12);
  EXPECT_EQ(hello->server_name, "pump-gw.example");
  EXPECT_EQ(hello->alpn, std::vector<std::string>{"http/1.1"});
  EXPECT_EQ(hello->cipher_suites.size(), 28u);
  EXPECT_EQ(hello->extensions, (Versions{0, 11, 10, 35, 16, 22, 23, 13}));
  EXPECT_EQ(hello->supported_groups, (Versions{29, 23, 30, 25, 24}));
  EXPECT_EQ(hello->ec_point_formats, (std::vector<std::uint8_t>{0, 1, 2}));
  EXPECT_FALSE(hello->signature_algorithms.empty());
  EXPECT_TRUE(hello->supported_versions.empty());
}

TEST(ParseClientHello, ReadsSupportedVersionsOfATls13Hello) {
  const auto hello = ParseClientHello(FirstMessageBody(Testdata("tls13_client.bin")));

  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->supported_versions, (Versions{kTls13, kTls12, kTls11, kTls10}));
}

// The JA3 strings and hashes tshark 4.0 printed for the same captures.
TEST(Ja3, MatchesTsharkOnCapturedHellos) {
  const auto client12 = ParseClientHello(FirstMessageBody(Testdata("tls12_client.bin")));
  const auto server12 = ParseServerHello(FirstMessageBody(Testdata("tls12_server.bin")));
  const auto client13 = ParseClientHello(FirstMessageBody(Testdata("tls13_client.bin")));
  const auto server13 = ParseServerHello(FirstMessageBody(Testdata("tls13_server.bin")));
  ASSERT_TRUE(client12 && server12 && client13 && server13);

  EXPECT_EQ(Ja3String(*client12),
            "771,49196-49200-159-52393-52392-52394-49195-49199-158-49188-49192-107-49187-49191-"
            "103-49162-49172-57-49161-49171-51-157-156-61-60-53-47-255,0-11-10-35-16-22-23-13,"
            "29-23-30-25-24,0-1-2");
  EXPECT_EQ(Ja3Hash(Ja3String(*client12)), "22558766122974704364c9c75c5cce0a");
  EXPECT_EQ(Ja3sString(*server12), "771,49196,65281-11-35-16-23");
  EXPECT_EQ(Ja3Hash(Ja3sString(*server12)), "e195432758194ce2d482396b82e0d48e");
  EXPECT_EQ(Ja3Hash(Ja3String(*client13)), "a3afc2c46ba4a7d7fbe1cfb7a3031c2f");
  EXPECT_EQ(Ja3sString(*server13), "771,4866,43-51");
  EXPECT_EQ(Ja3Hash(Ja3sString(*server13)), "15af977ce25de452b96affa2addb1036");
}

TEST(Ja3, LeavesOutGreaseValues) {
  ByteVector extensions = Extension(0x0a0a, {});
  Append(extensions, Extension(kExtSupportedGroups, U16List({0x2a2a, 29, 23})));
  Append(extensions, Extension(kExtEcPointFormats, {1, 0}));
  Append(extensions, Extension(kExtSupportedVersions, U16List({0xfafa, kTls13}, true)));
  const auto hello = ParseClientHello(ClientHelloBody(kTls12, {0x1a1a, 4865, 49195}, extensions));
  ASSERT_TRUE(hello);

  const std::string ja3 = Ja3String(*hello);

  EXPECT_EQ(ja3, "771,4865-49195,10-11-43,29-23,0");
  EXPECT_EQ(hello->supported_versions, (Versions{0xfafa, kTls13}));
}

TEST(IsGrease, KnowsTheSixteenValues) {
  for (unsigned i = 0; i < 16; ++i)
    EXPECT_TRUE(IsGrease(static_cast<std::uint16_t>(0x0a0a + i * 0x1010)));

  EXPECT_FALSE(IsGrease(0x0a1a));
  EXPECT_FALSE(IsGrease(0x1301));
  EXPECT_FALSE(IsGrease(0x0303));
}

TEST(ParseServerHello, ReadsTheSelectedVersionOfTls13) {
  const auto hello = ParseServerHello(FirstMessageBody(Testdata("tls13_server.bin")));

  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->legacy_version, kTls12);
  EXPECT_EQ(hello->selected_version, kTls13);
  EXPECT_EQ(hello->version(), kTls13);
  EXPECT_EQ(hello->cipher_suite, 0x1302);
}

TEST(ParseServerHello, ReadsTheSelectedAlpn) {
  const auto hello = ParseServerHello(FirstMessageBody(Testdata("tls12_server.bin")));

  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->version(), kTls12);
  EXPECT_EQ(hello->alpn, "http/1.1");
}

TEST(ParseServerHello, AcceptsAHelloWithoutExtensions) {
  const auto hello = ParseServerHello(ServerHelloBody(kTls10, 0x002f, {}));

  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->version(), kTls10);
  EXPECT_TRUE(hello->extensions.empty());
}

TEST(ParseClientHello, EveryTruncationFailsCleanly) {
  const ByteVector body = FirstMessageBody(Testdata("tls13_client.bin"));
  ASSERT_FALSE(body.empty());

  for (std::size_t n = 0; n < body.size(); ++n) {
    const auto hello = ParseClientHello(std::span(body).first(n));
    // A hello cut exactly after its compression methods is a valid hello without extensions.
    if (hello) {
      EXPECT_TRUE(hello->extensions.empty()) << n;
    }
  }
}

TEST(ParseClientHello, RejectsAnOddCipherSuiteLength) {
  ByteVector body = ClientHelloBody(kTls12, {4865}, {});
  body[35] = 0;  // Suites length (after version, random, session id length) becomes 3.
  body[36] = 3;

  const auto hello = ParseClientHello(body);

  ASSERT_FALSE(hello);
  EXPECT_EQ(hello.error(), ParseError::kMalformed);
}

TEST(ParseClientHello, CapsListsAndNames) {
  std::vector<std::uint16_t> suites(1000, 0x002f);
  ByteVector name{0};
  PutU16(name, 400);
  name.insert(name.end(), 400, 'a');
  ByteVector sni;
  PutU16(sni, name.size());
  Append(sni, name);

  const auto hello =
      ParseClientHello(ClientHelloBody(kTls12, suites, Extension(kExtServerName, sni)));

  ASSERT_TRUE(hello);
  EXPECT_EQ(hello->cipher_suites.size(), kMaxListEntries);
  EXPECT_EQ(hello->server_name.size(), kMaxNameBytes);
}

TEST(FirstCertificate, RejectsAnEmptyList) {
  const ByteVector body{0, 0, 0};

  const auto der = FirstCertificate(body);

  ASSERT_FALSE(der);
}

TEST(VersionName, NamesKnownVersionsAndHexForOthers) {
  EXPECT_EQ(VersionName(kSsl30), "SSL 3.0");
  EXPECT_EQ(VersionName(kTls13), "TLS 1.3");
  EXPECT_EQ(VersionName(0x7f1c), "0x7f1c");
}

}  // namespace
}  // namespace vigil::sensor::tls
