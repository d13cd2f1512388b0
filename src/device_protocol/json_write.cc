#include "device_protocol/json_write.h"

#include <charconv>
#include <cmath>

#include "core/time_format.h"

namespace vigil::device_protocol::internal {
namespace {

bool InRange(unsigned char c, unsigned char low, unsigned char high) {
  return c >= low && c <= high;
}

// Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629 section 4), 0 if none.
std::size_t Utf8SequenceLength(std::string_view s) {
  const auto at = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = at(0);
  if (InRange(lead, 0xc2, 0xdf)) {
    return s.size() >= 2 && InRange(at(1), 0x80, 0xbf) ? 2 : 0;
  }
  if (InRange(lead, 0xe0, 0xef)) {
    if (s.size() < 3 || !InRange(at(2), 0x80, 0xbf)) return 0;
    const unsigned char low = lead == 0xe0 ? 0xa0 : 0x80;   // No overlong forms.
    const unsigned char high = lead == 0xed ? 0x9f : 0xbf;  // No surrogates.
    return InRange(at(1), low, high) ? 3 : 0;
  }
  if (InRange(lead, 0xf0, 0xf4)) {
    if (s.size() < 4 || !InRange(at(2), 0x80, 0xbf) || !InRange(at(3), 0x80, 0xbf)) return 0;
    const unsigned char low = lead == 0xf0 ? 0x90 : 0x80;   // No overlong forms.
    const unsigned char high = lead == 0xf4 ? 0x8f : 0xbf;  // Nothing above U+10FFFF.
    return InRange(at(1), low, high) ? 4 : 0;
  }
  return 0;
}

bool IsPlainAscii(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

void AppendEscapedAscii(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      out.append(escaped, sizeof(escaped));
    }
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    if (IsPlainAscii(text[i])) {
      std::size_t end = i + 1;
      while (end < text.size() && IsPlainAscii(text[end])) ++end;
      out.append(text.data() + i, end - i);
      i = end;
      continue;
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      AppendEscapedAscii(out, c);
      ++i;
      continue;
    }
    const std::size_t length = Utf8SequenceLength(text.substr(i));
    if (length == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD for each byte that starts no valid sequence.
      ++i;
    } else {
      out.append(text.data() + i, length);
      i += length;
    }
  }
  out.push_back('"');
}

std::string FormatTime(std::int64_t unix_nanos) {
  std::int64_t fraction = unix_nanos % 1'000'000'000;
  if (fraction < 0) fraction += 1'000'000'000;
  const int digits = fraction == 0               ? 0
                     : fraction % 1'000'000 == 0 ? 3
                     : fraction % 1'000 == 0     ? 6
                                                 : 9;
  return FormatRfc3339(unix_nanos, digits);
}

void JsonWriter::Separate() {
  if (!first_) out_.push_back(',');
  first_ = false;
}

JsonWriter& JsonWriter::BeginObject() {
  Separate();
  out_.push_back('{');
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_.push_back('}');
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  Separate();
  out_.push_back('[');
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_.push_back(']');
  first_ = false;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  Separate();
  AppendJsonString(out_, key);
  out_.push_back(':');
  first_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view text) {
  Separate();
  AppendJsonString(out_, text);
  return *this;
}

JsonWriter& JsonWriter::Int(std::int64_t value) {
  Separate();
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof(buffer), value).ptr;
  out_.append(buffer, end);
  return *this;
}

JsonWriter& JsonWriter::Number(double value) {
  if (!std::isfinite(value)) return Null();
  Separate();
  char buffer[32];
  const auto end = std::to_chars(buffer, buffer + sizeof(buffer), value).ptr;
  out_.append(buffer, end);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  Separate();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_ += "null";
  return *this;
}

}  // namespace vigil::device_protocol::internal
