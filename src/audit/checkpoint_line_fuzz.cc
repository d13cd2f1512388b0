// Fuzz target: one line of the audit checkpoint file, which lives outside the database and may
// have been edited by anyone who reached the disk.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "audit/checkpoint_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  (void)vigil::audit::ParseCheckpointLine(line);
  return 0;
}
