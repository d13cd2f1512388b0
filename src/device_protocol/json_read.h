#pragma once

// Internal to device_protocol: reading a body with simdjson's DOM parser and turning every
// failure into the protocol's error message ("telemetry: points[2].value: expected a finite
// number").
//
// Why DOM rather than On Demand: On Demand validates only what it visits, so a malformed value
// under an unknown (skipped) field could pass, and it does not see repeated keys. The DOM
// parser validates the whole document in one pass; for bodies of a few kilobytes the tape costs
// little.
//
// Thread safety: each thread has one parser; a ParserLease marks it busy (a nested lease on the
// same thread is a bug and aborts). Elements are valid while their lease lives.

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::device_protocol::internal {

inline constexpr std::size_t kMaxDepth = 16;
inline constexpr std::size_t kMaxBodyBytes = std::size_t{8} << 20;
// The times ReadTime accepts, in seconds: 1678-01-01T00:00:00Z to 2261-12-31T23:59:59Z.
inline constexpr std::int64_t kMinTimeSeconds = -9'214'560'000;
inline constexpr std::int64_t kMaxTimeSeconds = 9'214'646'399;

// Where a value sits in a body: a chain of Path values on the stack, so nothing is allocated
// until an error is rendered. A Path must not outlive the Path it was made from (do not chain
// Field() on a temporary and keep the result).
class Path {
 public:
  explicit Path(std::string_view message_kind) : name_(message_kind) {}
  Path Field(std::string_view name) const { return Path(this, name, kNoIndex); }
  Path Index(std::size_t index) const { return Path(this, {}, index); }

  // "telemetry: points[2].value", or "telemetry" for the root.
  std::string ToString() const;
  // kInvalidArgument "<path>: <reason>".
  tl::unexpected<Error> Fail(std::string_view reason) const;

 private:
  static constexpr std::size_t kNoIndex = static_cast<std::size_t>(-1);
  Path(const Path* parent, std::string_view name, std::size_t index)
      : parent_(parent), name_(name), index_(index) {}

  const Path* parent_ = nullptr;
  std::string_view name_;
  std::size_t index_ = kNoIndex;
};

// The calling thread's parser, held for one body.
class ParserLease {
 public:
  ParserLease();
  ~ParserLease();  // Releases the parser's memory beyond 1 MiB.
  ParserLease(const ParserLease&) = delete;
  ParserLease& operator=(const ParserLease&) = delete;

  // Parses `json` (copied into the parser's reused padded buffer). Errors name `root`:
  // "heartbeat: not valid json: ...", "heartbeat: nested deeper than 16 levels".
  Result<simdjson::dom::element> Parse(std::string_view json, const Path& root);
};

enum class Need { kOptional, kRequired };

enum class Chars {
  kAny,         // Any text (valid UTF-8, checked by the parser).
  kLine,        // No control characters (U+0000..U+001F, U+007F).
  kMetricName,  // A-Z a-z 0-9 _ . : / -
};

struct TextRule {
  std::size_t min_bytes = 0;
  std::size_t max_bytes = 0;
  Chars chars = Chars::kAny;
};

// One JSON object, checked to have no repeated keys. The readers leave `out` unchanged when an
// optional field is absent; a present field of the wrong type or out of range is an error.
class ObjectReader {
 public:
  static Result<ObjectReader> Make(simdjson::dom::element value, const Path& path);

  const Path& path() const { return *path_; }
  simdjson::dom::object object() const { return object_; }

  Status String(std::string_view name, Need need, TextRule rule, std::string& out) const;
  Status Int(std::string_view name, Need need, std::int64_t min, std::int64_t max,
             std::int64_t& out) const;
  Status Number(std::string_view name, Need need, double& out) const;  // Finite.
  Status Bool(std::string_view name, Need need, bool& out) const;
  Status Time(std::string_view name, Need need, std::int64_t& unix_nanos) const;
  // A required array of at most `max_items` ("points: more than 1000 points").
  Result<simdjson::dom::array> Array(std::string_view name, std::size_t max_items,
                                     std::string_view noun) const;
  // The field's value, or an empty result for an absent optional field.
  Result<std::optional<simdjson::dom::element>> Find(std::string_view name, Need need) const;

 private:
  ObjectReader(simdjson::dom::object object, const Path& path) : object_(object), path_(&path) {}

  simdjson::dom::object object_;
  const Path* path_;
};

// Parses `json` with `lease` and checks that it is an object: every parser's first step.
Result<ObjectReader> ParseObject(ParserLease& lease, std::string_view json, const Path& root);

// `text` in double quotes for an error message: at most 40 bytes, printable ASCII (others become
// '?'), so a hostile key cannot put control characters into a log line.
std::string Quoted(std::string_view text);

// Checks one string value against `rule`; errors name `path`.
Status CheckText(std::string_view text, const TextRule& rule, const Path& path);
// The string value of `value`, checked against `rule`.
Result<std::string_view> ReadString(simdjson::dom::element value, const TextRule& rule,
                                    const Path& path);
// An RFC 3339 string as nanoseconds since the epoch.
Result<std::int64_t> ReadTime(simdjson::dom::element value, const Path& path);

}  // namespace vigil::device_protocol::internal
