#include "crypto/key_ring.h"

#include <algorithm>
#include <mutex>
#include <string>
#include <utility>

#include "core/hex.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "crypto/sealed_value.h"

namespace vigil::crypto {

struct KeyRing::Dek {
  Dek(std::uint32_t v, std::int64_t created, SecretBytes k, Aes256Gcm c)
      : version(v), created_unix(created), key(std::move(k)), cipher(std::move(c)) {}

  const std::uint32_t version;
  const std::int64_t created_unix;
  const SecretBytes key;
  // One context per DEK, reused for every value: building one per call would repeat the AES
  // key expansion and GHASH table set-up that dominate sealing a small record.
  std::mutex cipher_mu;
  Aes256Gcm cipher;  // Guarded by cipher_mu.
};

namespace {

constexpr std::size_t kKeySize = 32;
constexpr std::uint32_t kKekVersion = 0;

std::string DekAssociatedData(std::uint32_t version) {
  return "vigil-dek|" + std::to_string(version);
}

// The header is authenticated as a prefix of the caller's associated data; it has a fixed
// size, so the concatenation is unambiguous.
std::vector<std::uint8_t> HeaderAnd(std::span<const std::uint8_t> header,
                                    std::span<const std::uint8_t> associated_data) {
  std::vector<std::uint8_t> aad;
  aad.reserve(header.size() + associated_data.size());
  aad.insert(aad.end(), header.begin(), header.end());
  aad.insert(aad.end(), associated_data.begin(), associated_data.end());
  return aad;
}

// Seals in the sealed-value layout. `lock` guards `cipher` and is held only while encrypting.
Result<std::vector<std::uint8_t>> SealValue(Aes256Gcm& cipher, std::mutex* lock,
                                            std::uint32_t version,
                                            std::span<const std::uint8_t> plaintext,
                                            std::span<const std::uint8_t> associated_data) {
  std::vector<std::uint8_t> out(kSealedOverhead + plaintext.size());
  const auto header = EncodeSealedHeader(version);
  std::copy(header.begin(), header.end(), out.begin());
  const std::span<std::uint8_t> nonce(out.data() + kSealedHeaderSize, kSealedNonceSize);
  VIGIL_RETURN_IF_ERROR(RandomNonceBytes(nonce));
  const auto aad = HeaderAnd(header, associated_data);
  const std::span<std::uint8_t> body(out.data() + kSealedHeaderSize + kSealedNonceSize,
                                     plaintext.size() + kSealedTagSize);
  std::unique_lock<std::mutex> guard;
  if (lock != nullptr) guard = std::unique_lock(*lock);
  VIGIL_RETURN_IF_ERROR(cipher.Seal(nonce, plaintext, aad, body));
  return out;
}

Result<SecretBytes> OpenValue(Aes256Gcm& cipher, std::mutex* lock, const SealedHeader& sealed,
                              std::span<const std::uint8_t> associated_data) {
  const auto aad = HeaderAnd(sealed.header, associated_data);
  SecretBytes out(sealed.ciphertext_and_tag.size() - kSealedTagSize);
  std::unique_lock<std::mutex> guard;
  if (lock != nullptr) guard = std::unique_lock(*lock);
  VIGIL_RETURN_IF_ERROR(cipher.Open(sealed.nonce, sealed.ciphertext_and_tag, aad,
                                    std::span<std::uint8_t>(out.data(), out.size())));
  return out;
}

Result<std::vector<std::uint8_t>> WrapDek(Aes256Gcm& kek, std::uint32_t version,
                                          const SecretBytes& dek) {
  const std::string aad = DekAssociatedData(version);
  return SealValue(kek, nullptr, kKekVersion, dek.span(), AsBytes(aad));
}

Result<SecretBytes> UnwrapDek(Aes256Gcm& kek, const WrappedDek& wrapped) {
  const auto fail = [&](const std::string& why) {
    return MakeError(ErrorCode::kDataLoss,
                     "key ring: dek version " + std::to_string(wrapped.version) + ": " + why);
  };
  const auto sealed = ParseSealedHeader(wrapped.wrapped);
  if (!sealed) return fail(sealed.error().message);
  if (sealed->version != kKekVersion) return fail("not wrapped by the kek");
  auto dek = OpenValue(kek, nullptr, *sealed, AsBytes(DekAssociatedData(wrapped.version)));
  if (!dek) return fail("does not unwrap under this kek (wrong key file?)");
  if (dek->size() != kKeySize) return fail("not 32 bytes");
  return dek;
}

}  // namespace

KeyRing::KeyRing(SecretBytes kek, DekStore& store) : kek_(std::move(kek)), store_(store) {}

KeyRing::~KeyRing() = default;

Result<std::unique_ptr<KeyRing>> KeyRing::Open(SecretBytes kek, DekStore& store,
                                               std::int64_t now_unix) {
  if (kek.size() != kKeySize) {
    return MakeError(ErrorCode::kInvalidArgument, "key ring: kek must be 32 bytes");
  }
  std::unique_ptr<KeyRing> ring(new KeyRing(std::move(kek), store));
  VIGIL_RETURN_IF_ERROR(ring->LoadFromStore(now_unix));
  return ring;
}

Status KeyRing::LoadFromStore(std::int64_t now_unix) {
  auto kek = Aes256Gcm::Create(kek_.span());
  if (!kek) return tl::unexpected(std::move(kek).error());
  auto stored = store_.LoadDeks();
  if (!stored) return tl::unexpected(Annotate(std::move(stored).error(), "key ring: load deks"));

  if (stored->empty()) {
    auto key = RandomSecret(kKeySize);
    if (!key) return tl::unexpected(std::move(key).error());
    auto wrapped = WrapDek(*kek, 1, *key);
    if (!wrapped) return tl::unexpected(std::move(wrapped).error());
    const WrappedDek first{.version = 1, .wrapped = std::move(*wrapped), .created_unix = now_unix};
    if (auto added = store_.AddDek(first); !added) {
      // Another process created version 1 first; use the one it stored.
      if (added.error().code != ErrorCode::kAlreadyExists) {
        return tl::unexpected(Annotate(std::move(added).error(), "key ring: add dek 1"));
      }
    }
    stored = store_.LoadDeks();
    if (!stored) return tl::unexpected(Annotate(std::move(stored).error(), "key ring: load deks"));
  }

  std::sort(stored->begin(), stored->end(),
            [](const WrappedDek& a, const WrappedDek& b) { return a.version < b.version; });
  for (std::size_t i = 0; i < stored->size(); ++i) {
    const WrappedDek& wrapped = (*stored)[i];
    if (wrapped.version == kKekVersion || (i > 0 && (*stored)[i - 1].version == wrapped.version)) {
      return MakeError(ErrorCode::kDataLoss, "key ring: stored dek versions are zero or repeated");
    }
    auto key = UnwrapDek(*kek, wrapped);
    if (!key) return tl::unexpected(std::move(key).error());
    auto cipher = Aes256Gcm::Create(key->span());
    if (!cipher) return tl::unexpected(std::move(cipher).error());
    deks_.push_back(std::make_unique<Dek>(wrapped.version, wrapped.created_unix, std::move(*key),
                                          std::move(*cipher)));
  }
  if (deks_.empty()) {
    return MakeError(ErrorCode::kDataLoss, "key ring: store holds no dek after creating one");
  }
  return OkStatus();
}

KeyRing::Dek* KeyRing::Find(std::uint32_t version) const {
  const auto it = std::lower_bound(
      deks_.begin(), deks_.end(), version,
      [](const std::unique_ptr<Dek>& dek, std::uint32_t v) { return dek->version < v; });
  return it != deks_.end() && (*it)->version == version ? it->get() : nullptr;
}

Result<std::vector<std::uint8_t>> KeyRing::Seal(
    std::span<const std::uint8_t> plaintext, std::span<const std::uint8_t> associated_data) const {
  std::shared_lock lock(mu_);
  Dek& dek = *deks_.back();
  return SealValue(dek.cipher, &dek.cipher_mu, dek.version, plaintext, associated_data);
}

Result<std::vector<std::uint8_t>> KeyRing::Seal(std::string_view plaintext,
                                                std::string_view associated_data) const {
  return Seal(AsBytes(plaintext), AsBytes(associated_data));
}

Result<SecretBytes> KeyRing::Open(std::span<const std::uint8_t> sealed,
                                  std::span<const std::uint8_t> associated_data) const {
  const auto parsed = ParseSealedHeader(sealed);
  if (!parsed) {
    return MakeError(ErrorCode::kDataLoss, "key ring: " + parsed.error().message);
  }
  std::shared_lock lock(mu_);
  Dek* dek = Find(parsed->version);
  if (dek == nullptr) {
    return MakeError(ErrorCode::kDataLoss, "key ring: sealed value names unknown dek version " +
                                               std::to_string(parsed->version));
  }
  auto opened = OpenValue(dek->cipher, &dek->cipher_mu, *parsed, associated_data);
  if (!opened) return tl::unexpected(Annotate(std::move(opened).error(), "key ring"));
  return opened;
}

Result<SecretBytes> KeyRing::Open(std::span<const std::uint8_t> sealed,
                                  std::string_view associated_data) const {
  return Open(sealed, AsBytes(associated_data));
}

Result<std::uint32_t> KeyRing::SealedVersion(std::span<const std::uint8_t> sealed) {
  const auto parsed = ParseSealedHeader(sealed);
  if (!parsed) return tl::unexpected(parsed.error());
  return parsed->version;
}

Result<SecretBytes> KeyRing::DeriveKey(std::string_view purpose, std::uint32_t version) const {
  if (purpose.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "key ring: derive key: empty purpose");
  }
  std::shared_lock lock(mu_);
  const Dek* dek = Find(version);
  if (dek == nullptr) {
    return MakeError(ErrorCode::kNotFound,
                     "key ring: derive key: no dek version " + std::to_string(version));
  }
  const std::string info = "vigil|" + std::string(purpose);
  return HkdfSha256(dek->key.span(), {}, AsBytes(info), kKeySize);
}

std::uint32_t KeyRing::current_version() const {
  std::shared_lock lock(mu_);
  return deks_.back()->version;
}

std::vector<std::uint32_t> KeyRing::versions() const {
  std::shared_lock lock(mu_);
  std::vector<std::uint32_t> out;
  out.reserve(deks_.size());
  for (const auto& dek : deks_) out.push_back(dek->version);
  return out;
}

Status KeyRing::Rotate(std::int64_t now_unix) {
  std::lock_guard admin(admin_mu_);
  std::uint32_t newest = 0;
  SecretBytes kek_bytes;
  {
    std::shared_lock lock(mu_);
    newest = deks_.back()->version;
    kek_bytes = kek_.Clone();
  }
  if (newest == UINT32_MAX) {
    return MakeError(ErrorCode::kResourceExhausted, "key ring: dek versions exhausted");
  }
  const std::uint32_t version = newest + 1;
  auto kek = Aes256Gcm::Create(kek_bytes.span());
  if (!kek) return tl::unexpected(std::move(kek).error());
  auto key = RandomSecret(kKeySize);
  if (!key) return tl::unexpected(std::move(key).error());
  auto cipher = Aes256Gcm::Create(key->span());
  if (!cipher) return tl::unexpected(std::move(cipher).error());
  auto wrapped = WrapDek(*kek, version, *key);
  if (!wrapped) return tl::unexpected(std::move(wrapped).error());
  // The store write runs without mu_ held: writes that seal values take mu_ (shared) inside the
  // store's writer, and holding it here while waiting for that writer would deadlock.
  VIGIL_RETURN_IF_ERROR(
      store_.AddDek({.version = version, .wrapped = std::move(*wrapped), .created_unix = now_unix})
          .map_error([&](Error e) {
            return Annotate(std::move(e), "key ring: add dek " + std::to_string(version));
          }));
  std::unique_lock lock(mu_);
  deks_.push_back(std::make_unique<Dek>(version, now_unix, std::move(*key), std::move(*cipher)));
  return OkStatus();
}

Status KeyRing::ReplaceKek(SecretBytes new_kek) {
  if (new_kek.size() != kKeySize) {
    return MakeError(ErrorCode::kInvalidArgument, "key ring: kek must be 32 bytes");
  }
  auto kek = Aes256Gcm::Create(new_kek.span());
  if (!kek) return tl::unexpected(std::move(kek).error());
  std::lock_guard admin(admin_mu_);
  std::vector<WrappedDek> rewrapped;
  {
    std::shared_lock lock(mu_);
    rewrapped.reserve(deks_.size());
    for (const auto& dek : deks_) {
      auto wrapped = WrapDek(*kek, dek->version, dek->key);
      if (!wrapped) return tl::unexpected(std::move(wrapped).error());
      rewrapped.push_back({.version = dek->version,
                           .wrapped = std::move(*wrapped),
                           .created_unix = dek->created_unix});
    }
  }
  // As in Rotate(): no ring lock while the store writes.
  VIGIL_RETURN_IF_ERROR(store_.ReplaceAllDeks(rewrapped).map_error(
      [](Error e) { return Annotate(std::move(e), "key ring: replace deks"); }));
  std::unique_lock lock(mu_);
  kek_ = std::move(new_kek);
  return OkStatus();
}

}  // namespace vigil::crypto
