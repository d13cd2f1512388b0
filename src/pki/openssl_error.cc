#include "pki/openssl_error.h"

#include <openssl/err.h>

#include <array>
#include <string>

namespace vigil::pki {

Error PkiOpenSslError(ErrorCode code, std::string_view what) {
  std::string message(what);
  // The earliest entry is the root cause; later ones are the layers that passed it up.
  if (const unsigned long first = ERR_peek_error(); first != 0) {
    if (const char* reason = ERR_reason_error_string(first); reason != nullptr) {
      message += ": ";
      message += reason;
    } else {
      std::array<char, 256> buffer{};
      ERR_error_string_n(first, buffer.data(), buffer.size());
      message += ": ";
      message += buffer.data();
    }
  }
  ERR_clear_error();
  return Error{code, std::move(message)};
}

void ClearOpenSslErrors() { ERR_clear_error(); }

}  // namespace vigil::pki
