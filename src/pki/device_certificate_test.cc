#include "pki/device_certificate.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pki/device_key.h"
#include "pki/pki_testing.h"
#include "pki/serial.h"

namespace vigil::pki {
namespace {

using namespace ::vigil::pki::test;

std::string SerialOf(std::string_view hex) {
  auto serial = SerialFromHex(hex);
  EXPECT_TRUE(serial) << serial.error().message;
  return serial ? SerialHex(serial->get()) : std::string();
}

TEST(SerialHex, IsLowercaseOctetsWithoutLeadingZeroOctets) {
  EXPECT_EQ(SerialOf("0A"), "0a");
  EXPECT_EQ(SerialOf("a"), "0a");
  EXPECT_EQ(SerialOf("000102"), "0102");
  EXPECT_EQ(SerialOf("00"), "00");
  EXPECT_EQ(SerialOf("7FFFffff00"), "7fffffff00");
}

TEST(SerialFromHex, RefusesNonHexAndOverlong) {
  EXPECT_FALSE(SerialFromHex(""));
  EXPECT_FALSE(SerialFromHex("0x01"));
  EXPECT_FALSE(SerialFromHex(std::string(41, '1')));
}

TEST(SerialHex, MarksNegativeSerials) {
  OpenSslPtr<ASN1_INTEGER> serial(ASN1_INTEGER_new());
  ASSERT_EQ(ASN1_INTEGER_set_int64(serial.get(), -255), 1);

  EXPECT_EQ(SerialHex(serial.get()), "-ff");
}

TEST(RandomSerial, IsSixteenPositiveOctets) {
  const auto a = RandomSerial();
  const auto b = RandomSerial();

  ASSERT_TRUE(a && b);
  EXPECT_EQ(SerialHex(a->get()).size(), 32u);
  EXPECT_NE(SerialHex(a->get()), SerialHex(b->get()));
  EXPECT_EQ(ASN1_STRING_type(a->get()), V_ASN1_INTEGER);
}

TEST(DescribeDeviceCertificate, ReadsIdentityAndNames) {
  const DeviceCa ca = MakeCa();
  const auto issued = ca.IssueDeviceCertificate(MakeCsr(), DeviceId(9), kNow, kDay);
  ASSERT_TRUE(issued);

  const auto info = DescribeDeviceCertificate(issued->pem + ca.chain_pem());

  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->device_id, DeviceId(9));
  EXPECT_EQ(info->subject, "CN=" + DeviceId(9) + ",O=Vigil");
  EXPECT_EQ(info->issuer, "CN=Vigil Device Issuing CA,O=Vigil");
  EXPECT_EQ(info->not_before_unix, kNow - 300);
  EXPECT_EQ(info->not_after_unix, kNow + kDay);
}

TEST(DescribeDeviceCertificate, HasNoDeviceIdWithoutDeviceUri) {
  const DeviceCa ca = MakeCa();
  const std::vector<std::string> names = {"gateway"};
  const auto server = ca.IssueServerCertificate(names, {}, kNow, kDay);
  ASSERT_TRUE(server);

  const auto info = DescribeDeviceCertificate(server->certificate.pem);

  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->device_id, "");
  EXPECT_EQ(info->serial_hex, server->certificate.serial_hex);
}

TEST(DescribeDeviceCertificate, RefusesNonCertificate) {
  const auto info = DescribeDeviceCertificate("not pem");

  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, ErrorCode::kInvalidArgument);
}

TEST(DescribePeer, RefusesNull) {
  const auto info = DescribePeer(nullptr);

  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, ErrorCode::kUnauthenticated);
}

TEST(GenerateDeviceKeyPem, IsUnencryptedPkcs8) {
  const auto key = GenerateDeviceKeyPem();

  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
}

TEST(MakeCsrPem, RefusesBadCommonNameAndKey) {
  const auto key = GenerateDeviceKeyPem();
  ASSERT_TRUE(key);

  EXPECT_FALSE(MakeCsrPem(*key, ""));
  EXPECT_FALSE(MakeCsrPem(*key, std::string(65, 'a')));
  EXPECT_FALSE(MakeCsrPem("not a key", "device"));
}

}  // namespace
}  // namespace vigil::pki
