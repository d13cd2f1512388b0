#pragma once

// Sink: where the sensor's pipeline puts what it learns: dissectors' observations and findings,
// and the flow table's records. Outputs (JSON lines, the uplink to the gateway, a local store)
// implement it; tests use CollectingSink. Called on the sensor's packet thread only.

#include <vector>

#include "model/observation.h"

namespace vigil::sensor {

class Sink {
 public:
  virtual ~Sink() = default;
  virtual void Observe(model::Observation observation) = 0;
  virtual void Report(model::Finding finding) = 0;
  // A flow record from the flow table (dissectors never call it).
  virtual void Record(model::FlowRecord record) { (void)record; }
};

// Keeps everything it is given, for tests and for callers that batch.
class CollectingSink final : public Sink {
 public:
  void Observe(model::Observation observation) override {
    observations.push_back(std::move(observation));
  }
  void Report(model::Finding finding) override { findings.push_back(std::move(finding)); }
  void Record(model::FlowRecord record) override { flows.push_back(std::move(record)); }

  std::vector<model::Observation> observations;
  std::vector<model::Finding> findings;
  std::vector<model::FlowRecord> flows;
};

}  // namespace vigil::sensor
