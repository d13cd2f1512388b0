#include "store/memory/inventory.h"

#include <algorithm>
#include <utility>

namespace vigil::store::memory {
namespace {

bool Matches(const model::ObservedDevice& device, const ObservedDeviceFilter& filter,
             const std::string& manufacturer, const std::string& search) {
  if (!filter.device_type.empty() && device.identity.device_type.value != filter.device_type) {
    return false;
  }
  if (!manufacturer.empty() && AsciiLower(device.identity.manufacturer.value) != manufacturer) {
    return false;
  }
  if (filter.last_seen_after_unix_nanos &&
      device.last_seen_unix_nanos < *filter.last_seen_after_unix_nanos) {
    return false;
  }
  if (filter.last_seen_before_unix_nanos &&
      device.last_seen_unix_nanos >= *filter.last_seen_before_unix_nanos) {
    return false;
  }
  return search.empty() || SearchText(device).find(search) != std::string::npos;
}

bool Matches(const StoredFinding& row, const FindingFilter& filter) {
  const model::Finding& f = row.finding;
  if (!filter.device_id.empty() && row.device_id != filter.device_id) return false;
  if (!filter.kind.empty() && f.kind != filter.kind) return false;
  if (f.time_unix_nanos < filter.from_unix_nanos || f.time_unix_nanos >= filter.to_unix_nanos) {
    return false;
  }
  if (filter.address) {
    const bool subject = f.subject.ip == filter.address;
    const bool peer = f.peer && f.peer->ip == filter.address;
    if (!subject && !peer) return false;
  }
  return true;
}

}  // namespace

Result<model::ObservedDevice> Inventory::GetObservedDevice(std::string_view id) const {
  auto it = state_.devices.find(id);
  if (it == state_.devices.end()) return ObservedDeviceNotFound(id);
  return *it->second;
}

Result<ObservedDevicePage> Inventory::ListObservedDevices(
    const ObservedDeviceFilter& filter) const {
  VIGIL_RETURN_IF_ERROR(CheckDeviceFilter(filter, "list observed devices"));
  const std::string manufacturer = AsciiLower(filter.manufacturer);
  const std::string search = AsciiLower(filter.search);
  std::vector<const model::ObservedDevice*> matching;
  for (const auto& [id, device] : state_.devices) {
    if (Matches(*device, filter, manufacturer, search)) matching.push_back(device.get());
  }
  std::sort(matching.begin(), matching.end(), [](const auto* a, const auto* b) {
    if (a->last_seen_unix_nanos != b->last_seen_unix_nanos) {
      return a->last_seen_unix_nanos > b->last_seen_unix_nanos;
    }
    return a->id < b->id;
  });
  ObservedDevicePage page{.devices = {}, .total = static_cast<std::int64_t>(matching.size())};
  for (std::size_t i = filter.offset; i < matching.size() && page.devices.size() < filter.limit;
       ++i) {
    page.devices.push_back(*matching[i]);
  }
  return page;
}

Result<std::vector<model::ObservedDevice>> Inventory::AllObservedDevices() const {
  std::vector<model::ObservedDevice> out;
  out.reserve(state_.devices.size());
  for (const auto& [id, device] : state_.devices) out.push_back(*device);
  return out;
}

Result<std::vector<StoredFinding>> Inventory::ListFindings(const FindingFilter& filter) const {
  VIGIL_RETURN_IF_ERROR(CheckFindingFilter(filter, "list findings"));
  std::vector<const StoredFinding*> matching;
  for (const auto& row : state_.findings) {
    if (Matches(*row, filter)) matching.push_back(row.get());
  }
  std::sort(matching.begin(), matching.end(), [](const auto* a, const auto* b) {
    if (a->finding.time_unix_nanos != b->finding.time_unix_nanos) {
      return a->finding.time_unix_nanos > b->finding.time_unix_nanos;
    }
    return a->seq > b->seq;
  });
  if (matching.size() > filter.limit) matching.resize(filter.limit);
  std::vector<StoredFinding> out;
  out.reserve(matching.size());
  for (const StoredFinding* row : matching) out.push_back(*row);
  return out;
}

Result<std::vector<model::FlowAggregate>> Inventory::ListFlows(const FlowFilter& filter) const {
  VIGIL_RETURN_IF_ERROR(CheckFlowFilter(filter, "list flows"));
  std::vector<model::FlowAggregate> out;
  for (const auto& [key, flow] : state_.flows) {
    if (flow.bucket_start_unix_nanos < filter.from_unix_nanos) continue;
    if (flow.bucket_start_unix_nanos >= filter.to_unix_nanos) break;
    if (filter.address && flow.client != *filter.address && flow.server != *filter.address) {
      continue;
    }
    out.push_back(flow);
    if (out.size() == filter.limit) break;
  }
  return out;
}

Status Inventory::UpsertObservedDevice(const model::ObservedDevice& device) {
  VIGIL_RETURN_IF_ERROR(CheckObservedDevice(device, "upsert observed device"));
  mut_->devices.insert_or_assign(device.id, std::make_shared<const model::ObservedDevice>(device));
  return OkStatus();
}

Status Inventory::DeleteObservedDevice(std::string_view id) {
  auto it = mut_->devices.find(id);
  if (it == mut_->devices.end()) return ObservedDeviceNotFound(id);
  mut_->devices.erase(it);
  return OkStatus();
}

Result<std::vector<std::int64_t>> Inventory::AddFindings(std::span<const StoredFinding> findings) {
  VIGIL_RETURN_IF_ERROR(CheckFindings(findings, "add findings"));
  std::vector<std::int64_t> seqs;
  for (const StoredFinding& finding : findings) {
    auto row = std::make_shared<StoredFinding>(finding);
    row->seq = mut_->next_finding_seq++;
    seqs.push_back(row->seq);
    mut_->findings.push_back(std::move(row));
  }
  return seqs;
}

Status Inventory::AddFlows(std::span<const model::FlowAggregate> flows) {
  VIGIL_RETURN_IF_ERROR(CheckFlows(flows, "add flows"));
  for (const model::FlowAggregate& flow : flows) {
    FlowKey key{flow.bucket_start_unix_nanos,
                KeyOf(flow.client),
                KeyOf(flow.server),
                flow.server_port,
                flow.ip_protocol,
                flow.application};
    auto [it, inserted] = mut_->flows.try_emplace(std::move(key), flow);
    if (!inserted) {
      it->second.flows += flow.flows;
      it->second.packets += flow.packets;
      it->second.bytes += flow.bytes;
    }
  }
  return OkStatus();
}

Result<std::int64_t> Inventory::DeleteFlowsBefore(std::int64_t before_unix_nanos) {
  std::int64_t deleted = 0;
  for (auto it = mut_->flows.begin();
       it != mut_->flows.end() && it->second.bucket_start_unix_nanos < before_unix_nanos;) {
    it = mut_->flows.erase(it);
    ++deleted;
  }
  return deleted;
}

}  // namespace vigil::store::memory
