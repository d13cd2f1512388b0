#include "sensor/dissect/ssdp/message.h"

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::ssdp {
namespace {

constexpr std::string_view kNotifyLine = "NOTIFY * HTTP/1.1";
constexpr std::string_view kSearchLine = "M-SEARCH * HTTP/1.1";
constexpr std::string_view kResponsePrefix = "HTTP/1.1 200";

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// The next line of `text` (without CR LF), advancing `text` past it.
std::string_view NextLine(std::string_view& text) {
  const auto end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsResponseLine(std::string_view line) {
  return StartsWithIgnoreCase(line, kResponsePrefix) &&
         (line.size() == kResponsePrefix.size() || line[kResponsePrefix.size()] == ' ');
}

}  // namespace

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kNotify:
      return "notify";
    case Kind::kSearch:
      return "m-search";
    case Kind::kResponse:
      return "response";
  }
  return "unknown";
}

std::string_view ParseErrorName(ParseError error) {
  switch (error) {
    case ParseError::kNotSsdp:
      return "not_ssdp";
  }
  return "unknown";
}

tl::expected<Message, ParseError> ParseSsdp(std::span<const std::uint8_t> payload) {
  std::string_view text = AsText(payload);
  const std::string_view start = NextLine(text);
  Message message;
  if (EqualsIgnoreCase(Trim(start), kNotifyLine)) {
    message.kind = Kind::kNotify;
  } else if (EqualsIgnoreCase(Trim(start), kSearchLine)) {
    message.kind = Kind::kSearch;
  } else if (IsResponseLine(start)) {
    message.kind = Kind::kResponse;
  } else {
    return tl::unexpected(ParseError::kNotSsdp);
  }
  for (std::size_t i = 0; i < kMaxHeaderLines && !text.empty(); ++i) {
    const std::string_view line = NextLine(text);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = Trim(line.substr(0, colon));
    const std::string_view value = Trim(line.substr(colon + 1));
    struct Field {
      std::string_view name;
      std::string_view* target;
    };
    const Field fields[] = {{"server", &message.server},    {"user-agent", &message.user_agent},
                            {"usn", &message.usn},          {"nt", &message.nt},
                            {"nts", &message.nts},          {"st", &message.st},
                            {"location", &message.location}};
    for (const auto& field : fields) {
      if (field.target->empty() && EqualsIgnoreCase(name, field.name)) *field.target = value;
    }
  }
  if (message.kind == Kind::kResponse && message.st.empty() && message.usn.empty()) {
    return tl::unexpected(ParseError::kNotSsdp);
  }
  return message;
}

bool LooksLikeSsdp(std::span<const std::uint8_t> payload) {
  const std::string_view text = AsText(payload);
  if (StartsWithIgnoreCase(text, kNotifyLine) || StartsWithIgnoreCase(text, kSearchLine)) {
    return true;
  }
  if (!StartsWithIgnoreCase(text, kResponsePrefix)) return false;
  const std::string_view head = text.substr(0, kProbeBytes);
  for (std::size_t at = head.find('\n'); at != std::string_view::npos;
       at = head.find('\n', at + 1)) {
    const std::string_view rest = head.substr(at + 1);
    if (StartsWithIgnoreCase(rest, "st:") || StartsWithIgnoreCase(rest, "usn:")) return true;
  }
  return false;
}

std::string_view DeviceType(std::string_view value) {
  const auto urn = value.find("urn:");
  if (urn == std::string_view::npos) return {};
  const std::string_view type = value.substr(urn);
  if (type.find(":device:") == std::string_view::npos) return {};
  return type;
}

}  // namespace vigil::sensor::ssdp
