#include "pki/csr.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "pki/device_ca.h"
#include "pki/pki_testing.h"
#include "testing/fixtures.h"

namespace vigil::pki {
namespace {

using namespace ::vigil::pki::test;
using ::vigil::testing::TempDir;

// A CSR made by the openssl command line with `key_options` (for keys pki cannot make).
std::string OpensslCsr(const std::string& key_options, const std::string& digest = "-sha256") {
  TempDir dir;
  const auto made =
      RunCommand("openssl req -new -nodes -subj /CN=device " + key_options + " " + digest +
                 " -keyout " + (dir / "key.pem").string() + " -out " + (dir / "csr.pem").string());
  EXPECT_EQ(made.exit_code, 0) << made.output;
  return ::vigil::testing::ReadFileOrEmpty(dir / "csr.pem");
}

void ExpectRefused(std::string_view pem, std::string_view reason) {
  const auto request = ParseDeviceCsr(pem);

  ASSERT_FALSE(request) << reason;
  EXPECT_EQ(request.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(request.error().message, "csr: " + std::string(reason));
}

TEST(ParseDeviceCsr, AcceptsP256RequestFromMakeCsrPem) {
  const auto request = ParseDeviceCsr(MakeCsr());

  EXPECT_TRUE(request) << request.error().message;
}

TEST(ParseDeviceCsr, AcceptsP256RequestFromOpenssl) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");

  const auto request = ParseDeviceCsr(OpensslCsr("-newkey ec -pkeyopt ec_paramgen_curve:P-256"));

  EXPECT_TRUE(request) << request.error().message;
}

TEST(ParseDeviceCsr, RefusesRsaKey) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");

  ExpectRefused(OpensslCsr("-newkey rsa:2048"), "key must be ecdsa p-256, not rsa");
}

TEST(ParseDeviceCsr, RefusesOtherCurve) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");

  ExpectRefused(OpensslCsr("-newkey ec -pkeyopt ec_paramgen_curve:P-384"),
                "key must be ecdsa p-256, not curve secp384r1");
}

TEST(ParseDeviceCsr, RefusesExplicitCurveParameters) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");

  ExpectRefused(OpensslCsr("-newkey ec -pkeyopt ec_paramgen_curve:P-256 "
                           "-pkeyopt ec_param_enc:explicit"),
                "key must name the p-256 curve, not carry explicit parameters");
}

TEST(ParseDeviceCsr, RefusesEd25519Key) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");

  ExpectRefused(OpensslCsr("-newkey ed25519", ""), "key must be ecdsa p-256");
}

TEST(ParseDeviceCsr, RefusesSha1Signature) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");

  ExpectRefused(OpensslCsr("-newkey ec -pkeyopt ec_paramgen_curve:P-256", "-sha1"),
                "signature must be ecdsa with sha-256, sha-384 or sha-512");
}

TEST(ParseDeviceCsr, RefusesTamperedSubject) {
  const std::string csr = MakeCsr("device-aaaa");
  std::vector<std::uint8_t> der = PemToDer(csr);
  const std::string needle = "device-aaaa";
  const auto at = std::search(der.begin(), der.end(), needle.begin(), needle.end());
  ASSERT_NE(at, der.end());
  *(at + 7) = 'b';

  ExpectRefused(DerToPem(der, "CERTIFICATE REQUEST"), "signature does not verify");
}

TEST(ParseDeviceCsr, RefusesTamperedSignature) {
  std::vector<std::uint8_t> der = PemToDer(MakeCsr());
  der[der.size() - 3] ^= 0x01;  // Inside the signature's last INTEGER.

  ExpectRefused(DerToPem(der, "CERTIFICATE REQUEST"), "signature does not verify");
}

TEST(ParseDeviceCsr, RefusesSignatureAlgorithmThatIsNotASequence) {
  std::vector<std::uint8_t> der = PemToDer(MakeCsr());
  // AlgorithmIdentifier { ecdsa-with-SHA256 }, turned into an OCTET STRING of the same length
  // (found by csr_fuzz).
  const std::vector<std::uint8_t> algorithm = {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                               0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
  const auto at = std::search(der.begin(), der.end(), algorithm.begin(), algorithm.end());
  ASSERT_NE(at, der.end());
  *at = 0x04;

  ExpectRefused(DerToPem(der, "CERTIFICATE REQUEST"), "not a pkcs#10 certificate request");
}

TEST(ParseDeviceCsr, RefusesOversizedInput) {
  std::string csr = MakeCsr();
  csr.append(kMaxCsrBytes, '\n');

  ExpectRefused(csr, "larger than 16 kib");
}

TEST(ParseDeviceCsr, RefusesGarbageAndCertificates) {
  const DeviceCa ca = MakeCa();

  ExpectRefused("", "not a pem certificate request");
  ExpectRefused("hello", "not a pem certificate request");
  ExpectRefused(ca.root_pem(), "not a pem certificate request");
}

TEST(IssueDeviceCertificate, RefusesRsaCsrWithMessage) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");
  const DeviceCa ca = MakeCa();

  const auto issued =
      ca.IssueDeviceCertificate(OpensslCsr("-newkey rsa:2048"), DeviceId(1), kNow, kDay);

  ASSERT_FALSE(issued);
  EXPECT_EQ(issued.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(issued.error().message, "csr: key must be ecdsa p-256, not rsa");
}

}  // namespace
}  // namespace vigil::pki
