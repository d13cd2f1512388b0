#include "core/time_format.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace vigil {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

Result<std::int64_t> Bad(std::string_view text, std::string_view why) {
  return MakeError(ErrorCode::kInvalidArgument,
                   "time '" + std::string(text.substr(0, 40)) + "': " + std::string(why) +
                       " (expected RFC 3339, e.g. 2026-01-31T12:00:00Z)");
}

bool ReadInt(std::string_view s, std::size_t at, std::size_t len, int& out) {
  if (at + len > s.size()) return false;
  for (std::size_t i = at; i < at + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  std::from_chars(s.data() + at, s.data() + at + len, out);
  return true;
}

}  // namespace

std::string FormatRfc3339(std::int64_t unix_nanos, int fraction_digits) {
  const std::int64_t kNanosPerSecond = 1'000'000'000;
  std::int64_t secs = unix_nanos / kNanosPerSecond;
  std::int64_t frac = unix_nanos % kNanosPerSecond;
  if (frac < 0) {
    frac += kNanosPerSecond;
    --secs;
  }
  const auto day_count = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
  const std::int64_t sod = secs - day_count * 86400;
  const year_month_day ymd{sys_days{days{day_count}}};
  // Digits by hand: this runs for every record the sensor writes, and snprintf was a tenth of
  // its time.
  std::string out;
  out.reserve(31);
  auto put = [&out](std::int64_t value, int width) {
    char digits[20];
    for (int i = width - 1; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    out.append(digits, static_cast<std::size_t>(width));
  };
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "%04d", year);
    out += buf;
  } else {
    put(year, 4);
  }
  out.push_back('-');
  put(static_cast<unsigned>(ymd.month()), 2);
  out.push_back('-');
  put(static_cast<unsigned>(ymd.day()), 2);
  out.push_back('T');
  put(sod / 3600, 2);
  out.push_back(':');
  put(sod / 60 % 60, 2);
  out.push_back(':');
  put(sod % 60, 2);
  if (fraction_digits == 3 || fraction_digits == 6 || fraction_digits == 9) {
    out.push_back('.');
    put(frac / (fraction_digits == 3 ? 1'000'000 : (fraction_digits == 6 ? 1'000 : 1)),
        fraction_digits);
  }
  out.push_back('Z');
  return out;
}

Result<std::int64_t> ParseRfc3339(std::string_view s) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (s.size() < 20) return Bad(s, "too short");
  if (!ReadInt(s, 0, 4, year) || s[4] != '-' || !ReadInt(s, 5, 2, month) || s[7] != '-' ||
      !ReadInt(s, 8, 2, day)) {
    return Bad(s, "bad date");
  }
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return Bad(s, "missing 'T'");
  if (!ReadInt(s, 11, 2, hour) || s[13] != ':' || !ReadInt(s, 14, 2, minute) || s[16] != ':' ||
      !ReadInt(s, 17, 2, second)) {
    return Bad(s, "bad time of day");
  }
  const year_month_day ymd{std::chrono::year{year},
                           std::chrono::month{static_cast<unsigned>(month)},
                           std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return Bad(s, "no such date");
  if (hour > 23 || minute > 59 || second > 60) return Bad(s, "time of day out of range");
  std::size_t at = 19;
  std::int64_t nanos = 0;
  if (at < s.size() && s[at] == '.') {
    ++at;
    int digits = 0;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
      if (digits < 9) {
        nanos = nanos * 10 + (s[at] - '0');
        ++digits;
      }
      ++at;
    }
    if (digits == 0) return Bad(s, "empty fraction");
    for (int d = digits; d < 9; ++d) nanos *= 10;
  }
  std::int64_t offset_seconds = 0;
  if (at < s.size() && (s[at] == 'Z' || s[at] == 'z')) {
    ++at;
  } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    int oh = 0, om = 0;
    if (!ReadInt(s, at + 1, 2, oh) || at + 3 >= s.size() || s[at + 3] != ':' ||
        !ReadInt(s, at + 4, 2, om) || oh > 23 || om > 59) {
      return Bad(s, "bad offset");
    }
    offset_seconds = (std::int64_t{oh} * 3600 + std::int64_t{om} * 60) * (s[at] == '+' ? 1 : -1);
    at += 6;
  } else {
    return Bad(s, "missing offset ('Z' or +hh:mm)");
  }
  if (at != s.size()) return Bad(s, "trailing characters");
  const std::int64_t day_number = sys_days{ymd}.time_since_epoch().count();
  const std::int64_t secs = day_number * 86400 + std::int64_t{hour} * 3600 +
                            std::int64_t{minute} * 60 + std::min(second, 59) - offset_seconds;
  // int64 nanoseconds reach from 1677-09-21 to 2262-04-11; refuse what would overflow.
  constexpr std::int64_t kMaxSeconds = INT64_MAX / 1'000'000'000 - 1;
  if (secs > kMaxSeconds || secs < -kMaxSeconds) {
    return Bad(s, "outside the years 1678 to 2261");
  }
  return secs * 1'000'000'000 + nanos;
}

}  // namespace vigil
