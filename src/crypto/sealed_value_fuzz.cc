// libFuzzer target for the sealed-value parser and the AEAD open path behind it: any bytes must
// parse or fail cleanly, the parsed views must tile the input exactly, and opening under a
// fixed key must never read or write outside its buffers.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/check.h"
#include "crypto/aead.h"
#include "crypto/sealed_value.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::crypto;
  const std::span<const std::uint8_t> input(data, size);
  const auto parsed = ParseSealedHeader(input);
  if (!parsed) return 0;

  VIGIL_CHECK(parsed->header.data() == data && parsed->header.size() == kSealedHeaderSize,
              "header view");
  VIGIL_CHECK(
      parsed->nonce.data() == data + kSealedHeaderSize && parsed->nonce.size() == kSealedNonceSize,
      "nonce view");
  VIGIL_CHECK(parsed->ciphertext_and_tag.data() == parsed->nonce.data() + kSealedNonceSize &&
                  parsed->ciphertext_and_tag.size() == size - kSealedHeaderSize - kSealedNonceSize,
              "body view");
  VIGIL_CHECK(parsed->ciphertext_and_tag.size() >= kSealedTagSize, "body holds a tag");
  VIGIL_CHECK(
      EncodeSealedHeader(parsed->version) == (std::array<std::uint8_t, kSealedHeaderSize>{
                                                 data[0], data[1], data[2], data[3], data[4]}),
      "header round trip");

  // The seeds include values sealed under this key with the header as associated data.
  static const std::vector<std::uint8_t> kKey(kAes256GcmKeySize, 0x5e);
  static auto aead = Aes256Gcm::Create(kKey);
  VIGIL_CHECK(aead.has_value(), "fixed fuzz key");
  std::vector<std::uint8_t> out(parsed->ciphertext_and_tag.size() - kSealedTagSize);
  (void)aead->Open(parsed->nonce, parsed->ciphertext_and_tag, parsed->header, out);
  return 0;
}
