#include "sensor/dissect/observe.h"

#include <string>
#include <utility>

namespace vigil::sensor {

void ObserveSide(Sink& sink, std::string_view protocol, const FlowView& flow, FlowSide side,
                 std::int64_t time_unix_nanos, std::vector<model::Fact> facts) {
  if (facts.empty()) return;
  const bool client = side == FlowSide::kClient;
  sink.Observe(model::Observation{
      .time_unix_nanos = time_unix_nanos,
      .protocol = std::string(protocol),
      .subject = client ? flow.client : flow.server,
      .peer = client ? flow.server : flow.client,
      .vlan = flow.vlan,
      .facts = std::move(facts),
  });
}

void ReportSide(Sink& sink, const FlowView& flow, FlowSide side, model::Finding finding) {
  const bool client = side == FlowSide::kClient;
  finding.subject = client ? flow.client : flow.server;
  finding.peer = client ? flow.server : flow.client;
  finding.vlan = flow.vlan;
  sink.Report(std::move(finding));
}

}  // namespace vigil::sensor
