#pragma once

// PacketSource: where the sensor's frames come from, a capture file or a live interface
// (pcap_source.h, the only user of libpcap). Frames are read one at a time; the span stays valid
// until the next call. Not thread-safe, except Stop(), which any thread (or a signal handler's
// flag watcher) may call to end a blocking read.

#include <cstdint>
#include <span>
#include <string>

#include "core/result.h"
#include "sensor/decode/packet.h"

namespace vigil::sensor {

struct Frame {
  std::int64_t time_unix_nanos = 0;
  std::uint32_t wire_length = 0;
  std::span<const std::uint8_t> bytes;  // The captured bytes (at most the snap length).
};

struct CaptureStats {
  std::uint64_t received = 0;           // Frames handed to the sensor.
  std::uint64_t kernel_dropped = 0;     // Live only: dropped for lack of buffer space.
  std::uint64_t interface_dropped = 0;  // Live only: dropped by the interface or its driver.
};

class PacketSource {
 public:
  enum class Read { kFrame, kTimeout, kEnd };

  virtual ~PacketSource() = default;
  // kFrame and fills `frame`; kTimeout when a live capture saw nothing for a while (so the
  // caller may check for a stop or flush); kEnd at the end of a file or after Stop(). An
  // unreadable file or a failing interface is an error.
  virtual Result<Read> Next(Frame& frame) = 0;
  virtual LinkType link_type() const = 0;
  virtual CaptureStats stats() const = 0;
  virtual void Stop() = 0;
  virtual std::string name() const = 0;  // The file or interface, for messages.
};

}  // namespace vigil::sensor
