#include "pki/device_ca.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pki/device_certificate.h"
#include "pki/pki_testing.h"
#include "testing/fixtures.h"

namespace vigil::pki {
namespace {

using namespace ::vigil::pki::test;
using ::vigil::testing::TempDir;

// Writes the CA and `leaf_pem` into `dir` and runs `openssl verify` at kNow.
CommandResult OpensslVerify(const TempDir& dir, const DeviceCa& ca, const std::string& leaf_pem,
                            const std::string& purpose) {
  const std::string chain = ca.chain_pem();
  WriteText(dir / "root.pem", ca.root_pem());
  WriteText(dir / "intermediate.pem", chain.substr(0, chain.find(ca.root_pem())));
  WriteText(dir / "leaf.pem", leaf_pem);
  return RunCommand("openssl verify -attime " + std::to_string(kNow) + " -purpose " + purpose +
                    " -CAfile " + (dir / "root.pem").string() + " -untrusted " +
                    (dir / "intermediate.pem").string() + " " + (dir / "leaf.pem").string());
}

TEST(CreateDeviceCa, LoadsWithRootAndChain) {
  const CaMaterial material = MakeMaterial();

  const auto ca = DeviceCa::Load(material, kNow);

  ASSERT_TRUE(ca) << ca.error().message;
  EXPECT_EQ(ca->root_pem(), material.root_cert_pem);
  EXPECT_EQ(ca->chain_pem(), material.intermediate_cert_pem + material.root_cert_pem);
  EXPECT_EQ(ca->root_fingerprint_sha256().size(), 64u);
  EXPECT_EQ(ca->intermediate_not_after_unix(), kNow + 3650 * kDay);
}

TEST(CreateDeviceCa, RootAndIntermediateAreCas) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");
  TempDir dir;
  const CaMaterial material = MakeMaterial(kNow, {.organization = "Vigil", .site = "St Elsewhere"});
  WriteText(dir / "root.pem", material.root_cert_pem);
  WriteText(dir / "intermediate.pem", material.intermediate_cert_pem);

  const auto root = RunCommand("openssl x509 -noout -text -in " + (dir / "root.pem").string());
  const auto verify =
      RunCommand("openssl verify -attime " + std::to_string(kNow) + " -CAfile " +
                 (dir / "root.pem").string() + " " + (dir / "intermediate.pem").string());
  const auto text =
      RunCommand("openssl x509 -noout -text -in " + (dir / "intermediate.pem").string());

  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(root.output.find("CA:TRUE, pathlen:1"), std::string::npos) << root.output;
  EXPECT_NE(text.output.find("CA:TRUE, pathlen:0"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("Certificate Sign, CRL Sign"), std::string::npos);
  EXPECT_NE(text.output.find("O = Vigil, OU = St Elsewhere, CN = Vigil Device Issuing CA"),
            std::string::npos);
}

TEST(CreateDeviceCa, RefusesIntermediateOutlivingRoot) {
  const auto material = CreateDeviceCa({.root_days = 10, .intermediate_days = 11}, kNow);

  ASSERT_FALSE(material);
  EXPECT_EQ(material.error().code, ErrorCode::kInvalidArgument);
}

TEST(DeviceCaLoad, RefusesKeyOfAnotherCertificate) {
  CaMaterial material = MakeMaterial();
  material.intermediate_key_pem = MakeMaterial().intermediate_key_pem;

  const auto ca = DeviceCa::Load(material, kNow);

  ASSERT_FALSE(ca);
  EXPECT_EQ(ca.error().code, ErrorCode::kDataLoss);
  EXPECT_NE(ca.error().message.find("intermediate key does not match"), std::string::npos);
}

TEST(DeviceCaLoad, RefusesIntermediateOfAnotherRoot) {
  CaMaterial material = MakeMaterial();
  const CaMaterial other = MakeMaterial();
  material.intermediate_cert_pem = other.intermediate_cert_pem;
  material.intermediate_key_pem = other.intermediate_key_pem;

  const auto ca = DeviceCa::Load(material, kNow);

  ASSERT_FALSE(ca);
  EXPECT_EQ(ca.error().code, ErrorCode::kDataLoss);
  EXPECT_NE(ca.error().message.find("not signed by the root"), std::string::npos);
}

TEST(DeviceCaLoad, RefusesCorruptPem) {
  CaMaterial material = MakeMaterial();
  material.root_cert_pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";

  const auto ca = DeviceCa::Load(material, kNow);

  ASSERT_FALSE(ca);
  EXPECT_EQ(ca.error().code, ErrorCode::kDataLoss);
}

TEST(DeviceCaLoad, RefusesLeafAsIntermediate) {
  CaMaterial material = MakeMaterial();
  const DeviceCa ca = MakeCa();
  const std::vector<std::string> names = {"gateway"};
  const auto server = ca.IssueServerCertificate(names, {}, kNow, kDay);
  ASSERT_TRUE(server);
  material.intermediate_cert_pem = server->certificate.pem;
  material.intermediate_key_pem = server->key_pem;

  const auto loaded = DeviceCa::Load(material, kNow);

  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidArgument);
}

TEST(DeviceCaLoad, RefusesExpiredIntermediate) {
  const CaMaterial material = MakeMaterial();

  const auto ca = DeviceCa::Load(material, kNow + 3651 * kDay);

  ASSERT_FALSE(ca);
  EXPECT_EQ(ca.error().code, ErrorCode::kFailedPrecondition);
}

TEST(IssueDeviceCertificate, OpensslVerifiesChainAndProfile) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");
  TempDir dir;
  const DeviceCa ca = MakeCa();
  const std::string id = DeviceId(7);

  const auto issued =
      ca.IssueDeviceCertificate(MakeCsr("whatever-the-device-says"), id, kNow, 90 * kDay);

  ASSERT_TRUE(issued) << issued.error().message;
  const auto verify = OpensslVerify(dir, ca, issued->pem, "sslclient");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  const auto text =
      RunCommand("openssl x509 -noout -text -in " + (dir / "leaf.pem").string()).output;
  EXPECT_NE(text.find("Subject: O = Vigil, CN = " + id), std::string::npos) << text;
  EXPECT_NE(text.find("URI:urn:vigil:device:" + id), std::string::npos);
  EXPECT_NE(text.find("X509v3 Basic Constraints: critical\n                CA:FALSE"),
            std::string::npos);
  EXPECT_NE(text.find("X509v3 Key Usage: critical\n                Digital Signature\n"),
            std::string::npos);
  EXPECT_NE(text.find("TLS Web Client Authentication"), std::string::npos);
  EXPECT_EQ(text.find("TLS Web Server Authentication"), std::string::npos);
  EXPECT_NE(text.find("X509v3 Subject Key Identifier"), std::string::npos);
  EXPECT_NE(text.find("X509v3 Authority Key Identifier"), std::string::npos);
  EXPECT_NE(text.find("Signature Algorithm: ecdsa-with-SHA256"), std::string::npos);
  EXPECT_EQ(text.find("whatever-the-device-says"), std::string::npos);
}

TEST(IssueDeviceCertificate, ReportsSerialValidityAndFingerprint) {
  const DeviceCa ca = MakeCa();

  const auto issued = ca.IssueDeviceCertificate(MakeCsr(), DeviceId(1), kNow, 90 * kDay);

  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_EQ(issued->serial_hex.size(), 32u);
  EXPECT_EQ(issued->not_before_unix, kNow - 300);
  EXPECT_EQ(issued->not_after_unix, kNow + 90 * kDay);
  const auto info = DescribeDeviceCertificate(issued->pem);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->device_id, DeviceId(1));
  EXPECT_EQ(info->serial_hex, issued->serial_hex);
  EXPECT_EQ(info->fingerprint_sha256, issued->fingerprint_sha256);
  EXPECT_EQ(info->not_after_unix, issued->not_after_unix);
}

TEST(IssueSensorCertificate, NamesTheSensorNotADevice) {
  const DeviceCa ca = MakeCa();

  const auto issued = ca.IssueSensorCertificate(MakeCsr(), DeviceId(3), kNow, 90 * kDay);

  ASSERT_TRUE(issued) << issued.error().message;
  const auto info = DescribeDeviceCertificate(issued->pem);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->sensor_id, DeviceId(3));
  EXPECT_EQ(info->device_id, "");
}

TEST(IssueDeviceCertificate, ClampsLifetimeToIntermediate) {
  const DeviceCa ca = MakeCa();

  const auto issued = ca.IssueDeviceCertificate(MakeCsr(), DeviceId(2), kNow, 20 * 365 * kDay);

  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_EQ(issued->not_after_unix, ca.intermediate_not_after_unix());
}

TEST(IssueDeviceCertificate, RefusesBadDeviceId) {
  const DeviceCa ca = MakeCa();
  const std::string csr = MakeCsr();

  for (const std::string& id : {std::string(), std::string(32, 'A'), std::string(31, 'a'),
                                DeviceId(1) + "0", std::string(32, 'g')}) {
    const auto issued = ca.IssueDeviceCertificate(csr, id, kNow, kDay);

    ASSERT_FALSE(issued) << id;
    EXPECT_EQ(issued.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(IssueDeviceCertificate, RefusesWhenIntermediateExpired) {
  const DeviceCa ca = MakeCa();

  const auto issued =
      ca.IssueDeviceCertificate(MakeCsr(), DeviceId(1), ca.intermediate_not_after_unix(), kDay);

  ASSERT_FALSE(issued);
  EXPECT_EQ(issued.error().code, ErrorCode::kFailedPrecondition);
}

TEST(IssueDeviceCertificate, IssuesConcurrentlyWithDistinctSerials) {
  const DeviceCa ca = MakeCa();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::string> csrs;
  for (int i = 0; i < kThreads; ++i) {
    csrs.push_back(MakeCsr());
  }
  std::vector<std::vector<std::string>> serials(kThreads);
  std::vector<int> failures(kThreads, 0);

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const DeviceCa copy = ca;  // Copies share the parsed state.
        const auto issued = copy.IssueDeviceCertificate(csrs[static_cast<std::size_t>(t)],
                                                        DeviceId(t * 1000 + i), kNow, kDay);
        if (issued && DescribeDeviceCertificate(issued->pem)) {
          serials[static_cast<std::size_t>(t)].push_back(issued->serial_hex);
        } else {
          ++failures[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }

  std::set<std::string> distinct;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[static_cast<std::size_t>(t)], 0);
    distinct.insert(serials[static_cast<std::size_t>(t)].begin(),
                    serials[static_cast<std::size_t>(t)].end());
  }
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(IssueServerCertificate, OpensslVerifiesForServerUseWithSans) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");
  TempDir dir;
  const DeviceCa ca = MakeCa();
  const std::vector<std::string> dns = {"gateway.hospital.example", "localhost"};
  const std::vector<std::string> ips = {"10.1.2.3", "::1"};

  const auto issued = ca.IssueServerCertificate(dns, ips, kNow, 365 * kDay);

  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_NE(issued->key_pem.find("BEGIN PRIVATE KEY"), std::string::npos);
  const auto verify = OpensslVerify(dir, ca, issued->certificate.pem, "sslserver");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;
  const auto text =
      RunCommand("openssl x509 -noout -text -in " + (dir / "leaf.pem").string()).output;
  EXPECT_NE(text.find("CN = gateway.hospital.example"), std::string::npos) << text;
  EXPECT_NE(text.find("DNS:gateway.hospital.example, DNS:localhost, IP Address:10.1.2.3, "
                      "IP Address:0:0:0:0:0:0:0:1"),
            std::string::npos);
  EXPECT_NE(text.find("TLS Web Server Authentication"), std::string::npos);
  EXPECT_EQ(text.find("TLS Web Client Authentication"), std::string::npos);
}

TEST(IssueServerCertificate, RefusesBadNames) {
  const DeviceCa ca = MakeCa();
  const std::vector<std::string> bad_dns = {"a,b"};
  const std::vector<std::string> bad_ip = {"10.1.2"};

  EXPECT_FALSE(ca.IssueServerCertificate(bad_dns, {}, kNow, kDay));
  EXPECT_FALSE(ca.IssueServerCertificate({}, bad_ip, kNow, kDay));
  EXPECT_FALSE(ca.IssueServerCertificate({}, {}, kNow, kDay));
}

}  // namespace
}  // namespace vigil::pki
