#include "crypto/openssl_error.h"

#include <openssl/err.h>

#include <string>

namespace vigil::crypto {

Error OpenSslError(ErrorCode code, std::string_view what) {
  std::string message(what);
  if (const unsigned long first = ERR_get_error(); first != 0) {
    if (const char* reason = ERR_reason_error_string(first); reason != nullptr) {
      message += ": ";
      message += reason;
    }
  }
  ERR_clear_error();
  return Error{code, std::move(message)};
}

void ClearOpenSslErrors() { ERR_clear_error(); }

}  // namespace vigil::crypto
