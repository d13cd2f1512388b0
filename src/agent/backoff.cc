#include "agent/backoff.h"

#include <algorithm>

namespace vigil::agent {

Backoff::Backoff(BackoffOptions options, std::function<double()> uniform01)
    : options_(options), uniform01_(std::move(uniform01)) {}

std::chrono::milliseconds Backoff::Failure() {
  // base * 2^failures, computed without overflow: stop doubling once past the cap.
  auto ceiling = options_.base;
  for (int i = 0; i < failures_ && ceiling < options_.cap; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, options_.cap);
  ++failures_;
  const double r = std::clamp(uniform01_(), 0.0, 1.0);
  return std::chrono::milliseconds(
      static_cast<std::chrono::milliseconds::rep>(r * static_cast<double>(ceiling.count())));
}

}  // namespace vigil::agent
