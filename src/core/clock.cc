#include "core/clock.h"

namespace vigil {

std::int64_t ToUnixNanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TimePoint FromUnixNanos(std::int64_t nanos) {
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds(nanos)));
}

std::int64_t Clock::NowUnixSeconds() const {
  return std::chrono::duration_cast<std::chrono::seconds>(Now().time_since_epoch()).count();
}

std::int64_t Clock::NowUnixNanos() const { return ToUnixNanos(Now()); }

TimePoint FakeClock::Now() const { return FromUnixNanos(nanos_.load()); }

std::int64_t FakeClock::ToNanos(TimePoint t) { return ToUnixNanos(t); }

}  // namespace vigil
