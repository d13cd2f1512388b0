#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "core/hex.h"
#include "crypto/key_ring.h"
#include "testing/fixtures.h"

namespace vigil::crypto {
namespace {

namespace fs = std::filesystem;

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

void WriteFile(const fs::path& path, std::string_view content, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ASSERT_EQ(::fchmod(fd, mode), 0);
  ::close(fd);
}

const std::string kHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

TEST(LoadOrCreateKekFile, CreatesFileWithMode0600InFolderWith0700) {
  vigil::testing::TempDir dir;
  const fs::path path = dir / "keys" / "kek";

  const auto kek = LoadOrCreateKekFile(path);

  ASSERT_TRUE(kek) << kek.error().message;
  EXPECT_EQ(kek->size(), 32u);
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ModeOf(dir / "keys"), 0700u);
  EXPECT_EQ(vigil::testing::ReadFileOrEmpty(path), HexEncode(kek->span()) + "\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "keys"), fs::directory_iterator()), 1)
      << "temporary file left behind";
}

TEST(LoadOrCreateKekFile, SecondCallReturnsTheSameKey) {
  vigil::testing::TempDir dir;
  const auto first = LoadOrCreateKekFile(dir / "kek");
  ASSERT_TRUE(first);

  const auto second = LoadOrCreateKekFile(dir / "kek");

  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(HexEncode(first->span()), HexEncode(second->span()));
}

TEST(LoadOrCreateKekFile, RefusesFileReadableByOthers) {
  vigil::testing::TempDir dir;
  const fs::path path = dir / "kek";
  WriteFile(path, kHex, 0644);

  const auto kek = LoadOrCreateKekFile(path);

  ASSERT_FALSE(kek);
  EXPECT_EQ(kek.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(kek.error().message.find(path.string()), std::string::npos) << kek.error().message;
  EXPECT_NE(kek.error().message.find("0644"), std::string::npos) << kek.error().message;
  EXPECT_EQ(vigil::testing::ReadFileOrEmpty(path), kHex) << "the refused file was changed";
}

TEST(LoadKekFile, RefusesFileWritableByGroup) {
  vigil::testing::TempDir dir;
  WriteFile(dir / "kek", kHex, 0620);

  const auto kek = LoadKekFile(dir / "kek");

  ASSERT_FALSE(kek);
  EXPECT_EQ(kek.error().code, ErrorCode::kPermissionDenied);
}

TEST(LoadKekFile, RefusesFileOwnedByAnotherUser) {
  if (::geteuid() != 0) VIGIL_SKIP_OR_FAIL("needs root to give a file to another user");
  vigil::testing::TempDir dir;
  WriteFile(dir / "kek", kHex, 0600);
  ASSERT_EQ(::chown((dir / "kek").c_str(), 65534, 65534), 0);

  const auto kek = LoadKekFile(dir / "kek");

  ASSERT_FALSE(kek);
  EXPECT_EQ(kek.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(kek.error().message.find("65534"), std::string::npos) << kek.error().message;
}

TEST(LoadKekFile, WrongLengthIsDataLoss) {
  vigil::testing::TempDir dir;
  WriteFile(dir / "kek", std::string(31, 'k'), 0600);

  const auto kek = LoadKekFile(dir / "kek");

  ASSERT_FALSE(kek);
  EXPECT_EQ(kek.error().code, ErrorCode::kDataLoss);
}

TEST(LoadKekFile, LongFileIsDataLoss) {
  vigil::testing::TempDir dir;
  WriteFile(dir / "kek", kHex + "\n" + kHex + "\n", 0600);

  const auto kek = LoadKekFile(dir / "kek");

  ASSERT_FALSE(kek);
  EXPECT_EQ(kek.error().code, ErrorCode::kDataLoss);
}

TEST(LoadKekFile, SixtyFourNonHexCharactersAreDataLoss) {
  vigil::testing::TempDir dir;
  WriteFile(dir / "kek", std::string(64, 'z'), 0600);

  const auto kek = LoadKekFile(dir / "kek");

  ASSERT_FALSE(kek);
  EXPECT_EQ(kek.error().code, ErrorCode::kDataLoss);
}

TEST(LoadKekFile, AcceptsRawAndHexForms) {
  vigil::testing::TempDir dir;
  const auto raw = *HexDecode(kHex);
  WriteFile(dir / "raw", std::string(raw.begin(), raw.end()), 0600);
  WriteFile(dir / "hex", kHex, 0600);
  WriteFile(dir / "hex-newline", kHex + "\n", 0400);

  const auto from_raw = LoadKekFile(dir / "raw");
  const auto from_hex = LoadKekFile(dir / "hex");
  const auto from_hex_newline = LoadKekFile(dir / "hex-newline");

  ASSERT_TRUE(from_raw && from_hex && from_hex_newline);
  EXPECT_EQ(HexEncode(from_raw->span()), kHex);
  EXPECT_EQ(HexEncode(from_hex->span()), kHex);
  EXPECT_EQ(HexEncode(from_hex_newline->span()), kHex);
}

TEST(LoadKekFile, MissingFileIsNotFound) {
  vigil::testing::TempDir dir;

  const auto kek = LoadKekFile(dir / "absent");

  ASSERT_FALSE(kek);
  EXPECT_EQ(kek.error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir / "absent"));
}

TEST(LoadKekFile, FolderIsInvalidArgument) {
  vigil::testing::TempDir dir;
  fs::create_directory(dir / "kek");
  fs::permissions(dir / "kek", fs::perms::owner_all);

  const auto kek = LoadKekFile(dir / "kek");

  ASSERT_FALSE(kek);
  EXPECT_EQ(kek.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace vigil::crypto
