#include "sensor/runner/run_sensor.h"

#include <memory>
#include <string>
#include <unordered_set>

#include "sensor/capture/pcap_source.h"
#include "sensor/pipeline/registry.h"

namespace vigil::sensor {
namespace {

// Counts what passes through to the real sink, and the distinct devices observed.
class CountingSink final : public Sink {
 public:
  CountingSink(Sink& next, SensorSummary& summary) : next_(next), summary_(summary) {}

  void Observe(model::Observation o) override {
    ++summary_.observations;
    if (devices_.size() < kMaxDevices && devices_.insert(DeviceKey(o.subject)).second) {
      ++summary_.devices;
    }
    next_.Observe(std::move(o));
  }
  void Report(model::Finding f) override {
    ++summary_.findings;
    next_.Report(std::move(f));
  }
  void Record(model::FlowRecord r) override {
    ++summary_.flow_records;
    next_.Record(std::move(r));
  }

 private:
  // A device by its MAC, else by a hash of its address (a count, so a rare collision only
  // undercounts by one). Zero for a subject with neither.
  static std::uint64_t DeviceKey(const model::Endpoint& e) {
    std::uint64_t key = 0;
    if (e.mac) {
      for (std::uint8_t b : e.mac->bytes()) key = (key << 8) | b;
      return key | (std::uint64_t{1} << 48);
    }
    if (!e.ip) return 0;
    key = 1469598103934665603ULL;
    for (std::uint8_t b : e.ip->bytes()) key = (key ^ b) * 1099511628211ULL;
    return key | (std::uint64_t{1} << 63);
  }

  static constexpr std::size_t kMaxDevices = 1 << 20;
  Sink& next_;
  SensorSummary& summary_;
  std::unordered_set<std::uint64_t> devices_{0};  // 0 (no identity) is never counted.
};

Status Drain(PacketSource& source, Pipeline& pipeline, const std::atomic<bool>& stop, Sink& sink,
             bool (*output_ok)(Sink&), CaptureStats& total) {
  Frame frame;
  while (!stop.load(std::memory_order_relaxed)) {
    auto read = source.Next(frame);
    if (!read) return tl::unexpected(read.error());
    if (*read == PacketSource::Read::kEnd) break;
    if (*read == PacketSource::Read::kTimeout) continue;
    pipeline.HandleFrame(source.link_type(), frame.bytes, frame.wire_length, frame.time_unix_nanos);
    if (output_ok != nullptr && !output_ok(sink)) {
      return MakeError(ErrorCode::kUnavailable, "sensor: the output failed (closed pipe?)");
    }
  }
  CaptureStats s = source.stats();
  total.received += s.received;
  total.kernel_dropped += s.kernel_dropped;
  total.interface_dropped += s.interface_dropped;
  return OkStatus();
}

}  // namespace

Result<SensorSummary> RunSensor(const SensorRunOptions& options, Sink& sink,
                                const std::atomic<bool>& stop, bool (*output_ok)(Sink&)) {
  if (options.pcap_files.empty() == options.interface.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "sensor: give capture files or one interface, not both or neither");
  }
  // Open every file first, so a typo in the last name fails before any output.
  std::vector<std::unique_ptr<PacketSource>> sources;
  if (options.interface.empty()) {
    for (const std::string& path : options.pcap_files) {
      auto source = OpenCaptureFile(path, options.bpf_filter);
      if (!source) return tl::unexpected(source.error());
      sources.push_back(std::move(*source));
    }
  } else {
    auto source = OpenInterface(options.interface, {.bpf_filter = options.bpf_filter});
    if (!source) return tl::unexpected(source.error());
    sources.push_back(std::move(*source));
  }

  SensorSummary summary;
  CountingSink counting(sink, summary);
  Pipeline pipeline(options.pipeline, AllDissectors(), counting);
  for (auto& source : sources) {
    if (options.on_open) options.on_open(*source);
    Status drained = Drain(*source, pipeline, stop, sink, output_ok, summary.capture);
    if (!drained) return tl::unexpected(drained.error());
    if (stop.load()) break;
  }
  pipeline.Finish();
  summary.packets = pipeline.stats();
  summary.flows = pipeline.flow_stats();
  summary.weird = pipeline.weird();
  return summary;
}

device_protocol::SensorStats StatsOf(const SensorSummary& s) {
  device_protocol::SensorStats stats;
  stats.counters = {
      {"packets", s.packets.frames},
      {"bytes", s.packets.bytes},
      {"ipv4", s.packets.ipv4},
      {"ipv6", s.packets.ipv6},
      {"arp", s.packets.arp},
      {"other_link", s.packets.other},
      {"flows", s.flows.created},
      {"flows_dissected", s.flows.dissected},
      {"flows_evicted", s.flows.evicted},
      {"observations", s.observations},
      {"findings", s.findings},
      {"devices", s.devices},
      {"kernel_dropped", s.capture.kernel_dropped},
      {"interface_dropped", s.capture.interface_dropped},
  };
  for (std::size_t i = 0; i < static_cast<std::size_t>(Weird::kCount); ++i) {
    auto w = static_cast<Weird>(i);
    if (s.weird.Get(w) > 0) stats.weird.emplace_back(std::string(WeirdName(w)), s.weird.Get(w));
  }
  return stats;
}

std::string DescribeSummary(const SensorSummary& s) {
  std::string text =
      "sensor: " + std::to_string(s.packets.frames) + " packets, " +
      std::to_string(s.flows.created) + " flows (" + std::to_string(s.flows.dissected) +
      " dissected), " + std::to_string(s.devices) + " devices, " + std::to_string(s.observations) +
      " observations, " + std::to_string(s.findings) + " findings, " +
      std::to_string(s.weird.Total()) + " weird, " +
      std::to_string(s.capture.kernel_dropped + s.capture.interface_dropped) + " dropped";
  return text;
}

}  // namespace vigil::sensor
