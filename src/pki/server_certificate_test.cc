#include "pki/server_certificate.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "testing/fixtures.h"

namespace vigil::pki {
namespace {

using ::vigil::testing::TempDir;

const TimePoint kNow = TimePoint(std::chrono::seconds(1'780'000'000));

ServerCertificateFiles FilesIn(const TempDir& dir, const std::string& stem) {
  return {.cert_file = dir / (stem + ".crt"), .key_file = dir / (stem + ".key")};
}

void WriteText(const std::filesystem::path& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

mode_t ModeOf(const std::filesystem::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(CreateSelfSignedServerCertificate, WritesP256CertificateForLoopback) {
  TempDir dir;
  const auto files = FilesIn(dir, "server");

  const auto info = CreateSelfSignedServerCertificate(files, {}, kNow);

  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->key_type, "EC P-256");
  EXPECT_EQ(info->subject, "CN=vigil,O=Vigil");
  EXPECT_EQ(info->issuer, info->subject);
  EXPECT_EQ(info->dns_names, std::vector<std::string>{"localhost"});
  EXPECT_EQ(info->ip_addresses, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_TRUE(info->server_auth);
  EXPECT_EQ(info->not_before, kNow - std::chrono::minutes(5));
  EXPECT_EQ(info->not_after, kNow + std::chrono::hours(24 * 365));
  EXPECT_EQ(info->sha256_fingerprint.size(), 64u);
  EXPECT_EQ(ModeOf(files.key_file), 0600u);
  EXPECT_EQ(ModeOf(files.cert_file), 0644u);
}

TEST(CreateSelfSignedServerCertificate, RefusesToOverwriteExistingKey) {
  TempDir dir;
  const auto files = FilesIn(dir, "server");
  WriteText(files.key_file, "precious");

  const auto info = CreateSelfSignedServerCertificate(files, {}, kNow);

  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(::vigil::testing::ReadFileOrEmpty(files.key_file), "precious");
  EXPECT_FALSE(std::filesystem::exists(files.cert_file));
}

TEST(CreateSelfSignedServerCertificate, RemovesKeyWhenCertificateCannotBeWritten) {
  TempDir dir;
  const auto files = FilesIn(dir, "server");
  WriteText(files.cert_file, "in the way");

  const auto info = CreateSelfSignedServerCertificate(files, {}, kNow);

  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, ErrorCode::kAlreadyExists);
  EXPECT_FALSE(std::filesystem::exists(files.key_file));
}

TEST(CreateSelfSignedServerCertificate, RejectsDnsNameWithSeparator) {
  TempDir dir;
  SelfSignedOptions options;
  options.dns_names = {"localhost,IP:10.0.0.1"};

  const auto info = CreateSelfSignedServerCertificate(FilesIn(dir, "server"), options, kNow);

  ASSERT_FALSE(info);
  EXPECT_EQ(info.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(std::filesystem::exists(dir / "server.key"));
}

TEST(LoadServerCertificate, ReloadsWhatWasCreated) {
  TempDir dir;
  const auto files = FilesIn(dir, "server");
  const auto created = CreateSelfSignedServerCertificate(files, {}, kNow);
  ASSERT_TRUE(created) << created.error().message;

  const auto loaded = LoadServerCertificate(files);

  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->sha256_fingerprint, created->sha256_fingerprint);
  EXPECT_EQ(loaded->ip_addresses, created->ip_addresses);
  EXPECT_EQ(loaded->not_after, created->not_after);
}

TEST(LoadServerCertificate, DetectsKeyOfAnotherCertificate) {
  TempDir dir;
  const auto a = FilesIn(dir, "a");
  const auto b = FilesIn(dir, "b");
  ASSERT_TRUE(CreateSelfSignedServerCertificate(a, {}, kNow));
  ASSERT_TRUE(CreateSelfSignedServerCertificate(b, {}, kNow));

  const auto loaded = LoadServerCertificate({.cert_file = a.cert_file, .key_file = b.key_file});

  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(loaded.error().message.find("key does not match certificate"), std::string::npos)
      << loaded.error().message;
}

TEST(LoadServerCertificate, ReportsCorruptCertificateWithItsPath) {
  TempDir dir;
  const auto files = FilesIn(dir, "server");
  ASSERT_TRUE(CreateSelfSignedServerCertificate(files, {}, kNow));
  std::string pem = ::vigil::testing::ReadFileOrEmpty(files.cert_file);
  pem[pem.size() / 2] = '!';  // Breaks the base64 inside the PEM block.
  std::filesystem::remove(files.cert_file);
  WriteText(files.cert_file, pem);

  const auto loaded = LoadServerCertificate(files);

  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(loaded.error().message.rfind(
                "tls: " + files.cert_file.string() + ": not a pem certificate", 0),
            0u)
      << loaded.error().message;
}

TEST(LoadServerCertificate, ReportsGarbageKey) {
  TempDir dir;
  const auto files = FilesIn(dir, "server");
  ASSERT_TRUE(CreateSelfSignedServerCertificate(files, {}, kNow));
  std::filesystem::remove(files.key_file);
  WriteText(files.key_file, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

  const auto loaded = LoadServerCertificate(files);

  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(loaded.error().message.find("not a pem private key"), std::string::npos)
      << loaded.error().message;
}

TEST(LoadServerCertificate, RefusesEncryptedKey) {
  TempDir dir;
  const auto files = FilesIn(dir, "server");
  ASSERT_TRUE(CreateSelfSignedServerCertificate(files, {}, kNow));
  std::filesystem::remove(files.key_file);
  WriteText(files.key_file,
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

  const auto loaded = LoadServerCertificate(files);

  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("encrypted private keys are not supported"),
            std::string::npos);
}

TEST(LoadServerCertificate, ReportsMissingFileAsNotFound) {
  TempDir dir;

  const auto loaded = LoadServerCertificate(FilesIn(dir, "absent"));

  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, ErrorCode::kNotFound);
}

TEST(EnsureServerCertificate, CreatesOnceThenReuses) {
  TempDir dir;
  const auto first = EnsureServerCertificate(dir.path(), kNow);
  ASSERT_TRUE(first) << first.error().message;
  const std::string fingerprint = LoadServerCertificate(*first)->sha256_fingerprint;

  const auto second = EnsureServerCertificate(dir.path(), kNow + std::chrono::hours(1));

  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first->cert_file, dir / "tls" / "server.crt");
  EXPECT_EQ(first->key_file, dir / "tls" / "server.key");
  EXPECT_EQ(ModeOf(dir / "tls"), 0700u);
  EXPECT_EQ(LoadServerCertificate(*second)->sha256_fingerprint, fingerprint);
}

TEST(EnsureServerCertificate, RefusesLoneCertificate) {
  TempDir dir;
  const auto files = DefaultServerCertificateFiles(dir.path());
  ASSERT_TRUE(EnsureServerCertificate(dir.path(), kNow));
  std::filesystem::remove(files.key_file);

  const auto result = EnsureServerCertificate(dir.path(), kNow);

  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_FALSE(std::filesystem::exists(files.key_file));
}

TEST(EnsureServerCertificate, OpensslVerifiesItAsServerCertificateForLoopback) {
  VIGIL_REQUIRE_TOOL(openssl, "openssl");
  TempDir dir;
  const auto files = EnsureServerCertificate(dir.path());
  ASSERT_TRUE(files) << files.error().message;
  const std::string cert = files->cert_file.string();

  const std::string command = openssl.string() + " verify -CAfile " + cert +
                              " -purpose sslserver -verify_ip 127.0.0.1 " + cert + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    output += buffer;
  }
  const int status = ::pclose(pipe);

  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find(": OK"), std::string::npos) << output;
}

}  // namespace
}  // namespace vigil::pki
