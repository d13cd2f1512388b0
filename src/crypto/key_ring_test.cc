#include "crypto/key_ring.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/hex.h"
#include "crypto/hash.h"

namespace vigil::crypto {
namespace {

// The DekStore fake: wrapped DEKs in a vector, as the SQLite table would hold them.
class InMemoryDekStore : public DekStore {
 public:
  Result<std::vector<WrappedDek>> LoadDeks() override {
    std::lock_guard lock(mu_);
    return deks_;
  }

  Status AddDek(const WrappedDek& dek) override {
    std::lock_guard lock(mu_);
    for (const auto& d : deks_) {
      if (d.version == dek.version) return MakeError(ErrorCode::kAlreadyExists, "dek exists");
    }
    deks_.push_back(dek);
    return OkStatus();
  }

  Status ReplaceAllDeks(const std::vector<WrappedDek>& deks) override {
    std::lock_guard lock(mu_);
    deks_ = deks;
    return OkStatus();
  }

  std::vector<WrappedDek> deks() {
    std::lock_guard lock(mu_);
    return deks_;
  }
  void set_deks(std::vector<WrappedDek> deks) {
    std::lock_guard lock(mu_);
    deks_ = std::move(deks);
  }

 private:
  std::mutex mu_;
  std::vector<WrappedDek> deks_;
};

SecretBytes Kek(std::uint8_t fill) { return SecretBytes(std::vector<std::uint8_t>(32, fill)); }

std::string Text(const SecretBytes& secret) { return std::string(secret.view()); }

std::unique_ptr<KeyRing> OpenRing(SecretBytes kek, DekStore& store) {
  auto ring = KeyRing::Open(std::move(kek), store, 1700000000);
  EXPECT_TRUE(ring) << ring.error().message;
  return ring ? std::move(*ring) : nullptr;
}

TEST(KeyRing, OpenCreatesDekVersionOne) {
  InMemoryDekStore store;

  auto ring = OpenRing(Kek(1), store);

  ASSERT_NE(ring, nullptr);
  EXPECT_EQ(ring->versions(), std::vector<std::uint32_t>{1});
  EXPECT_EQ(ring->current_version(), 1u);
  ASSERT_EQ(store.deks().size(), 1u);
  EXPECT_EQ(store.deks()[0].version, 1u);
  EXPECT_EQ(store.deks()[0].created_unix, 1700000000);
  EXPECT_EQ(store.deks()[0].wrapped.size(), 32u + 33u);
}

TEST(KeyRing, SealThenOpenReturnsThePlaintext) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);

  const auto sealed = ring->Seal("smtp password", "secret:smtp");
  ASSERT_TRUE(sealed) << sealed.error().message;
  const auto opened = ring->Open(*sealed, "secret:smtp");

  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(Text(*opened), "smtp password");
}

TEST(KeyRing, SealedValueFollowsTheDocumentedLayout) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);

  const auto sealed = ring->Seal("12345", "");

  ASSERT_TRUE(sealed);
  ASSERT_EQ(sealed->size(), 5u + 33u);
  EXPECT_EQ((std::vector<std::uint8_t>(sealed->begin(), sealed->begin() + 5)),
            (std::vector<std::uint8_t>{0x01, 0, 0, 0, 1}));
}

TEST(KeyRing, SameInputSealsDifferentlyEachTime) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);

  const auto a = ring->Seal("same", "ad");
  const auto b = ring->Seal("same", "ad");

  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(KeyRing, OtherAssociatedDataIsDataLoss) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  const auto sealed = ring->Seal("value", "row 1");
  ASSERT_TRUE(sealed);

  const auto opened = ring->Open(*sealed, "row 2");

  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kDataLoss);
}

TEST(KeyRing, EveryAlteredByteIsDataLoss) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  const auto sealed = ring->Seal("value", "ad");
  ASSERT_TRUE(sealed);

  for (std::size_t i = 0; i < sealed->size(); ++i) {
    auto tampered = *sealed;
    tampered[i] ^= 0x01;

    const auto opened = ring->Open(tampered, "ad");

    ASSERT_FALSE(opened) << "byte " << i;
    EXPECT_EQ(opened.error().code, ErrorCode::kDataLoss) << "byte " << i;
  }
}

TEST(KeyRing, TruncatedValueIsDataLoss) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  const auto sealed = ring->Seal("value", "ad");
  ASSERT_TRUE(sealed);

  const auto opened = ring->Open(std::span(*sealed).first(sealed->size() - 1), "ad");

  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kDataLoss);
}

TEST(KeyRing, SealedVersionReadsTheHeader) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  const auto sealed = ring->Seal("value", "ad");
  ASSERT_TRUE(sealed);

  EXPECT_EQ(KeyRing::SealedVersion(*sealed), 1u);
}

TEST(KeyRing, SealedVersionOfMalformedValueIsInvalidArgument) {
  const std::vector<std::uint8_t> garbage(10, 0x01);

  const auto version = KeyRing::SealedVersion(garbage);

  ASSERT_FALSE(version);
  EXPECT_EQ(version.error().code, ErrorCode::kInvalidArgument);
}

TEST(KeyRing, RotateKeepsOldValuesOpenAndSealsWithTheNewVersion) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  const auto old_value = ring->Seal("old", "ad");
  ASSERT_TRUE(old_value);

  ASSERT_TRUE(ring->Rotate(1700000100));
  const auto new_value = ring->Seal("new", "ad");

  ASSERT_TRUE(new_value);
  EXPECT_EQ(ring->current_version(), 2u);
  EXPECT_EQ(ring->versions(), (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(KeyRing::SealedVersion(*new_value), 2u);
  EXPECT_EQ(KeyRing::SealedVersion(*old_value), 1u);
  EXPECT_EQ(Text(*ring->Open(*old_value, "ad")), "old");
  EXPECT_EQ(Text(*ring->Open(*new_value, "ad")), "new");
  ASSERT_EQ(store.deks().size(), 2u);
  EXPECT_EQ(store.deks()[1].created_unix, 1700000100);
}

TEST(KeyRing, ReopenedRingOpensEarlierValues) {
  InMemoryDekStore store;
  std::vector<std::uint8_t> v1, v2;
  {
    auto ring = OpenRing(Kek(1), store);
    ASSERT_NE(ring, nullptr);
    v1 = *ring->Seal("one", "ad");
    ASSERT_TRUE(ring->Rotate(1700000100));
    v2 = *ring->Seal("two", "ad");
  }

  auto reopened = OpenRing(Kek(1), store);

  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->current_version(), 2u);
  EXPECT_EQ(Text(*reopened->Open(v1, "ad")), "one");
  EXPECT_EQ(Text(*reopened->Open(v2, "ad")), "two");
}

TEST(KeyRing, OpenWithWrongKekIsDataLoss) {
  InMemoryDekStore store;
  ASSERT_NE(OpenRing(Kek(1), store), nullptr);

  const auto ring = KeyRing::Open(Kek(2), store, 0);

  ASSERT_FALSE(ring);
  EXPECT_EQ(ring.error().code, ErrorCode::kDataLoss);
}

TEST(KeyRing, OpenRejectsKekOfWrongSize) {
  InMemoryDekStore store;

  const auto ring = KeyRing::Open(SecretBytes(std::vector<std::uint8_t>(16, 1)), store, 0);

  ASSERT_FALSE(ring);
  EXPECT_EQ(ring.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(store.deks().empty());
}

TEST(KeyRing, SwappedWrappedDeksDoNotUnwrap) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  ASSERT_TRUE(ring->Rotate(1));
  auto deks = store.deks();
  std::swap(deks[0].wrapped, deks[1].wrapped);
  store.set_deks(deks);

  const auto reopened = KeyRing::Open(Kek(1), store, 0);

  ASSERT_FALSE(reopened);
  EXPECT_EQ(reopened.error().code, ErrorCode::kDataLoss);
}

TEST(KeyRing, ReplaceKekKeepsValuesAndRetiresTheOldKek) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  const auto sealed = ring->Seal("patient db password", "secret:db");
  ASSERT_TRUE(sealed);

  const auto replaced = ring->ReplaceKek(Kek(2));

  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_EQ(Text(*ring->Open(*sealed, "secret:db")), "patient db password");
  const auto with_old = KeyRing::Open(Kek(1), store, 0);
  ASSERT_FALSE(with_old);
  EXPECT_EQ(with_old.error().code, ErrorCode::kDataLoss);
  auto with_new = OpenRing(Kek(2), store);
  ASSERT_NE(with_new, nullptr);
  EXPECT_EQ(Text(*with_new->Open(*sealed, "secret:db")), "patient db password");
}

TEST(KeyRing, RotateAfterReplaceKekWrapsUnderTheNewKek) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  ASSERT_TRUE(ring->ReplaceKek(Kek(2)));

  ASSERT_TRUE(ring->Rotate(5));

  auto reopened = OpenRing(Kek(2), store);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->versions(), (std::vector<std::uint32_t>{1, 2}));
}

TEST(KeyRing, DeriveKeyIsStableAcrossReplaceKek) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  const auto before = ring->DeriveKey("audit-hmac", 1);
  ASSERT_TRUE(before) << before.error().message;

  ASSERT_TRUE(ring->ReplaceKek(Kek(2)));
  const auto after = ring->DeriveKey("audit-hmac", 1);
  auto reopened = OpenRing(Kek(2), store);
  ASSERT_NE(reopened, nullptr);
  const auto reopened_key = reopened->DeriveKey("audit-hmac", 1);

  ASSERT_TRUE(after && reopened_key);
  EXPECT_EQ(before->size(), 32u);
  EXPECT_TRUE(ConstantTimeEquals(before->span(), after->span()));
  EXPECT_TRUE(ConstantTimeEquals(before->span(), reopened_key->span()));
}

TEST(KeyRing, DeriveKeyDiffersByPurposeAndVersion) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  ASSERT_TRUE(ring->Rotate(2));

  const auto audit = ring->DeriveKey("audit-hmac", 1);
  const auto session = ring->DeriveKey("session", 1);
  const auto audit_v2 = ring->DeriveKey("audit-hmac", 2);

  ASSERT_TRUE(audit && session && audit_v2);
  EXPECT_FALSE(ConstantTimeEquals(audit->span(), session->span()));
  EXPECT_FALSE(ConstantTimeEquals(audit->span(), audit_v2->span()));
}

TEST(KeyRing, DeriveKeyForUnknownVersionIsNotFound) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);

  const auto key = ring->DeriveKey("audit-hmac", 7);

  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, ErrorCode::kNotFound);
}

TEST(KeyRing, ConcurrentSealOpenAndRotate) {
  InMemoryDekStore store;
  auto ring = OpenRing(Kek(1), store);
  ASSERT_NE(ring, nullptr);
  std::atomic<int> failures{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string value = "value " + std::to_string(t) + "/" + std::to_string(i);
        const auto sealed = ring->Seal(value, "ad");
        if (!sealed) {
          ++failures;
          continue;
        }
        const auto opened = ring->Open(*sealed, "ad");
        if (!opened || opened->view() != value) ++failures;
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 5; ++i) {
      if (!ring->Rotate(i)) ++failures;
    }
  });
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ring->current_version(), 6u);
}

}  // namespace
}  // namespace vigil::crypto
