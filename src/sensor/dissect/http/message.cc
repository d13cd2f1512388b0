#include "sensor/dissect/http/message.h"

#include <algorithm>
#include <array>

namespace vigil::sensor::http {
namespace {

std::string_view Text(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

// RFC 9110 section 5.6.3: optional whitespace is SP and HTAB.
std::string_view TrimSpace(std::string_view s) {
  const std::size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool IsVersion(std::string_view v) {
  return v.size() == 8 && v.substr(0, 7) == "HTTP/1." && v[7] >= '0' && v[7] <= '9';
}

std::optional<std::uint64_t> Decimal(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

bool ParseStartLine(std::string_view line, Head& head) {
  const std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos) return false;
  const std::string_view first = line.substr(0, sp1);
  const std::string_view rest = line.substr(sp1 + 1);
  if (IsVersion(first)) {  // status-line = HTTP-version SP status-code SP [ reason-phrase ]
    const std::string_view code = rest.substr(0, 3);
    const auto status = Decimal(code);
    if (code.size() != 3 || !status) return false;
    head.request = false;
    head.version = first;
    head.status = static_cast<int>(*status);
    return true;
  }
  // request-line = method SP request-target SP HTTP-version
  const std::size_t sp2 = rest.rfind(' ');
  if (!IsKnownMethod(first) || sp2 == std::string_view::npos) return false;
  if (!IsVersion(rest.substr(sp2 + 1))) return false;
  head.request = true;
  head.method = first;
  head.target = rest.substr(0, sp2);
  head.version = rest.substr(sp2 + 1);
  return true;
}

void ParseField(std::string_view line, Head& head) {
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = TrimSpace(line.substr(colon + 1));
  if (EqualsIgnoreCase(name, "host")) {
    head.host = value;
  } else if (EqualsIgnoreCase(name, "user-agent")) {
    head.user_agent = value;
  } else if (EqualsIgnoreCase(name, "server")) {
    head.server = value;
  } else if (EqualsIgnoreCase(name, "authorization") ||
             EqualsIgnoreCase(name, "proxy-authorization")) {
    head.authorization_scheme = value.substr(0, value.find(' '));
  } else if (EqualsIgnoreCase(name, "content-length")) {
    head.content_length = Decimal(value);
  } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
    head.chunked = value.size() >= 7 && EqualsIgnoreCase(value.substr(value.size() - 7), "chunked");
  }
}

}  // namespace

constexpr std::array<std::string_view, 15> kMethods = {
    "GET",   "POST",     "PUT",       "HEAD",  "DELETE", "OPTIONS", "PATCH", "CONNECT",
    "TRACE", "PROPFIND", "PROPPATCH", "MKCOL", "COPY",   "MOVE",    "REPORT"};

bool IsKnownMethod(std::string_view method) {
  return std::find(kMethods.begin(), kMethods.end(), method) != kMethods.end();
}

namespace {

// Whether `text` (the start of a head, leading empty lines skipped) can still become a start
// line: its first word, as far as it has arrived, is a known method or "HTTP/1.x", or the start
// of one. Anything else is refused at once instead of being waited on up to kMaxHeadBytes (the
// opaque bytes that often follow a head on port 80 would otherwise be buffered to that limit).
bool CouldStartHead(std::string_view text) {
  const std::size_t space = text.find(' ');
  if (space != std::string_view::npos) {
    const std::string_view word = text.substr(0, space);
    return IsKnownMethod(word) || IsVersion(word);
  }
  const auto starts = [&](std::string_view whole) { return whole.substr(0, text.size()) == text; };
  if (text.size() > 9) return false;  // Longer than any method and "HTTP/1.x", with no space.
  if (starts("HTTP/1.") || (text.size() == 8 && IsVersion(text))) return true;
  return std::any_of(kMethods.begin(), kMethods.end(), starts);
}

}  // namespace

ParseStatus ParseHead(std::span<const std::uint8_t> bytes, Head& head, std::size_t& scanned) {
  std::string_view text = Text(bytes.first(std::min(bytes.size(), kMaxHeadBytes)));
  // RFC 9112 section 2.2: empty lines before the request-line are ignored.
  std::size_t start = 0;
  while (start < text.size() && (text[start] == '\r' || text[start] == '\n')) ++start;
  if (!CouldStartHead(text.substr(start, 16))) return ParseStatus::kInvalid;
  // The head ends at an empty line: LF LF, with or without CRs.
  std::size_t end = std::string_view::npos;
  for (std::size_t i = std::max(start, scanned > 3 ? scanned - 3 : 0); i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    std::size_t j = i + 1;
    if (j < text.size() && text[j] == '\r') ++j;
    if (j < text.size() && text[j] == '\n') {
      end = j + 1;
      break;
    }
  }
  if (end == std::string_view::npos) {
    scanned = text.size();
    return bytes.size() >= kMaxHeadBytes ? ParseStatus::kInvalid : ParseStatus::kIncomplete;
  }
  scanned = 0;
  head = Head{.size = end};
  std::string_view lines = text.substr(start, end - start);
  bool first = true;
  while (!lines.empty()) {
    const std::size_t nl = lines.find('\n');
    std::string_view line = lines.substr(0, nl);
    lines = nl == std::string_view::npos ? std::string_view() : lines.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (first) {
      if (!ParseStartLine(line, head)) return ParseStatus::kInvalid;
      first = false;
    } else if (!line.empty() && line[0] != ' ' && line[0] != '\t') {
      ParseField(line, head);
    }
  }
  return ParseStatus::kOk;
}

std::optional<ChunkLine> ParseChunkLine(std::span<const std::uint8_t> bytes, bool& incomplete) {
  const std::string_view text = Text(bytes.first(std::min<std::size_t>(bytes.size(), 1024)));
  const std::size_t nl = text.find('\n');
  incomplete = nl == std::string_view::npos && bytes.size() < 1024;
  if (nl == std::string_view::npos) return std::nullopt;
  ChunkLine chunk{.line_bytes = nl + 1};
  std::size_t digits = 0;
  for (char c : text.substr(0, nl)) {
    int v;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
      v = (c | 0x20) - 'a' + 10;
    } else {
      break;  // A chunk extension (";name=value"), whitespace or the CR.
    }
    if (++digits > 15) return std::nullopt;
    chunk.size = chunk.size * 16 + static_cast<std::uint64_t>(v);
  }
  if (digits == 0) return std::nullopt;
  return chunk;
}

}  // namespace vigil::sensor::http
