#include "crypto/sealed_value.h"

namespace vigil::crypto {

Result<SealedHeader> ParseSealedHeader(std::span<const std::uint8_t> sealed) {
  if (sealed.size() < kSealedOverhead) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "sealed value: shorter than header, nonce and tag (33 bytes)");
  }
  if (sealed[0] != kSealedAes256Gcm) {
    return MakeError(ErrorCode::kInvalidArgument, "sealed value: unknown algorithm byte");
  }
  const std::uint32_t version = (std::uint32_t{sealed[1]} << 24) |
                                (std::uint32_t{sealed[2]} << 16) | (std::uint32_t{sealed[3]} << 8) |
                                std::uint32_t{sealed[4]};
  return SealedHeader{.algorithm = sealed[0],
                      .version = version,
                      .header = sealed.first(kSealedHeaderSize),
                      .nonce = sealed.subspan(kSealedHeaderSize, kSealedNonceSize),
                      .ciphertext_and_tag = sealed.subspan(kSealedHeaderSize + kSealedNonceSize)};
}

std::array<std::uint8_t, kSealedHeaderSize> EncodeSealedHeader(std::uint32_t version) {
  return {kSealedAes256Gcm, static_cast<std::uint8_t>(version >> 24),
          static_cast<std::uint8_t>(version >> 16), static_cast<std::uint8_t>(version >> 8),
          static_cast<std::uint8_t>(version)};
}

}  // namespace vigil::crypto
