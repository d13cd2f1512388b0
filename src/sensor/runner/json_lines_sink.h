#pragma once

// JsonLinesSink: writes every observation, finding and flow record as one JSON line
// (docs/formats/sensor.md) to a stdio stream, as `vigil sensor --json` does. Output is buffered
// by stdio; Flush() pushes it out. Write errors (a closed pipe) make ok() false and later
// records are dropped, so the caller can stop. Single-threaded.

#include <cstdio>
#include <string>

#include "sensor/dissect/sink.h"

namespace vigil::sensor {

class JsonLinesSink final : public Sink {
 public:
  explicit JsonLinesSink(std::FILE* out) : out_(out) {}

  void Observe(model::Observation observation) override;
  void Report(model::Finding finding) override;
  void Record(model::FlowRecord record) override;
  void WriteLine(const std::string& line);
  void Flush();
  bool ok() const { return ok_; }

 private:
  std::FILE* out_;
  bool ok_ = true;
};

}  // namespace vigil::sensor
