#pragma once

// Small text helpers shared by the identity service's files: names of the sealed secrets it
// keeps, safe renderings of untrusted text for the audit log, and times.

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::server {

// The sealed secret holding a user's confirmed TOTP key.
std::string TotpSecretName(std::string_view user_id);
// The sealed secret holding a TOTP key enrolled at the console, until a code confirms it.
std::string PendingTotpSecretName(std::string_view user_id);
// The sealed secret holding the Argon2id hash of the break-glass account's emergency code.
std::string EmergencySecretName(std::string_view user_id);

// `text` cut to `max` bytes with every byte outside printable ASCII replaced by '?', so a user
// name someone tried can go into the audit log and logs as it was, minus anything hostile.
std::string Printable(std::string_view text, std::size_t max = 128);

// RFC 3339 in UTC with seconds, or "" for 0.
std::string FormatUnix(std::int64_t unix_seconds);

}  // namespace vigil::server
