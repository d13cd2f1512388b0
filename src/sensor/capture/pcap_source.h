#pragma once

// Capture through libpcap: classic pcap and pcapng files (told apart by their magic number, not
// their name) and live interfaces, with an optional BPF filter (tcpdump's syntax). Link types
// Ethernet, Linux cooked v1 and v2, and raw IP; any other is refused when the source opens, with
// its name. Timestamps are kept to the nanosecond where the file has them.
//
// Errors: kNotFound for a missing file, kInvalidArgument for a file that is not a capture, an
// unsupported link type or a filter that does not compile, kPermissionDenied when the interface
// may not be opened (capturing needs root or CAP_NET_RAW), kUnavailable for other libpcap
// failures. Every message names the file or interface.

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "sensor/capture/packet_source.h"

namespace vigil::sensor {

Result<std::unique_ptr<PacketSource>> OpenCaptureFile(const std::string& path,
                                                      std::string_view bpf_filter = {});

struct LiveOptions {
  std::string bpf_filter;
  int snap_length = 65535;
  bool promiscuous = true;
  int buffer_bytes = 32 * 1024 * 1024;  // The kernel ring: bigger drops less under bursts.
  int timeout_ms = 200;                 // How long Next() may wait before kTimeout.
};

Result<std::unique_ptr<PacketSource>> OpenInterface(const std::string& interface,
                                                    const LiveOptions& options = {});

}  // namespace vigil::sensor
