#pragma once

// RunSensor: the sensor's main loop. Opens the capture files (in the order given, as one
// continuous capture: flows may span files) or the live interface, feeds every frame through a
// Pipeline into `sink`, and at the end (the last file read, or `stop` set by a signal) ends every
// flow and returns what happened. Errors: a file or interface that cannot be opened or read
// (see pcap_source.h); an output that failed (kUnavailable). Counting is done here so callers
// can print a summary.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "device_protocol/sensor_records.h"
#include "sensor/capture/packet_source.h"
#include "sensor/dissect/sink.h"
#include "sensor/pipeline/pipeline.h"

namespace vigil::sensor {

struct SensorRunOptions {
  std::vector<std::string> pcap_files;  // Either files...
  std::string interface;                // ...or one interface.
  std::string bpf_filter;
  PipelineOptions pipeline;
  // Called as each source starts to be read (a file, or the interface once capturing).
  std::function<void(const PacketSource& source)> on_open;
};

struct SensorSummary {
  PipelineStats packets;
  FlowStats flows;
  WeirdCounters weird;
  CaptureStats capture;
  std::uint64_t observations = 0;
  std::uint64_t findings = 0;
  std::uint64_t flow_records = 0;
  std::uint64_t devices = 0;  // Distinct subjects (by MAC, else IP) of observations.
};

// `output_ok` is asked after each frame; when it says false the run stops with kUnavailable.
Result<SensorSummary> RunSensor(const SensorRunOptions& options, Sink& sink,
                                const std::atomic<bool>& stop, bool (*output_ok)(Sink&) = nullptr);

// The summary as the JSON "stats" record and as one line for a person.
device_protocol::SensorStats StatsOf(const SensorSummary& summary);
std::string DescribeSummary(const SensorSummary& summary);

}  // namespace vigil::sensor
