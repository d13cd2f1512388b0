#include "pki/serial.h"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "core/hex.h"

namespace vigil::pki {

std::string SerialHex(const ASN1_INTEGER* serial) {
  if (serial == nullptr) {
    return {};
  }
  // OpenSSL keeps the magnitude in the string's bytes and the sign in its type.
  const unsigned char* data = ASN1_STRING_get0_data(serial);
  auto size = static_cast<std::size_t>(ASN1_STRING_length(serial));
  while (size > 0 && *data == 0) {
    ++data;
    --size;
  }
  if (size == 0) {
    return "00";
  }
  std::string hex = HexEncode(std::span(data, size));
  return ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? "-" + hex : hex;
}

Result<OpenSslPtr<ASN1_INTEGER>> SerialFromHex(std::string_view hex) {
  if (hex.empty() || hex.size() > 40) {
    return MakeError(ErrorCode::kInvalidArgument, "serial must have 1 to 40 hex digits");
  }
  std::string even(hex.size() % 2, '0');
  even += hex;
  const auto bytes = HexDecode(even);
  if (!bytes) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "serial \"" + std::string(hex) + "\" is not hexadecimal");
  }
  OpenSslPtr<BIGNUM> bn(BN_bin2bn(bytes->data(), static_cast<int>(bytes->size()), nullptr));
  OpenSslPtr<ASN1_INTEGER> serial(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  if (!serial) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "serial"));
  }
  return serial;
}

Result<OpenSslPtr<ASN1_INTEGER>> RandomSerial() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kUnavailable, "random serial"));
  }
  bytes[0] &= 0x7f;  // Positive.
  bytes[0] |= 0x40;  // Never shorter than 16 octets.
  OpenSslPtr<ASN1_INTEGER> serial(ASN1_INTEGER_new());
  if (!serial || ASN1_STRING_set(serial.get(), bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return tl::unexpected(PkiOpenSslError(ErrorCode::kResourceExhausted, "random serial"));
  }
  return serial;
}

}  // namespace vigil::pki
