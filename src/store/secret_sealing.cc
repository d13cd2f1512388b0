#include "store/secret_sealing.h"

#include <utility>

namespace vigil::store {

std::string SecretAssociatedData(std::int64_t row_id) {
  return "secrets|value|" + std::to_string(row_id);
}

Result<SealedSecret> SealSecret(const crypto::KeyRing& ring, std::int64_t row_id,
                                std::span<const std::uint8_t> plaintext) {
  const std::string ad = SecretAssociatedData(row_id);
  auto sealed =
      ring.Seal(plaintext, std::span(reinterpret_cast<const std::uint8_t*>(ad.data()), ad.size()));
  if (!sealed) return tl::unexpected(Annotate(std::move(sealed).error(), "seal secret"));
  auto version = crypto::KeyRing::SealedVersion(*sealed);
  if (!version) return tl::unexpected(Annotate(std::move(version).error(), "seal secret"));
  return SealedSecret{.value = std::move(*sealed), .key_version = *version};
}

Result<crypto::SecretBytes> OpenSecret(const crypto::KeyRing& ring, std::int64_t row_id,
                                       std::string_view name,
                                       std::span<const std::uint8_t> sealed) {
  auto opened = ring.Open(sealed, SecretAssociatedData(row_id));
  if (!opened) {
    return MakeError(ErrorCode::kDataLoss,
                     "secret '" + std::string(name) +
                         "': sealed value does not open (altered, moved from another row, or "
                         "sealed under an unknown key): " +
                         opened.error().message);
  }
  return std::move(*opened);
}

}  // namespace vigil::store
