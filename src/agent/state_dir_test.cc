#include "agent/state_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "testing/fixtures.h"

namespace vigil::agent {
namespace {

namespace fs = std::filesystem;

const Credentials kOld{.key_pem = "old key", .cert_pem = "old cert", .ca_pem = "root"};
const AgentIdentity kIdentity{
    .server_url = "https://gw:8444", .device_id = "d1", .ca_fingerprint = std::string(64, 'a')};

void Write(const fs::path& path, std::string_view text) { std::ofstream(path) << text; }

TEST(StateDir, CommitsCredentialsAndIdentityTogether) {
  testing::TempDir dir;
  auto state = StateDir::Open(dir / "state");
  ASSERT_TRUE(state) << state.error().message;

  ASSERT_TRUE(state->CommitCredentials(kOld, kIdentity));

  const auto credentials = state->LoadCredentials();
  ASSERT_TRUE(credentials) << credentials.error().message;
  EXPECT_EQ(credentials->key_pem, "old key");
  EXPECT_EQ(credentials->cert_pem, "old cert");
  EXPECT_EQ(credentials->ca_pem, "root");
  EXPECT_EQ(state->LoadIdentity().value().device_id, "d1");
  struct stat st {};
  ASSERT_EQ(::stat((dir / "state" / "key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir / "state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST(StateDir, FinishesACommitWhoseSetWasComplete) {
  testing::TempDir dir;
  {
    auto state = StateDir::Open(dir.path()).value();
    ASSERT_TRUE(state.CommitCredentials(kOld, kIdentity));
  }
  // A crash after the key was renamed forward, before the certificate was.
  Write(dir / "key.pem", "new key");
  Write(dir / "cert.pem.new", "new cert");

  auto state = StateDir::Open(dir.path());

  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(state->LoadCredentials().value().key_pem, "new key");
  EXPECT_EQ(state->LoadCredentials().value().cert_pem, "new cert");
  EXPECT_FALSE(fs::exists(dir / "cert.pem.new"));
}

TEST(StateDir, UndoesACommitWhoseSetWasNotComplete) {
  testing::TempDir dir;
  {
    auto state = StateDir::Open(dir.path()).value();
    ASSERT_TRUE(state.CommitCredentials(kOld, kIdentity));
  }
  // A crash before cert.pem.new was written: the new key must not be used.
  Write(dir / "key.pem.new", "new key");
  Write(dir / "ca.pem.new", "new root");

  auto state = StateDir::Open(dir.path());

  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(state->LoadCredentials().value().key_pem, "old key");
  EXPECT_EQ(state->LoadCredentials().value().ca_pem, "root");
  EXPECT_FALSE(fs::exists(dir / "key.pem.new"));
}

TEST(StateDir, IsLockedAgainstASecondWriterButNotAReader) {
  testing::TempDir dir;
  auto first = StateDir::Open(dir.path());
  ASSERT_TRUE(first);

  const auto second = StateDir::Open(dir.path());
  const auto reader = StateDir::OpenReadOnly(dir.path());

  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kLocked);
  EXPECT_TRUE(reader);
}

TEST(StateDir, SaysHowToEnrolWhenEmpty) {
  testing::TempDir dir;
  auto state = StateDir::Open(dir.path()).value();

  const auto identity = state.LoadIdentity();

  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_NE(identity.error().message.find("vigil-agent enroll"), std::string::npos);
  EXPECT_EQ(StateDir::OpenReadOnly(dir / "none").error().code, ErrorCode::kFailedPrecondition);
}

TEST(StateDir, KeepsTheLastContact) {
  testing::TempDir dir;
  auto state = StateDir::Open(dir.path()).value();
  EXPECT_EQ(state.LoadContact().last_contact_unix_nanos, 0);

  ASSERT_TRUE(state.SaveContact(
      {.last_contact_unix_nanos = 1'700'000'000'123'000'000, .quarantined = true}));

  const auto contact = state.LoadContact();
  EXPECT_EQ(contact.last_contact_unix_nanos, 1'700'000'000'123'000'000);
  EXPECT_TRUE(contact.quarantined);
}

TEST(SplitPemCertificates, ReturnsEachBlock) {
  const std::string a = "-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----";
  const std::string b = "-----BEGIN CERTIFICATE-----\nBBB\n-----END CERTIFICATE-----";

  const auto blocks = SplitPemCertificates(a + "\n" + b + "\n-----BEGIN CERTIFICATE-----\ntorn");

  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0], a + "\n");
  EXPECT_EQ(blocks[1], b + "\n");
}

TEST(NormaliseFingerprint, AcceptsColonsAndCaseOnly) {
  const std::string colons =
      "AB:CD:EF:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:"
      "67:89";

  EXPECT_EQ(NormaliseFingerprint(colons).value(),
            "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
  EXPECT_FALSE(NormaliseFingerprint("abcd"));
  EXPECT_FALSE(NormaliseFingerprint(std::string(63, 'a') + "g"));
  EXPECT_FALSE(NormaliseFingerprint(std::string(66, 'a')));
}

}  // namespace
}  // namespace vigil::agent
