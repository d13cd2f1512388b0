#pragma once

// Internal to pki: building and reading subjectAltName entries (RFC 5280 section 4.2.1.6).
//
// Errors: kInvalidArgument naming the entry at fault ("invalid dns name \"a,b\""). Thread
// safety: no shared state.

#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "pki/openssl_error.h"

namespace vigil::pki {

// A device certificate's identity: SAN URI urn:vigil:device:<id>, <id> 32 lowercase hex digits.
inline constexpr std::string_view kDeviceUriPrefix = "urn:vigil:device:";
// A sensor certificate's identity: SAN URI urn:vigil:sensor:<id>, the id of its device record.
inline constexpr std::string_view kSensorUriPrefix = "urn:vigil:sensor:";
bool IsDeviceId(std::string_view id);

// Letters, digits, '-', '.' and '*' (for a wildcard label), 1 to 253 characters.
bool IsValidDnsName(std::string_view name);

// dNSName entries for `dns_names` then iPAddress entries for `ip_addresses` (text, v4 or v6).
Result<OpenSslPtr<GENERAL_NAMES>> MakeSubjectAltNames(std::span<const std::string> dns_names,
                                                      std::span<const std::string> ip_addresses);

// Appends a uniformResourceIdentifier entry.
Status AddUriName(GENERAL_NAMES* names, std::string_view uri);

// The first uniformResourceIdentifier entry of `cert` starting with `prefix`, without the
// prefix; empty when there is none.
std::string FindUriName(const X509* cert, std::string_view prefix);

}  // namespace vigil::pki
