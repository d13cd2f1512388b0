#pragma once

// What the stream dissectors share when they put what they learn about a connection into the
// sink: an observation or a finding is about one end of the flow (its subject), with the other
// end as its peer and the flow's VLAN. Stateless; called on the sensor's packet thread only.

#include <cstdint>
#include <string_view>
#include <vector>

#include "model/observation.h"
#include "sensor/dissect/dissector.h"
#include "sensor/dissect/sink.h"

namespace vigil::sensor {

// Which end of a connection an observation or a finding is about.
enum class FlowSide : std::uint8_t { kClient, kServer };

// The end that sends the bytes going in `direction`.
constexpr FlowSide SenderOf(Direction direction) {
  return direction == Direction::kClientToServer ? FlowSide::kClient : FlowSide::kServer;
}

// Observes `facts` about `side` of `flow` (its subject; the other end is the peer). Does nothing
// when `facts` is empty.
void ObserveSide(Sink& sink, std::string_view protocol, const FlowView& flow, FlowSide side,
                 std::int64_t time_unix_nanos, std::vector<model::Fact> facts);

// Reports `finding` about `side` of `flow`: its subject, peer and vlan are taken from the flow.
void ReportSide(Sink& sink, const FlowView& flow, FlowSide side, model::Finding finding);

}  // namespace vigil::sensor
