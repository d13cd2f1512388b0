#pragma once

// StreamState: what a TCP flow carries while its stream dissector reads it (flow_table.h): the
// reassembler and the unconsumed bytes of each direction, and the dissector itself. Allocated
// only once a probe has recognised the flow. Index 0 is
// the client-to-server direction.

#include <cstdint>
#include <memory>
#include <vector>

#include "sensor/dissect/dissector.h"
#include "sensor/flow/tcp_reassembler.h"

namespace vigil::sensor {

struct StreamState {
  std::unique_ptr<StreamDissector> dissector;
  TcpReassembler reassembler[2];
  std::vector<std::uint8_t> buffer[2];  // Unconsumed bytes per direction.
};

inline std::size_t DirectionIndex(Direction dir) {
  return dir == Direction::kClientToServer ? 0 : 1;
}

}  // namespace vigil::sensor
