#include "sensor/dissect/ftp/message.h"

#include <algorithm>
#include <cctype>

namespace vigil::sensor::ftp {
namespace {

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), s.begin(), [](char a, char b) {
           return std::toupper(static_cast<unsigned char>(a)) ==
                  std::toupper(static_cast<unsigned char>(b));
         });
}

bool ContainsNoCase(std::string_view s, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= s.size(); ++i) {
    if (StartsWithNoCase(s.substr(i), needle)) return true;
  }
  return false;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Command ParseCommand(std::string_view line) {
  // RFC 959 section 5.3.1: the verb, then <SP> and the argument.
  if (StartsWithNoCase(line, "USER ") || StartsWithNoCase(line, "USER\t")) return Command::kUser;
  if (StartsWithNoCase(line, "PASS ") || (line.size() == 4 && StartsWithNoCase(line, "PASS"))) {
    return Command::kPass;
  }
  if (StartsWithNoCase(line, "AUTH TLS") || StartsWithNoCase(line, "AUTH SSL")) {
    return Command::kAuthTls;
  }
  return Command::kOther;
}

std::optional<Reply> ParseReply(std::string_view line) {
  if (line.size() < 4 || !IsDigit(line[0]) || !IsDigit(line[1]) || !IsDigit(line[2]) ||
      line[0] < '1' || line[0] > '5' || (line[3] != ' ' && line[3] != '-')) {
    return std::nullopt;
  }
  return Reply{.code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0'),
               .last = line[3] == ' ',
               .text = line.substr(4)};
}

bool LooksLikeFtp(std::string_view payload) {
  if (StartsWithNoCase(payload, "USER ")) return true;
  if (payload.size() < 4 || payload.substr(0, 3) != "220" ||
      (payload[3] != ' ' && payload[3] != '-')) {
    return false;
  }
  // SMTP greets with 220 too (RFC 5321 section 4.2); its banner names the protocol.
  std::string_view first_line = payload.substr(0, std::min(payload.find('\n'), payload.size()));
  return !ContainsNoCase(first_line, "SMTP");
}

}  // namespace vigil::sensor::ftp
