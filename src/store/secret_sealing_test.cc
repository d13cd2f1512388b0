#include "store/secret_sealing.h"

#include <gtest/gtest.h>

#include <map>

namespace vigil::store {
namespace {

// The smallest DekStore that lets a KeyRing open.
class FakeDekStore final : public crypto::DekStore {
 public:
  Result<std::vector<crypto::WrappedDek>> LoadDeks() override {
    std::vector<crypto::WrappedDek> out;
    for (const auto& [version, dek] : deks_) out.push_back(dek);
    return out;
  }
  Status AddDek(const crypto::WrappedDek& dek) override {
    if (!deks_.emplace(dek.version, dek).second) {
      return MakeError(ErrorCode::kAlreadyExists, "dek exists");
    }
    return OkStatus();
  }
  Status ReplaceAllDeks(const std::vector<crypto::WrappedDek>& deks) override {
    deks_.clear();
    for (const auto& dek : deks) deks_.emplace(dek.version, dek);
    return OkStatus();
  }

 private:
  std::map<std::uint32_t, crypto::WrappedDek> deks_;
};

class SecretSealingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto::SecretBytes kek(32);
    for (std::size_t i = 0; i < kek.size(); ++i) kek.data()[i] = static_cast<std::uint8_t>(i);
    auto ring = crypto::KeyRing::Open(std::move(kek), deks_, 1700000000);
    ASSERT_TRUE(ring) << ring.error().message;
    ring_ = std::move(*ring);
  }

  static std::span<const std::uint8_t> Bytes(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
  }

  FakeDekStore deks_;
  std::unique_ptr<crypto::KeyRing> ring_;
};

TEST(SecretAssociatedData, NamesTableColumnAndRow) {
  EXPECT_EQ(SecretAssociatedData(42), "secrets|value|42");
}

TEST_F(SecretSealingTest, OpensInTheRowItWasSealedFor) {
  auto sealed = SealSecret(*ring_, 7, Bytes("pump-api-key"));
  ASSERT_TRUE(sealed) << sealed.error().message;

  auto opened = OpenSecret(*ring_, 7, "pump", sealed->value);

  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(opened->view(), "pump-api-key");
  EXPECT_EQ(sealed->key_version, ring_->current_version());
}

TEST_F(SecretSealingTest, DoesNotOpenInAnotherRow) {
  auto sealed = SealSecret(*ring_, 7, Bytes("pump-api-key"));
  ASSERT_TRUE(sealed);

  auto opened = OpenSecret(*ring_, 8, "pump", sealed->value);

  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kDataLoss);
  EXPECT_NE(opened.error().message.find("secret 'pump'"), std::string::npos);
}

TEST_F(SecretSealingTest, SealedValueDoesNotContainThePlaintext) {
  const std::string plaintext = "S3cr3t-VIGIL-canary-sealing";

  auto sealed = SealSecret(*ring_, 1, Bytes(plaintext));

  ASSERT_TRUE(sealed);
  const std::string bytes(sealed->value.begin(), sealed->value.end());
  EXPECT_EQ(bytes.find(plaintext), std::string::npos);
}

TEST_F(SecretSealingTest, GarbageIsDataLoss) {
  const std::vector<std::uint8_t> garbage = {1, 2, 3};

  auto opened = OpenSecret(*ring_, 1, "x", garbage);

  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kDataLoss);
}

}  // namespace
}  // namespace vigil::store
