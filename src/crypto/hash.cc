#include "crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "core/check.h"
#include "crypto/openssl_error.h"

namespace vigil::crypto {
namespace {

// OpenSSL 3 looks algorithms up by name on every implicit fetch (EVP_sha256() in an init call
// does that); an explicit fetch kept for the life of the process avoids it. Never freed: the
// objects are needed until exit and static destruction order would only add risk.
const EVP_MD* Sha256Md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  VIGIL_CHECK(md != nullptr, "libcrypto has no sha256");
  return md;
}

const EVP_MD* Md5Md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "MD5", nullptr);
  VIGIL_CHECK(md != nullptr, "libcrypto has no md5");
  return md;
}

EVP_MAC* HmacMac() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  VIGIL_CHECK(mac != nullptr, "libcrypto has no hmac");
  return mac;
}

EVP_KDF* HkdfKdf() {
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, "HKDF", nullptr);
  VIGIL_CHECK(kdf != nullptr, "libcrypto has no hkdf");
  return kdf;
}

// libcrypto treats a null key pointer as "keep the previous key", and an empty span may have
// a null data(); an empty key or salt is passed as a valid pointer with length 0 instead.
const std::uint8_t* NonNull(std::span<const std::uint8_t> bytes) {
  static const std::uint8_t kEmpty = 0;
  return bytes.empty() ? &kEmpty : bytes.data();
}

}  // namespace

Sha256Digest Sha256(std::span<const std::uint8_t> data) {
  // One context per thread, reused: every authenticated request hashes its credential, and
  // allocating and freeing a context was a quarter of the cost of hashing a short input.
  struct Context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Context local;
  VIGIL_CHECK(local.ctx != nullptr, "evp_md_ctx_new failed");
  Sha256Digest digest;
  unsigned int size = 0;
  VIGIL_CHECK(EVP_DigestInit_ex2(local.ctx, Sha256Md(), nullptr) == 1 &&
                  EVP_DigestUpdate(local.ctx, data.data(), data.size()) == 1 &&
                  EVP_DigestFinal_ex(local.ctx, digest.data(), &size) == 1,
              "sha256 failed");
  return digest;
}

Md5Digest Md5(std::span<const std::uint8_t> data) {
  Md5Digest digest;
  unsigned int size = 0;
  VIGIL_CHECK(EVP_Digest(data.data(), data.size(), digest.data(), &size, Md5Md(), nullptr) == 1 &&
                  size == digest.size(),
              "md5 failed");
  return digest;
}

void Sha256Context::Free::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Sha256Context::Sha256Context() : ctx_(EVP_MD_CTX_new()) {
  VIGIL_CHECK(ctx_ != nullptr, "evp_md_ctx_new failed");
  VIGIL_CHECK(EVP_DigestInit_ex2(ctx_.get(), Sha256Md(), nullptr) == 1, "sha256 init failed");
}

Sha256Context::~Sha256Context() = default;
Sha256Context::Sha256Context(Sha256Context&& other) noexcept = default;
Sha256Context& Sha256Context::operator=(Sha256Context&& other) noexcept = default;

void Sha256Context::Update(std::span<const std::uint8_t> data) {
  VIGIL_CHECK(EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) == 1, "sha256 update failed");
}

Sha256Digest Sha256Context::Finish() {
  Sha256Digest digest;
  unsigned int size = 0;
  VIGIL_CHECK(EVP_DigestFinal_ex(ctx_.get(), digest.data(), &size) == 1, "sha256 final failed");
  VIGIL_CHECK(EVP_DigestInit_ex2(ctx_.get(), nullptr, nullptr) == 1, "sha256 reset failed");
  return digest;
}

Sha256Digest HmacSha256(std::span<const std::uint8_t> key, std::span<const std::uint8_t> data) {
  return HmacSha256Context(key).Compute(data);
}

void HmacSha256Context::Free::operator()(evp_mac_ctx_st* ctx) const { EVP_MAC_CTX_free(ctx); }

HmacSha256Context::HmacSha256Context(std::span<const std::uint8_t> key)
    : ctx_(EVP_MAC_CTX_new(HmacMac())) {
  VIGIL_CHECK(ctx_ != nullptr, "evp_mac_ctx_new failed");
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end()};
  VIGIL_CHECK(EVP_MAC_init(ctx_.get(), NonNull(key), key.size(), params) == 1,
              "hmac-sha256 init failed");
}

HmacSha256Context::~HmacSha256Context() = default;
HmacSha256Context::HmacSha256Context(HmacSha256Context&& other) noexcept = default;
HmacSha256Context& HmacSha256Context::operator=(HmacSha256Context&& other) noexcept = default;

void HmacSha256Context::Update(std::span<const std::uint8_t> data) {
  VIGIL_CHECK(EVP_MAC_update(ctx_.get(), data.data(), data.size()) == 1,
              "hmac-sha256 update failed");
}

Sha256Digest HmacSha256Context::Finish() {
  Sha256Digest mac;
  std::size_t size = 0;
  VIGIL_CHECK(EVP_MAC_final(ctx_.get(), mac.data(), &size, mac.size()) == 1 && size == mac.size(),
              "hmac-sha256 final failed");
  // A null key re-initialises with the key already set: the precomputed inner and outer pads
  // are reused, so the next message costs only its hashing.
  VIGIL_CHECK(EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) == 1, "hmac-sha256 reset failed");
  return mac;
}

Sha256Digest HmacSha256Context::Compute(std::span<const std::uint8_t> data) {
  Update(data);
  return Finish();
}

bool ConstantTimeEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<SecretBytes> HkdfSha256(std::span<const std::uint8_t> ikm,
                               std::span<const std::uint8_t> salt,
                               std::span<const std::uint8_t> info, std::size_t size) {
  if (size == 0 || size > kHkdfSha256MaxSize) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "hkdf-sha256: output size must be 1 to 8160 bytes");
  }
  std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(HkdfKdf()),
                                                                &EVP_KDF_CTX_free);
  if (!ctx) {
    return tl::unexpected(
        OpenSslError(ErrorCode::kInternal, "hkdf-sha256: evp_kdf_ctx_new failed"));
  }
  char digest_name[] = "SHA256";
  // libcrypto copies the parameters; the casts only satisfy its non-const signature.
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(NonNull(ikm)),
                                        ikm.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
                                        const_cast<std::uint8_t*>(NonNull(salt)), salt.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
                                        const_cast<std::uint8_t*>(NonNull(info)), info.size()),
      OSSL_PARAM_construct_end()};
  SecretBytes out(size);
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    return tl::unexpected(OpenSslError(ErrorCode::kInternal, "hkdf-sha256: derive failed"));
  }
  return out;
}

}  // namespace vigil::crypto
