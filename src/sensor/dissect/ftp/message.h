#pragma once

// FTP control connection lines (RFC 959 section 4, AUTH TLS RFC 4217): a client command is a
// verb of 3-4 letters (any case) and an argument; a server reply starts with a 3-digit code,
// then a space (last line) or a hyphen (a multi-line reply continues). The parsers take one
// line without its CR LF, never copy and never read outside it.
//
// Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <string_view>

namespace vigil::sensor::ftp {

enum class Command : std::uint8_t { kOther, kUser, kPass, kAuthTls };

// The command of a client line: USER, PASS, AUTH TLS / AUTH SSL (RFC 4217 section 6), other.
// The argument of USER and PASS is never returned.
Command ParseCommand(std::string_view line);

struct Reply {
  int code = 0;           // 100..599.
  bool last = true;       // "220 " ends the reply; "220-" continues it.
  std::string_view text;  // After the code and separator.
};

// A server reply line, or nullopt if the line does not start with a 3-digit code and a space or
// hyphen (a continuation line of a multi-line reply, say).
std::optional<Reply> ParseReply(std::string_view line);

// True if `payload` starts like an FTP greeting ("220 " or "220-", not an SMTP banner) or a
// USER command: the signature the dissector's probe uses.
bool LooksLikeFtp(std::string_view payload);

}  // namespace vigil::sensor::ftp
