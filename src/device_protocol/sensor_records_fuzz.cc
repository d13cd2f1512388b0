// Fuzz target: the sensor's record parsers (one JSON line, and the gateway's /v1/observations
// and /v1/flows bodies) on arbitrary bytes. What one accepts must write back and parse again
// to the same value, and every refusal is kInvalidArgument (or kResourceExhausted).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "core/check.h"
#include "device_protocol/sensor_records.h"

namespace {

using namespace vigil::device_protocol;  // NOLINT: a fuzz target's own file.

// Small limits so that the fuzzer reaches them.
constexpr SensorLimits kLimits{
    .max_records = 8, .max_facts = 4, .max_name = 16, .max_text = 64, .max_counters = 8};

template <typename T>
bool Accepted(const vigil::Result<T>& result) {
  VIGIL_CHECK(result || result.error().code == vigil::ErrorCode::kInvalidArgument ||
                  result.error().code == vigil::ErrorCode::kResourceExhausted,
              "a parser failed with an unexpected code");
  return result.has_value();
}

std::string WriteRecord(const SensorRecord& record) {
  struct Writer {
    std::string operator()(const vigil::model::Observation& o) { return WriteObservationJson(o); }
    std::string operator()(const vigil::model::Finding& f) { return WriteFindingJson(f); }
    std::string operator()(const vigil::model::FlowRecord& r) { return WriteFlowRecordJson(r); }
    std::string operator()(const SensorStats& s) { return WriteSensorStatsJson(s); }
  };
  return std::visit(Writer{}, record);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);

  if (const auto record = ParseSensorRecord(json, kLimits); Accepted(record)) {
    const auto again = ParseSensorRecord(WriteRecord(*record), kLimits);
    VIGIL_CHECK(again && *again == *record, "a sensor record changed on write and parse");
  }
  if (const auto body = ParseObservationsBody(json, kLimits); Accepted(body)) {
    const auto again =
        ParseObservationsBody(WriteObservationsBody(body->observations, body->findings), kLimits);
    VIGIL_CHECK(again && *again == *body, "an observations body changed on write and parse");
  }
  if (const auto flows = ParseFlowsBody(json, kLimits); Accepted(flows)) {
    const auto again = ParseFlowsBody(WriteFlowsBody(*flows), kLimits);
    VIGIL_CHECK(again && *again == *flows, "a flows body changed on write and parse");
  }
  return 0;
}
