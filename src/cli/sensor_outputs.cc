#include "cli/sensor_outputs.h"

#include <utility>

namespace vigil::cli {

void InventoryBatcher::Observe(model::Observation observation) {
  const std::int64_t time = observation.time_unix_nanos;
  batch_.observations.push_back(std::move(observation));
  Added(time);
}

void InventoryBatcher::Report(model::Finding finding) {
  const std::int64_t time = finding.time_unix_nanos;
  batch_.findings.push_back(std::move(finding));
  Added(time);
}

void InventoryBatcher::Record(model::FlowRecord record) {
  const std::int64_t time = record.end_unix_nanos;
  batch_.flows.push_back(std::move(record));
  Added(time);
}

void InventoryBatcher::Added(std::int64_t time) {
  if (pending_++ == 0) batch_start_ = time;
  if (pending_ >= kMaxRecords || time - batch_start_ >= kMaxCaptureNanos) Flush();
}

void InventoryBatcher::Flush() {
  if (pending_ == 0) return;
  server::SensorBatch batch = std::move(batch_);
  batch_ = {};
  pending_ = 0;
  {
    std::unique_lock lock(commits_->mu);
    commits_->changed.wait(lock, [&] { return commits_->in_flight < kMaxInFlight; });
    if (!commits_->status) return;  // Failed already: the run is stopping.
    ++commits_->in_flight;
  }
  ++batches_;
  inventory_.IngestAsync(source_, std::move(batch), [commits = commits_](Status stored) {
    std::lock_guard lock(commits->mu);
    --commits->in_flight;
    if (!stored && commits->status) {
      commits->status = std::move(stored);
      commits->failed = true;
    }
    commits->changed.notify_all();
  });
}

void InventoryBatcher::Finish() {
  Flush();
  std::unique_lock lock(commits_->mu);
  commits_->changed.wait(lock, [&] { return commits_->in_flight == 0; });
}

bool InventoryBatcher::ok() const { return !commits_->failed.load(std::memory_order_relaxed); }

Status InventoryBatcher::status() const {
  std::lock_guard lock(commits_->mu);
  return commits_->status;
}

void SensorOutputs::Observe(model::Observation observation) {
  if (json_ != nullptr)
    json_->Observe(inventory_ != nullptr ? observation : std::move(observation));
  if (inventory_ != nullptr) inventory_->Observe(std::move(observation));
}

void SensorOutputs::Report(model::Finding finding) {
  if (json_ != nullptr) json_->Report(inventory_ != nullptr ? finding : std::move(finding));
  if (inventory_ != nullptr) inventory_->Report(std::move(finding));
}

void SensorOutputs::Record(model::FlowRecord record) {
  if (json_ != nullptr) json_->Record(inventory_ != nullptr ? record : std::move(record));
  if (inventory_ != nullptr) inventory_->Record(std::move(record));
}

}  // namespace vigil::cli
