#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pki/device_ca.h"
#include "pki/pki_testing.h"
#include "testing/fixtures.h"

namespace vigil::pki {
namespace {

using namespace ::vigil::pki::test;
using ::vigil::testing::TempDir;

std::string Upper(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

TEST(MakeCrlPem, OpensslVerifiesAndListsSerialsWithReasons) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");
  TempDir dir;
  const DeviceCa ca = MakeCa();
  const auto first = ca.IssueDeviceCertificate(MakeCsr(), DeviceId(1), kNow, kDay);
  const auto second = ca.IssueDeviceCertificate(MakeCsr(), DeviceId(2), kNow, kDay);
  ASSERT_TRUE(first && second);
  const std::vector<RevokedEntry> revoked = {
      {.serial_hex = first->serial_hex, .revoked_unix = kNow - 60, .reason = "key_compromise"},
      {.serial_hex = second->serial_hex, .revoked_unix = kNow - 30, .reason = "unspecified"}};

  const auto crl = ca.MakeCrlPem(revoked, kNow, kNow + 7 * kDay, 42);

  ASSERT_TRUE(crl) << crl.error().message;
  WriteText(dir / "crl.pem", *crl);
  WriteText(dir / "chain.pem", ca.chain_pem());
  const auto text = RunCommand("openssl crl -noout -text -in " + (dir / "crl.pem").string() +
                               " -CAfile " + (dir / "chain.pem").string());
  EXPECT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("verify OK"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Version 2 (0x1)"), std::string::npos);
  EXPECT_NE(text.output.find("X509v3 CRL Number: \n                42"), std::string::npos)
      << text.output;
  EXPECT_NE(text.output.find("X509v3 Authority Key Identifier"), std::string::npos);
  EXPECT_NE(text.output.find("Serial Number: " + Upper(first->serial_hex)), std::string::npos);
  EXPECT_NE(text.output.find("Serial Number: " + Upper(second->serial_hex)), std::string::npos);
  EXPECT_NE(text.output.find("Key Compromise"), std::string::npos);
  EXPECT_EQ(text.output.find("Unspecified"), std::string::npos);
  EXPECT_NE(text.output.find("Issuer: O = Vigil, CN = Vigil Device Issuing CA"), std::string::npos);
}

TEST(MakeCrlPem, OpensslVerifyRefusesRevokedCertificate) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");
  TempDir dir;
  const DeviceCa ca = MakeCa();
  const auto leaf = ca.IssueDeviceCertificate(MakeCsr(), DeviceId(3), kNow, kDay);
  ASSERT_TRUE(leaf);
  const std::vector<RevokedEntry> revoked = {
      {.serial_hex = leaf->serial_hex, .revoked_unix = kNow, .reason = "superseded"}};
  const auto crl = ca.MakeCrlPem(revoked, kNow, kNow + kDay, 1);
  ASSERT_TRUE(crl);
  WriteText(dir / "crl.pem", *crl);
  WriteText(dir / "chain.pem", ca.chain_pem());
  WriteText(dir / "leaf.pem", leaf->pem);

  const auto verify = RunCommand("openssl verify -crl_check -attime " + std::to_string(kNow + 60) +
                                 " -CAfile " + (dir / "chain.pem").string() + " -CRLfile " +
                                 (dir / "crl.pem").string() + " " + (dir / "leaf.pem").string());

  EXPECT_NE(verify.exit_code, 0);
  EXPECT_NE(verify.output.find("certificate revoked"), std::string::npos) << verify.output;
}

TEST(MakeCrlPem, EmptyListIsValid) {
  const DeviceCa ca = MakeCa();

  const auto crl = ca.MakeCrlPem({}, kNow, kNow + kDay, 0);

  ASSERT_TRUE(crl) << crl.error().message;
  EXPECT_NE(crl->find("-----BEGIN X509 CRL-----"), std::string::npos);
}

TEST(MakeCrlPem, RefusesUnknownReasonBadSerialAndTimes) {
  const DeviceCa ca = MakeCa();
  const std::vector<RevokedEntry> bad_reason = {{.serial_hex = "01", .reason = "stolen"}};
  const std::vector<RevokedEntry> bad_serial = {{.serial_hex = "xyz", .reason = "superseded"}};

  const auto reason = ca.MakeCrlPem(bad_reason, kNow, kNow + kDay, 1);
  const auto serial = ca.MakeCrlPem(bad_serial, kNow, kNow + kDay, 1);
  const auto times = ca.MakeCrlPem({}, kNow, kNow, 1);

  ASSERT_FALSE(reason);
  EXPECT_EQ(reason.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(reason.error().message, "crl: unknown revocation reason \"stolen\"");
  ASSERT_FALSE(serial);
  EXPECT_EQ(serial.error().code, ErrorCode::kInvalidArgument);
  ASSERT_FALSE(times);
  EXPECT_EQ(times.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::pki
