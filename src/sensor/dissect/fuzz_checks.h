#pragma once

// For fuzz targets: the bounds every dissector keeps whatever bytes it is given. A broken bound
// stops the process through VIGIL_CHECK, which libFuzzer reports as a crash. Header-only; not
// used by the pipeline.

#include <cstddef>
#include <limits>

#include "core/check.h"
#include "sensor/dissect/sink.h"
#include "sensor/dissect/text.h"

namespace vigil::sensor {

// Every fact value in `sink` fits kMaxFactBytes, and no observation has more than
// `max_facts_per_observation` facts.
inline void CheckBoundedFacts(
    const CollectingSink& sink,
    std::size_t max_facts_per_observation = std::numeric_limits<std::size_t>::max()) {
  for (const auto& observation : sink.observations) {
    VIGIL_CHECK(observation.facts.size() <= max_facts_per_observation, "too many facts");
    for (const auto& fact : observation.facts) {
      VIGIL_CHECK(fact.value.size() <= kMaxFactBytes, "fact value unbounded");
    }
  }
}

}  // namespace vigil::sensor
