#pragma once

// Where `vigil sensor` sends what it learns: JSON lines on stdout (--json), the inventory of a
// data directory (--data-dir), or both. InventoryBatcher hands the records to
// server::InventoryService::IngestAsync in batches of 1,000 records or one second of capture
// time, whichever comes first, and at the end. The merge runs on the packet thread; the durable
// commit on the store's writer, while the next batch is gathered. At most kMaxInFlight batches
// wait for their commit (the next Flush waits), so memory stays bounded. Its sink methods and
// Flush/Finish are called on the sensor's packet thread only; ok() and status() from any.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
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
  static constexpr int kMaxInFlight = 4;

  InventoryBatcher(server::InventoryService& inventory, std::string source)
      : inventory_(inventory), source_(std::move(source)) {}
  ~InventoryBatcher() override { Finish(); }

  void Observe(model::Observation observation) override;
  void Report(model::Finding finding) override;
  void Record(model::FlowRecord record) override;

  // Hands over what is pending (waiting while kMaxInFlight batches are uncommitted).
  void Flush();
  // Flush, then waits until every batch is committed or failed.
  void Finish();
  // The first failure sticks; later batches are not ingested.
  bool ok() const;
  Status status() const;
  std::uint64_t batches() const { return batches_; }

 private:
  struct Commits {  // Shared with the commit callbacks (the store's writer thread).
    std::mutex mu;
    std::condition_variable changed;
    int in_flight = 0;
    Status status;
    std::atomic<bool> failed{false};  // !status, read without the lock for each packet.
  };

  void Added(std::int64_t time_unix_nanos);

  server::InventoryService& inventory_;
  std::string source_;
  server::SensorBatch batch_;
  std::size_t pending_ = 0;
  std::int64_t batch_start_ = 0;  // Capture time of the batch's first record.
  std::uint64_t batches_ = 0;
  std::shared_ptr<Commits> commits_ = std::make_shared<Commits>();
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
