#pragma once

// Clock: where Vigil's code gets the time. Domain modules never read the wall clock; they are
// handed a Clock. SystemClock reads the real one; FakeClock is set and advanced by tests.
// Both are thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace vigil {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;

  std::int64_t NowUnixSeconds() const;
  std::int64_t NowUnixNanos() const;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = TimePoint(std::chrono::seconds(1'700'000'000)))
      : nanos_(ToNanos(start)) {}

  TimePoint Now() const override;
  void Set(TimePoint t) { nanos_.store(ToNanos(t)); }
  void Advance(std::chrono::nanoseconds d) { nanos_.fetch_add(d.count()); }

 private:
  static std::int64_t ToNanos(TimePoint t);
  std::atomic<std::int64_t> nanos_;
};

// Nanoseconds since the Unix epoch for `t`, and back.
std::int64_t ToUnixNanos(TimePoint t);
TimePoint FromUnixNanos(std::int64_t nanos);

}  // namespace vigil
