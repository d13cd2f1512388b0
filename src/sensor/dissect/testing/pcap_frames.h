#pragma once

// Reads the frames of a classic pcap file written on a little-endian host (microsecond or
// nanosecond timestamps), for tests that take payloads out of the shared captures; the
// counterpart of testing/pcap_writer.h. Returns no frames for a missing file or another format,
// and stops at the first truncated record.

#include <cstdint>
#include <filesystem>
#include <vector>

namespace vigil::sensor {

std::vector<std::vector<std::uint8_t>> ReadPcapFrames(const std::filesystem::path& path);

}  // namespace vigil::sensor
