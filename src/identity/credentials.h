#pragma once

// Credential texts Vigil hands out: one-time passwords for new or reset accounts, recovery
// codes, break-glass emergency codes and API tokens; and the rules for user names.
//
// Codes meant to be typed use 32 unambiguous characters (no 0/o, 1/l) in groups of four or five
// joined by '-'; NormalizeCode undoes the grouping and case so "ABCD-efgh" and "abcdefgh" match.
//
// Thread safety: all functions may be called concurrently. Errors: kInternal if the random
// generator fails; kInvalidArgument from CheckUsername with the rule broken.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace vigil::identity {

// 20 characters in groups of five: about 100 bits. Must be changed at first use.
Result<std::string> NewOneTimePassword();
// `count` codes of 12 characters in groups of four: 60 bits each.
Result<std::vector<std::string>> NewRecoveryCodes(std::size_t count = 10);
// 30 characters in groups of five: 150 bits, for a sealed envelope.
Result<std::string> NewEmergencyCode();
// "vgl_" and 64 hex digits: 256 bits.
Result<std::string> NewApiToken();
bool LooksLikeApiToken(std::string_view text);

// Lowercase, without '-' and spaces.
std::string NormalizeCode(std::string_view code);

// Lowercase and trimmed. Names are compared after this.
std::string NormalizeUsername(std::string_view username);
// 1 to 64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit.
Status CheckUsername(std::string_view normalized);

}  // namespace vigil::identity
