#pragma once

// The sensor's side of talking to a Vigil server: `vigil sensor enroll` (a key made here, a
// CSR, the root pinned by fingerprint, crash-safe credentials in the state directory; the
// agent's code, agent/enrollment.h and agent/state_dir.h) and the uplink that `vigil sensor
// ... --server URL` sends its records through (sensor/uplink). docs/cli.md.

#include <cstdio>
#include <memory>
#include <string>

#include "agent/state_dir.h"
#include "core/result.h"
#include "sensor/uplink/uplink_sink.h"

namespace vigil::cli {

inline constexpr char kDefaultSensorStateDir[] = "/var/lib/vigil-sensor";

struct SensorEnrollArgs {
  std::string server_url;
  std::string token;
  std::string ca_fingerprint;
  std::string state_dir = kDefaultSensorStateDir;
};

// Returns the exit code; prints the sensor id on success.
int SensorEnroll(const SensorEnrollArgs& args);

// The state directory (locked while the uplink runs; shared with the uplink's thread) and the
// uplink to `server_url` with its credentials. The uplink renews the sensor's certificate at
// start and hourly once it is due (POST /v1/sensor/renew) and then connects with the new one;
// an expired certificate is logged with what to do. kFailedPrecondition "not enrolled" when the
// directory holds none.
struct Uplink {
  std::shared_ptr<agent::StateDir> state;
  std::string sensor_id;
  std::unique_ptr<sensor::UplinkSink> sink;
};
Result<Uplink> OpenUplink(const std::string& server_url, const std::string& state_dir);

// "uplink: 1200 records sent in 3 batches, 0 dropped, 0 refused, 2 retries".
std::string DescribeUplink(const sensor::UplinkStats& stats);

// Passes each record to both sinks (--json with --server).
class TeeSink final : public sensor::Sink {
 public:
  TeeSink(sensor::Sink& first, sensor::Sink& second) : first_(first), second_(second) {}
  void Observe(model::Observation o) override {
    first_.Observe(o);
    second_.Observe(std::move(o));
  }
  void Report(model::Finding f) override {
    first_.Report(f);
    second_.Report(std::move(f));
  }
  void Record(model::FlowRecord r) override {
    first_.Record(r);
    second_.Record(std::move(r));
  }

 private:
  sensor::Sink& first_;
  sensor::Sink& second_;
};

}  // namespace vigil::cli
