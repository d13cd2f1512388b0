// InventoryService: start-up (registry, rules, the inventory loaded from the store), sensor
// ingest and retention. The queries are in inventory_queries.cc.

#include "server/inventory_service.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <map>
#include <sstream>
#include <tuple>
#include <utility>

#include "server/runtime.h"
#include "store/inventory_checks.h"

namespace vigil::server {
namespace fs = std::filesystem;

namespace {

constexpr const char* kRegistryFiles[] = {"oui.csv", "mam.csv", "oui36.csv", "iab.csv"};

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return MakeError(ErrorCode::kUnavailable, "error reading " + path.string());
  return text.str();
}

std::int64_t BucketOf(std::int64_t time) {
  std::int64_t bucket = time / store::kFlowBucketNanos;
  if (time % store::kFlowBucketNanos < 0) --bucket;  // Floor, not truncation.
  return bucket * store::kFlowBucketNanos;
}

// The batch's flow records summed per 5-minute bucket (of each record's last packet) and
// (client, server, port, protocol, application). Records without both addresses are skipped.
std::vector<model::FlowAggregate> Aggregate(const std::vector<model::FlowRecord>& records) {
  using Key =
      std::tuple<std::int64_t, IpAddress, IpAddress, std::uint16_t, std::uint8_t, std::string>;
  std::map<Key, model::FlowAggregate> sums;
  for (const model::FlowRecord& r : records) {
    if (!r.client.ip || !r.server.ip) continue;
    const std::int64_t bucket = BucketOf(r.end_unix_nanos);
    Key key{bucket, *r.client.ip, *r.server.ip, r.server.port, r.ip_protocol, r.application};
    auto [it, inserted] = sums.try_emplace(key, model::FlowAggregate{
                                                    .bucket_start_unix_nanos = bucket,
                                                    .client = *r.client.ip,
                                                    .server = *r.server.ip,
                                                    .server_port = r.server.port,
                                                    .ip_protocol = r.ip_protocol,
                                                    .application = r.application,
                                                });
    model::FlowAggregate& sum = it->second;
    // An active-timeout record continues a flow counted already.
    if (inserted || r.end != model::FlowEnd::kActive) ++sum.flows;
    sum.packets += r.client_packets + r.server_packets;
    sum.bytes += r.client_bytes + r.server_bytes;
  }
  std::vector<model::FlowAggregate> out;
  out.reserve(sums.size());
  for (auto& [key, sum] : sums) out.push_back(std::move(sum));
  return out;
}

}  // namespace

InventoryOptions InventoryOptions::FromConfig(const config::Config& config) {
  return InventoryOptions{
      .oui_dir = config.inventory.oui_dir,
      .rules_file = fs::path(config.storage.data_dir) / "inventory-rules.toml",
      .flow_retention_seconds = std::int64_t{config.inventory.flow_retention_days} * 86400,
      .limits = {},
  };
}

Result<std::unique_ptr<InventoryService>> InventoryService::Create(Runtime& runtime,
                                                                   InventoryOptions options) {
  std::unique_ptr<InventoryService> service(new InventoryService(runtime, std::move(options)));
  VIGIL_RETURN_IF_ERROR(service->LoadRules());
  return service;
}

InventoryService::InventoryService(Runtime& runtime, InventoryOptions options)
    : rt_(runtime), options_(std::move(options)) {}

InventoryService::~InventoryService() { WaitForIngests(); }

Status InventoryService::LoadRules() {
  rules_ = inventory::RuleSet::Defaults();
  std::error_code ec;
  if (options_.rules_file.empty() || !fs::exists(options_.rules_file, ec)) return OkStatus();
  auto text = ReadFile(options_.rules_file);
  if (!text) return tl::unexpected(Annotate(std::move(text).error(), "inventory rules"));
  auto own = inventory::RuleSet::Parse(*text, options_.rules_file.string());
  if (!own) return tl::unexpected(Annotate(std::move(own).error(), "inventory rules"));
  rules_.Prepend(*own);
  spdlog::info("inventory: {} rules from {} before the {} built-in ones", own->rules().size(),
               options_.rules_file.string(), inventory::RuleSet::Defaults().rules().size());
  return OkStatus();
}

void InventoryService::LoadRegistry() {
  int files = 0;
  for (const char* name : kRegistryFiles) {
    const fs::path path = options_.oui_dir / name;
    std::error_code ec;
    if (!fs::exists(path, ec)) continue;
    auto text = ReadFile(path);
    Status added = text ? oui_.AddCsv(*text, path.string()) : tl::unexpected(text.error());
    if (!added) {
      spdlog::warn("inventory: IEEE registry {} skipped: {}", path.string(), added.error().message);
      continue;
    }
    ++files;
  }
  if (files == 0) {
    spdlog::warn(
        "inventory: no IEEE registry in {} (install the ieee-data package or set "
        "[inventory] oui_dir); devices are identified without the manufacturers of their MACs",
        options_.oui_dir.string());
  } else {
    spdlog::info("inventory: {} MAC blocks from the IEEE registry in {}", oui_.size(),
                 options_.oui_dir.string());
  }
}

Status InventoryService::EnsureLoaded() {
  if (inventory_ != nullptr) return OkStatus();
  if (!registry_loaded_) {
    LoadRegistry();
    registry_loaded_ = true;
  }
  std::vector<model::ObservedDevice> devices;
  VIGIL_RETURN_IF_ERROR(rt_.store().Read([&](store::ReadTransaction& tx) -> Status {
    auto all = tx.inventory().AllObservedDevices();
    if (!all) return tl::unexpected(std::move(all).error());
    devices = std::move(*all);
    return OkStatus();
  }));
  auto inventory = std::make_unique<inventory::Inventory>(oui_, rules_, options_.limits);
  inventory->Load(std::move(devices));
  inventory_ = std::move(inventory);
  return OkStatus();
}

Result<store::WriteFn> InventoryService::Merge(const std::string& source, SensorBatch batch) {
  if (stale_.exchange(false)) inventory_.reset();  // A commit failed: start again from the store.
  VIGIL_RETURN_IF_ERROR(EnsureLoaded());
  for (const model::Observation& o : batch.observations) inventory_->Observe(o);
  for (const model::Finding& f : batch.findings) inventory_->Report(f);
  for (const model::FlowRecord& r : batch.flows) inventory_->Record(r);
  inventory::Inventory::Changes changes = inventory_->TakeChanges();

  std::vector<store::StoredFinding> findings;
  findings.reserve(batch.findings.size());
  for (model::Finding& f : batch.findings) {
    const model::ObservedDevice* device = inventory_->FindEndpoint(f.subject);
    findings.push_back({.seq = 0,
                        .device_id = device != nullptr ? device->id : std::string(),
                        .source = source,
                        .finding = std::move(f)});
  }
  std::vector<model::FlowAggregate> flows = Aggregate(batch.flows);
  return store::WriteFn([changes = std::move(changes), findings = std::move(findings),
                         flows = std::move(flows)](store::Transaction& tx) -> Status {
    store::InventoryRepo& repo = tx.inventory();
    for (const std::string& id : changes.removed) {
      Status deleted = repo.DeleteObservedDevice(id);
      // A device created and merged within one batch was never stored.
      if (!deleted && deleted.error().code != ErrorCode::kNotFound) return deleted;
    }
    for (const model::ObservedDevice& device : changes.changed) {
      VIGIL_RETURN_IF_ERROR(repo.UpsertObservedDevice(device));
    }
    if (!findings.empty()) {
      auto seqs = repo.AddFindings(findings);
      if (!seqs) return tl::unexpected(std::move(seqs).error());
    }
    if (!flows.empty()) VIGIL_RETURN_IF_ERROR(repo.AddFlows(flows));
    return OkStatus();
  });
}

void InventoryService::IngestAsync(std::string source, SensorBatch batch,
                                   std::function<void(Status)> done) {
  std::lock_guard lock(mu_);  // Held while queueing, so commits keep the order of merges.
  auto write = Merge(source, std::move(batch));
  if (!write) return done(tl::unexpected(std::move(write).error()));
  {
    std::lock_guard count(ingest_mu_);
    ++ingests_in_flight_;
  }
  rt_.store().WriteAsync(std::move(*write), store::Durability::kFull,
                         [this, done = std::move(done)](Status status) {
                           if (!status) stale_ = true;
                           done(std::move(status));
                           std::lock_guard count(ingest_mu_);
                           if (--ingests_in_flight_ == 0) ingest_cv_.notify_all();
                         });
}

Status InventoryService::Ingest(std::string source, SensorBatch batch) {
  std::lock_guard lock(mu_);
  auto write = Merge(source, std::move(batch));
  if (!write) return tl::unexpected(std::move(write).error());
  Status status = rt_.store().Write(*write, store::Durability::kFull);
  if (!status) stale_ = true;
  return status;
}

void InventoryService::WaitForIngests() {
  std::unique_lock lock(ingest_mu_);
  ingest_cv_.wait(lock, [this] { return ingests_in_flight_ == 0; });
}

Status InventoryService::Tick() {
  const std::int64_t now = rt_.clock().NowUnixNanos() / 1'000'000'000;
  {
    std::lock_guard lock(mu_);
    if (now - last_retention_unix_ < 60) return OkStatus();
    last_retention_unix_ = now;
  }
  auto deleted = ExpireFlows((now - options_.flow_retention_seconds) * 1'000'000'000);
  if (!deleted) return tl::unexpected(std::move(deleted).error());
  return OkStatus();
}

Result<std::int64_t> InventoryService::ExpireFlows(std::int64_t before_unix_nanos) {
  std::int64_t deleted = 0;
  VIGIL_RETURN_IF_ERROR(rt_.store().Write(
      [&](store::Transaction& tx) -> Status {
        auto n = tx.inventory().DeleteFlowsBefore(before_unix_nanos);
        if (!n) return tl::unexpected(std::move(n).error());
        deleted = *n;
        return OkStatus();
      },
      store::Durability::kNormal));
  if (deleted > 0) spdlog::info("inventory: deleted {} flow history rows past retention", deleted);
  return deleted;
}

}  // namespace vigil::server
