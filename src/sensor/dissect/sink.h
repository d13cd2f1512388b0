#pragma once

// Sink: where dissectors put what they learn. The pipeline passes one to every dissector call;
// tests use CollectingSink. Called on the sensor's packet thread only.

#include <vector>

#include "model/observation.h"

namespace vigil::sensor {

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Observe(model::Observation observation) = 0;
  virtual void Report(model::Finding finding) = 0;
};

// Keeps everything it is given, for tests and for callers that batch.
class CollectingSink final : public Sink {
 public:
  void Observe(model::Observation observation) override {
    observations.push_back(std::move(observation));
  }
  void Report(model::Finding finding) override { findings.push_back(std::move(finding)); }

  std::vector<model::Observation> observations;
  std::vector<model::Finding> findings;
};

}  // namespace vigil::sensor
