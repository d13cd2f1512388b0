#include "device_protocol/json_read.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <vector>

#include "core/check.h"
#include "core/time_format.h"

namespace vigil::device_protocol::internal {
namespace {

namespace dom = simdjson::dom;

constexpr std::size_t kInitialCapacity = 4096;
constexpr std::size_t kKeptCapacity = std::size_t{1} << 20;

struct ThreadParser {
  dom::parser parser{kMaxBodyBytes};
  bool busy = false;
};

ThreadParser& Mine() {
  thread_local ThreadParser mine;
  return mine;
}

std::string_view DescribeParseError(simdjson::error_code code) {
  switch (code) {
    case simdjson::DEPTH_ERROR:
      return "nested deeper than 16 levels";
    case simdjson::UTF8_ERROR:
      return "not valid json: invalid utf-8";
    case simdjson::STRING_ERROR:
    case simdjson::UNCLOSED_STRING:
      return "not valid json: malformed string";
    case simdjson::UNESCAPED_CHARS:
      return "not valid json: unescaped control character in a string";
    case simdjson::NUMBER_ERROR:
    case simdjson::NUMBER_OUT_OF_RANGE:
      return "not valid json: malformed or out-of-range number";
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      return "not valid json: malformed literal";
    case simdjson::EMPTY:
      return "empty body";
    default:
      return "not valid json";
  }
}

// Objects in this protocol are small: pairwise below 16 keys, sorting above.
Status CheckUniqueKeys(dom::object object, const Path& path) {
  std::array<std::string_view, 16> few;
  std::size_t count = 0;
  std::vector<std::string_view> many;
  for (const dom::key_value_pair field : object) {
    if (count < few.size()) {
      for (std::size_t i = 0; i < count; ++i) {
        if (few[i] == field.key) {
          return path.Fail("field " + Quoted(field.key) + " appears twice");
        }
      }
      few[count++] = field.key;
    } else {
      many.push_back(field.key);
    }
  }
  if (many.empty()) return OkStatus();
  many.insert(many.end(), few.begin(), few.end());
  std::sort(many.begin(), many.end());
  const auto twice = std::adjacent_find(many.begin(), many.end());
  if (twice != many.end()) return path.Fail("field " + Quoted(*twice) + " appears twice");
  return OkStatus();
}

// Character classes as 256-entry tables: these checks run on every name and time of a body.
using CharTable = std::array<bool, 256>;

constexpr CharTable MakeTable(std::string_view extra) {
  CharTable table{};
  for (char c = '0'; c <= '9'; ++c) table[static_cast<unsigned char>(c)] = true;
  for (const char c : extra) table[static_cast<unsigned char>(c)] = true;
  return table;
}

constexpr CharTable kMetricNameChars =
    MakeTable("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.:/-");
constexpr CharTable kTimeChars = MakeTable("TtZz:.+- ");

bool AllIn(std::string_view text, const CharTable& table) {
  for (const char c : text) {
    if (!table[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

}  // namespace

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text.substr(0, 40)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (text.size() > 40) out += "...";
  return out + "\"";
}

std::string Path::ToString() const {
  std::vector<const Path*> chain;
  const Path* root = this;
  for (; root->parent_ != nullptr; root = root->parent_) chain.push_back(root);
  std::string out(root->name_);
  if (chain.empty()) return out;
  out += ": ";
  bool first = true;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    if ((*it)->index_ != kNoIndex) {
      out += "[" + std::to_string((*it)->index_) + "]";
    } else {
      if (!first) out += '.';
      out += (*it)->name_;
    }
    first = false;
  }
  return out;
}

tl::unexpected<Error> Path::Fail(std::string_view reason) const {
  return MakeError(ErrorCode::kInvalidArgument, ToString() + ": " + std::string(reason));
}

ParserLease::ParserLease() {
  VIGIL_CHECK(!Mine().busy, "device_protocol: a body parsed while another is being read");
  Mine().busy = true;
}

ParserLease::~ParserLease() {
  ThreadParser& mine = Mine();
  // One large body should not pin its buffers to the thread for good.
  if (mine.parser.capacity() > kKeptCapacity) mine.parser = dom::parser(kMaxBodyBytes);
  mine.busy = false;
}

Result<dom::element> ParserLease::Parse(std::string_view json, const Path& root) {
  if (json.empty()) return root.Fail("empty body");
  if (json.size() > kMaxBodyBytes) return root.Fail("body larger than 8 MiB");
  dom::parser& parser = Mine().parser;
  // Every allocation names the depth limit: one grown by simdjson itself would keep the
  // parser's, but a fresh parser's is simdjson's default (1024).
  if (parser.capacity() < json.size() || parser.capacity() == 0) {
    const std::size_t wanted =
        std::min(std::max(std::bit_ceil(json.size()), kInitialCapacity), kMaxBodyBytes);
    if (parser.allocate(wanted, kMaxDepth) != simdjson::SUCCESS) {
      return MakeError(ErrorCode::kResourceExhausted, root.ToString() + ": out of memory");
    }
  }
  // realloc_if_needed: simdjson copies the body into its own padded buffer, reused across calls.
  dom::element element;
  const simdjson::error_code code =
      parser.parse(json.data(), json.size(), /*realloc_if_needed=*/true).get(element);
  if (code == simdjson::MEMALLOC) {
    return MakeError(ErrorCode::kResourceExhausted, root.ToString() + ": out of memory");
  }
  if (code != simdjson::SUCCESS) return root.Fail(DescribeParseError(code));
  return element;
}

Result<ObjectReader> ObjectReader::Make(dom::element value, const Path& path) {
  dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return path.Fail("expected an object");
  VIGIL_RETURN_IF_ERROR(CheckUniqueKeys(object, path));
  return ObjectReader(object, path);
}

Result<std::optional<dom::element>> ObjectReader::Find(std::string_view name, Need need) const {
  dom::element value;
  if (object_.at_key(name).get(value) != simdjson::SUCCESS) {
    if (need == Need::kRequired) return path_->Field(name).Fail("missing");
    return std::nullopt;
  }
  return value;
}

Status ObjectReader::String(std::string_view name, Need need, TextRule rule,
                            std::string& out) const {
  const auto value = Find(name, need);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return OkStatus();
  const auto text = ReadString(**value, rule, path_->Field(name));
  if (!text) return tl::unexpected(text.error());
  out.assign(*text);
  return OkStatus();
}

Status ObjectReader::Int(std::string_view name, Need need, std::int64_t min, std::int64_t max,
                         std::int64_t& out) const {
  const auto value = Find(name, need);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return OkStatus();
  const Path where = path_->Field(name);
  const auto out_of_range = [&] {
    return where.Fail(max == std::numeric_limits<std::int64_t>::max()
                          ? "must be at least " + std::to_string(min)
                          : "must be between " + std::to_string(min) + " and " +
                                std::to_string(max));
  };
  if ((*value)->is_uint64() && !(*value)->is_int64()) return out_of_range();
  std::int64_t number = 0;
  if ((*value)->get_int64().get(number) != simdjson::SUCCESS) {
    return where.Fail("expected an integer");
  }
  if (number < min || number > max) return out_of_range();
  out = number;
  return OkStatus();
}

Status ObjectReader::Number(std::string_view name, Need need, double& out) const {
  const auto value = Find(name, need);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return OkStatus();
  double number = 0;
  if ((*value)->get_double().get(number) != simdjson::SUCCESS || !std::isfinite(number)) {
    return path_->Field(name).Fail("expected a finite number");
  }
  out = number;
  return OkStatus();
}

Status ObjectReader::Bool(std::string_view name, Need need, bool& out) const {
  const auto value = Find(name, need);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return OkStatus();
  if ((*value)->get_bool().get(out) != simdjson::SUCCESS) {
    return path_->Field(name).Fail("expected true or false");
  }
  return OkStatus();
}

Status ObjectReader::Time(std::string_view name, Need need, std::int64_t& unix_nanos) const {
  const auto value = Find(name, need);
  if (!value) return tl::unexpected(value.error());
  if (!*value) return OkStatus();
  const auto time = ReadTime(**value, path_->Field(name));
  if (!time) return tl::unexpected(time.error());
  unix_nanos = *time;
  return OkStatus();
}

Result<dom::array> ObjectReader::Array(std::string_view name, std::size_t max_items,
                                       std::string_view noun) const {
  const auto value = Find(name, Need::kRequired);
  if (!value) return tl::unexpected(value.error());
  dom::array array;
  if ((*value)->get_array().get(array) != simdjson::SUCCESS) {
    return path_->Field(name).Fail("expected an array");
  }
  // simdjson saturates size() at 2^24 - 1, still above any limit of ours.
  if (array.size() > max_items) {
    return path_->Field(name).Fail("more than " + std::to_string(max_items) + " " +
                                   std::string(noun));
  }
  return array;
}

Result<ObjectReader> ParseObject(ParserLease& lease, std::string_view json, const Path& root) {
  const auto parsed = lease.Parse(json, root);
  if (!parsed) return tl::unexpected(parsed.error());
  return ObjectReader::Make(*parsed, root);
}

Status CheckText(std::string_view text, const TextRule& rule, const Path& path) {
  if (rule.chars == Chars::kMetricName) {
    if (text.size() < rule.min_bytes || text.size() > rule.max_bytes ||
        !AllIn(text, kMetricNameChars)) {
      return path.Fail("expected " + std::to_string(rule.min_bytes) + " to " +
                       std::to_string(rule.max_bytes) + " characters of A-Z a-z 0-9 _ . : / -");
    }
    return OkStatus();
  }
  if (text.size() > rule.max_bytes) {
    return path.Fail("longer than " + std::to_string(rule.max_bytes) + " bytes");
  }
  if (text.size() < rule.min_bytes) return path.Fail("must not be empty");
  if (rule.chars == Chars::kLine && std::any_of(text.begin(), text.end(), [](char c) {
        return c >= 0 && (c < 0x20 || c == 0x7f);
      })) {
    return path.Fail("control characters are not allowed");
  }
  return OkStatus();
}

Result<std::string_view> ReadString(dom::element value, const TextRule& rule, const Path& path) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return path.Fail("expected a string");
  VIGIL_RETURN_IF_ERROR(CheckText(text, rule, path));
  return text;
}

Result<std::int64_t> ReadTime(dom::element value, const Path& path) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS || text.size() > 40 ||
      !AllIn(text, kTimeChars)) {
    return path.Fail("expected an rfc 3339 time string");
  }
  // Nanoseconds in an int64 span 1677-09-21 to 2262-04-11; core's parser does not check.
  if (text.size() >= 4 &&
      std::all_of(text.begin(), text.begin() + 4, [](char c) { return c >= '0' && c <= '9'; })) {
    const int year =
        (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
    if (year < 1678 || year > 2261) return path.Fail("year outside 1678 to 2261");
  }
  auto nanos = ParseRfc3339(text);
  if (!nanos) return path.Fail(nanos.error().message);
  // An offset can carry a time across the edge; keep to what writes back in range.
  constexpr std::int64_t kNanos = 1'000'000'000;
  if (*nanos < kMinTimeSeconds * kNanos || *nanos >= (kMaxTimeSeconds + 1) * kNanos) {
    return path.Fail("year outside 1678 to 2261");
  }
  return *nanos;
}

}  // namespace vigil::device_protocol::internal
