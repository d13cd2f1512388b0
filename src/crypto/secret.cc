#include "crypto/secret.h"

#include <openssl/crypto.h>

#include <utility>

namespace vigil::crypto {

SecretBytes::~SecretBytes() { Wipe(); }

// A moved-from vector is left empty by the standard, so the source holds no copy afterwards.
SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.bytes_.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

// OPENSSL_cleanse, unlike memset, is not removed by the optimiser when the memory dies next.
void SecretBytes::Wipe() {
  if (!bytes_.empty()) {
    OPENSSL_cleanse(bytes_.data(), bytes_.size());
  }
  bytes_.clear();
}

}  // namespace vigil::crypto
