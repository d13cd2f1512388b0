#pragma once

// Where `vigil sensor` sends what it learns: JSON lines on stdout (--json), the inventory of a
// data directory (--data-dir), or both. InventoryBatcher hands the records to
// server::InventoryService::Ingest in batches of 1,000 records or one second of capture time,
// whichever comes first, and at the end. Used on the sensor's packet thread only.

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/result.h"
#include "sensor/dissect/sink.h"
#include "sensor/runner/json_lines_sink.h"
#include "server/inventory_service.h"

namespace vigil::cli {

class InventoryBatcher final : public sensor::Sink {
 public:
  static constexpr std::size_t kMaxRecords = 1000;
  static constexpr std::int64_t kMaxCaptureNanos = 1'000'000'000;

  InventoryBatcher(server::InventoryService& inventory, std::string source)
      : inventory_(inventory), source_(std::move(source)) {}

  void Observe(model::Observation observation) override;
  void Report(model::Finding finding) override;
  void Record(model::FlowRecord record) override;

  // Ingests what is pending; the first failure sticks (status()).
  void Flush();
  bool ok() const { return status_.has_value(); }
  const Status& status() const { return status_; }
  std::uint64_t batches() const { return batches_; }

 private:
  void Added(std::int64_t time_unix_nanos);

  server::InventoryService& inventory_;
  std::string source_;
  server::SensorBatch batch_;
  std::size_t pending_ = 0;
  std::int64_t batch_start_ = 0;  // Capture time of the batch's first record.
  std::uint64_t batches_ = 0;
  Status status_;
};

// Passes every record to the JSON lines sink and the batcher that are set.
class SensorOutputs final : public sensor::Sink {
 public:
  SensorOutputs(sensor::JsonLinesSink* json, InventoryBatcher* inventory)
      : json_(json), inventory_(inventory) {}

  void Observe(model::Observation observation) override;
  void Report(model::Finding finding) override;
  void Record(model::FlowRecord record) override;

  bool ok() const {
    return (json_ == nullptr || json_->ok()) && (inventory_ == nullptr || inventory_->ok());
  }

 private:
  sensor::JsonLinesSink* json_;
  InventoryBatcher* inventory_;
};

}  // namespace vigil::cli
