#pragma once

// The device side of enrolment (used by vigil-agent): a device makes its own key, which never
// leaves it, and a PKCS#10 request (RFC 2986) for Vigil's device CA to certify.
//
// Errors: kInvalidArgument for a key that is not an unencrypted PEM private key or a common
// name outside 1 to 64 characters; kInternal if OpenSSL fails on good input.
// Thread safety: no shared state.

#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::pki {

// A fresh ECDSA P-256 key, unencrypted PKCS#8 PEM (the caller protects it at rest).
Result<std::string> GenerateDeviceKeyPem();

// A CSR signed with `key_pem` (ECDSA-SHA256 for EC keys) with subject CN=`common_name`. The CA
// ignores the subject; it is there for humans reading the request.
Result<std::string> MakeCsrPem(std::string_view key_pem, std::string_view common_name);

}  // namespace vigil::pki
