#pragma once

// Internal to device_protocol: writing JSON text. Strings are escaped as RFC 8259 section 7
// asks (quote, backslash, and control characters; \b \f \n \r \t by name, others as \u00xx, as
// nlohmann/json does), other characters pass through as UTF-8, and invalid UTF-8 becomes U+FFFD.
// Numbers: integers exactly, doubles in the shortest form that reads back to the same value,
// non-finite doubles as null (JSON has no NaN).
//
// Thread safety: a writer is a plain value (thread-compatible).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::device_protocol::internal {

class JsonWriter {
 public:
  explicit JsonWriter(std::size_t reserve = 256) { out_.reserve(reserve); }

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view text);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Number(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  std::string Take() { return std::move(out_); }  // Leaves the writer empty.

 private:
  // A comma before every value or key but the first in its container; none after a key.
  void Separate();

  std::string out_;
  bool first_ = true;
};

// Appends `text` as a quoted, escaped JSON string.
void AppendJsonString(std::string& out, std::string_view text);

// RFC 3339 with as few fraction digits as the value needs (0, 3, 6 or 9): reads back exactly.
std::string FormatTime(std::int64_t unix_nanos);

}  // namespace vigil::device_protocol::internal
