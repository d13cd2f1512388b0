#include "sensor/runner/json_lines_sink.h"

#include "device_protocol/sensor_records.h"

namespace vigil::sensor {

void JsonLinesSink::Observe(model::Observation observation) {
  WriteLine(device_protocol::WriteObservationJson(observation));
}

void JsonLinesSink::Report(model::Finding finding) {
  WriteLine(device_protocol::WriteFindingJson(finding));
}

void JsonLinesSink::Record(model::FlowRecord record) {
  WriteLine(device_protocol::WriteFlowRecordJson(record));
}

void JsonLinesSink::WriteLine(const std::string& line) {
  if (!ok_) return;
  if (std::fwrite(line.data(), 1, line.size(), out_) != line.size() ||
      std::fputc('\n', out_) == EOF) {
    ok_ = false;
  }
}

void JsonLinesSink::Flush() {
  if (ok_ && std::fflush(out_) != 0) ok_ = false;
}

}  // namespace vigil::sensor
