#include "crypto/aead.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <climits>
#include <utility>

#include "core/check.h"
#include "crypto/openssl_error.h"

namespace vigil::crypto {
namespace {

// Fetched once: an implicit fetch (EVP_aes_256_gcm()) would repeat the lookup on every init.
const EVP_CIPHER* Aes256GcmCipher() {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  VIGIL_CHECK(cipher != nullptr, "libcrypto has no aes-256-gcm");
  return cipher;
}

constexpr std::size_t kMaxInput = INT_MAX - kAesGcmTagSize;

void Wipe(std::span<std::uint8_t> bytes) {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

Status CheckSizes(std::span<const std::uint8_t> nonce, std::size_t text_size,
                  std::span<const std::uint8_t> associated_data) {
  if (nonce.size() != kAesGcmNonceSize) {
    return MakeError(ErrorCode::kInvalidArgument, "aes-256-gcm: nonce must be 12 bytes");
  }
  if (text_size > kMaxInput || associated_data.size() > kMaxInput) {
    return MakeError(ErrorCode::kInvalidArgument, "aes-256-gcm: input larger than 2 gib");
  }
  return OkStatus();
}

// Feeds associated data then text through an initialised context (update calls only).
bool Process(EVP_CIPHER_CTX* ctx, std::span<const std::uint8_t> associated_data,
             std::span<const std::uint8_t> in, std::uint8_t* out) {
  int len = 0;
  if (!associated_data.empty() && EVP_CipherUpdate(ctx, nullptr, &len, associated_data.data(),
                                                   static_cast<int>(associated_data.size())) != 1) {
    return false;
  }
  if (!in.empty() &&
      EVP_CipherUpdate(ctx, out, &len, in.data(), static_cast<int>(in.size())) != 1) {
    return false;
  }
  return true;
}

}  // namespace

void Aes256Gcm::Free::operator()(evp_cipher_ctx_st* ctx) const { EVP_CIPHER_CTX_free(ctx); }

Aes256Gcm::Aes256Gcm(CtxPtr encrypt, CtxPtr decrypt)
    : encrypt_(std::move(encrypt)), decrypt_(std::move(decrypt)) {}

Aes256Gcm::~Aes256Gcm() = default;
Aes256Gcm::Aes256Gcm(Aes256Gcm&& other) noexcept = default;
Aes256Gcm& Aes256Gcm::operator=(Aes256Gcm&& other) noexcept = default;

Result<Aes256Gcm> Aes256Gcm::Create(std::span<const std::uint8_t> key) {
  if (key.size() != kAes256GcmKeySize) {
    return MakeError(ErrorCode::kInvalidArgument, "aes-256-gcm: key must be 32 bytes");
  }
  CtxPtr encrypt(EVP_CIPHER_CTX_new());
  CtxPtr decrypt(EVP_CIPHER_CTX_new());
  // The default IV length of GCM is 12 bytes, the size used here, so none is set.
  if (!encrypt || !decrypt ||
      EVP_EncryptInit_ex2(encrypt.get(), Aes256GcmCipher(), key.data(), nullptr, nullptr) != 1 ||
      EVP_DecryptInit_ex2(decrypt.get(), Aes256GcmCipher(), key.data(), nullptr, nullptr) != 1) {
    return tl::unexpected(OpenSslError(ErrorCode::kInternal, "aes-256-gcm: context setup failed"));
  }
  return Aes256Gcm(std::move(encrypt), std::move(decrypt));
}

Status Aes256Gcm::Seal(std::span<const std::uint8_t> nonce, std::span<const std::uint8_t> plaintext,
                       std::span<const std::uint8_t> associated_data, std::span<std::uint8_t> out) {
  VIGIL_RETURN_IF_ERROR(CheckSizes(nonce, plaintext.size(), associated_data));
  if (out.size() != plaintext.size() + kAesGcmTagSize) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "aes-256-gcm: output must be plaintext size + 16 bytes");
  }
  EVP_CIPHER_CTX* ctx = encrypt_.get();
  int len = 0;
  // Null cipher and key keep the expanded key; only the nonce changes per message.
  if (EVP_EncryptInit_ex2(ctx, nullptr, nullptr, nonce.data(), nullptr) != 1 ||
      !Process(ctx, associated_data, plaintext, out.data()) ||
      EVP_EncryptFinal_ex(ctx, out.data() + plaintext.size(), &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAesGcmTagSize),
                          out.data() + plaintext.size()) != 1) {
    Wipe(out);
    return tl::unexpected(OpenSslError(ErrorCode::kInternal, "aes-256-gcm: seal failed"));
  }
  return OkStatus();
}

Status Aes256Gcm::Open(std::span<const std::uint8_t> nonce,
                       std::span<const std::uint8_t> ciphertext_and_tag,
                       std::span<const std::uint8_t> associated_data, std::span<std::uint8_t> out) {
  if (ciphertext_and_tag.size() < kAesGcmTagSize) {
    return MakeError(ErrorCode::kDataLoss, "aes-256-gcm: input shorter than the tag");
  }
  const std::size_t text_size = ciphertext_and_tag.size() - kAesGcmTagSize;
  VIGIL_RETURN_IF_ERROR(CheckSizes(nonce, text_size, associated_data));
  if (out.size() != text_size) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "aes-256-gcm: output must be ciphertext size - 16 bytes");
  }
  EVP_CIPHER_CTX* ctx = decrypt_.get();
  const auto ciphertext = ciphertext_and_tag.first(text_size);
  // The tag is only read by libcrypto; its ctrl interface is not const-correct.
  auto* tag = const_cast<std::uint8_t*>(ciphertext_and_tag.data() + text_size);
  if (EVP_DecryptInit_ex2(ctx, nullptr, nullptr, nonce.data(), nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAesGcmTagSize), tag) != 1 ||
      !Process(ctx, associated_data, ciphertext, out.data())) {
    Wipe(out);
    return tl::unexpected(OpenSslError(ErrorCode::kInternal, "aes-256-gcm: open failed"));
  }
  int len = 0;
  if (EVP_DecryptFinal_ex(ctx, out.data() + text_size, &len) != 1) {
    Wipe(out);
    ClearOpenSslErrors();
    return MakeError(ErrorCode::kDataLoss, "aes-256-gcm: authentication failed");
  }
  return OkStatus();
}

Result<std::vector<std::uint8_t>> Aes256GcmSeal(std::span<const std::uint8_t> key,
                                                std::span<const std::uint8_t> nonce,
                                                std::span<const std::uint8_t> plaintext,
                                                std::span<const std::uint8_t> associated_data) {
  auto aead = Aes256Gcm::Create(key);
  if (!aead) return tl::unexpected(std::move(aead).error());
  std::vector<std::uint8_t> out(plaintext.size() + kAesGcmTagSize);
  VIGIL_RETURN_IF_ERROR(aead->Seal(nonce, plaintext, associated_data, out));
  return out;
}

Result<SecretBytes> Aes256GcmOpen(std::span<const std::uint8_t> key,
                                  std::span<const std::uint8_t> nonce,
                                  std::span<const std::uint8_t> ciphertext_and_tag,
                                  std::span<const std::uint8_t> associated_data) {
  auto aead = Aes256Gcm::Create(key);
  if (!aead) return tl::unexpected(std::move(aead).error());
  if (ciphertext_and_tag.size() < kAesGcmTagSize) {
    return MakeError(ErrorCode::kDataLoss, "aes-256-gcm: input shorter than the tag");
  }
  SecretBytes out(ciphertext_and_tag.size() - kAesGcmTagSize);
  VIGIL_RETURN_IF_ERROR(aead->Open(nonce, ciphertext_and_tag, associated_data,
                                   std::span<std::uint8_t>(out.data(), out.size())));
  return out;
}

}  // namespace vigil::crypto
