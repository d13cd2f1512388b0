#include "crypto/ed25519.h"

#include <openssl/evp.h>

#include <memory>
#include <utility>

#include "crypto/openssl_error.h"
#include "crypto/random.h"

namespace vigil::crypto {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

Result<PkeyPtr> PrivateKey(std::span<const std::uint8_t> private_key) {
  if (private_key.size() != kEd25519PrivateKeySize) {
    return MakeError(ErrorCode::kInvalidArgument, "ed25519: private key must be 32 bytes");
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr, private_key.data(),
                                               private_key.size()),
               &EVP_PKEY_free);
  if (!pkey) {
    return tl::unexpected(OpenSslError(ErrorCode::kInternal, "ed25519: cannot load private key"));
  }
  return pkey;
}

}  // namespace

Result<Ed25519KeyPair> GenerateEd25519KeyPair() {
  // RFC 8032 section 5.1.5: the private key is 32 random bytes.
  auto private_key = RandomSecret(kEd25519PrivateKeySize);
  if (!private_key) return tl::unexpected(std::move(private_key).error());
  auto public_key = Ed25519PublicKeyFromPrivate(private_key->span());
  if (!public_key) return tl::unexpected(std::move(public_key).error());
  return Ed25519KeyPair{.private_key = std::move(*private_key), .public_key = *public_key};
}

Result<Ed25519PublicKey> Ed25519PublicKeyFromPrivate(std::span<const std::uint8_t> private_key) {
  auto pkey = PrivateKey(private_key);
  if (!pkey) return tl::unexpected(std::move(pkey).error());
  Ed25519PublicKey public_key;
  std::size_t size = public_key.size();
  if (EVP_PKEY_get_raw_public_key(pkey->get(), public_key.data(), &size) != 1 ||
      size != public_key.size()) {
    return tl::unexpected(OpenSslError(ErrorCode::kInternal, "ed25519: cannot read public key"));
  }
  return public_key;
}

Result<Ed25519Signature> Ed25519Sign(std::span<const std::uint8_t> private_key,
                                     std::span<const std::uint8_t> message) {
  auto pkey = PrivateKey(private_key);
  if (!pkey) return tl::unexpected(std::move(pkey).error());
  MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  Ed25519Signature signature;
  std::size_t size = signature.size();
  // Ed25519 hashes internally, so no digest is named and the message goes in one call.
  if (!ctx ||
      EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, pkey->get(), nullptr) !=
          1 ||
      EVP_DigestSign(ctx.get(), signature.data(), &size, message.data(), message.size()) != 1 ||
      size != signature.size()) {
    return tl::unexpected(OpenSslError(ErrorCode::kInternal, "ed25519: signing failed"));
  }
  return signature;
}

bool Ed25519Verify(std::span<const std::uint8_t> public_key, std::span<const std::uint8_t> message,
                   std::span<const std::uint8_t> signature) {
  if (public_key.size() != kEd25519PublicKeySize || signature.size() != kEd25519SignatureSize) {
    return false;
  }
  PkeyPtr pkey(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, public_key.data(),
                                              public_key.size()),
               &EVP_PKEY_free);
  MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!pkey || !ctx ||
      EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr, nullptr, pkey.get(), nullptr) !=
          1) {
    ClearOpenSslErrors();
    return false;
  }
  // 1 is a valid signature; 0 an invalid one and negative values errors: both are "no".
  const bool valid = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                                      message.size()) == 1;
  if (!valid) ClearOpenSslErrors();
  return valid;
}

}  // namespace vigil::crypto
