#pragma once

// The three shapes of dissector and the descriptor the pipeline chooses them by.
//
// - A link dissector reads one frame's layer 2 payload (LLDP, CDP).
// - A datagram dissector reads one UDP payload at a time (DHCP, DNS, SSDP...).
// - A stream dissector reads the in-order bytes of a TCP connection, both directions, keeping
//   its own state per connection (HL7 over MLLP, DICOM, TLS, HTTP...).
//
// The pipeline picks a dissector for a flow by asking each descriptor's probe() about the flow's
// first payload (payload signature first, ports only as a hint), in the order of the registry
// table (sensor/pipeline/registry.cc), and keeps the answer for the flow's life.
//
// Dissectors are pure: no I/O, no clock, no allocation that input can make unbounded (each
// bounds what it keeps). Hostile bytes are data: a dissector never crashes, never reads outside
// its span, and counts what it could not parse through Sink-independent return values, not
// exceptions. They run on the sensor's packet thread only.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "model/observation.h"
#include "sensor/decode/packet.h"
#include "sensor/dissect/sink.h"

namespace vigil::sensor {

enum class Direction : std::uint8_t { kClientToServer, kServerToClient };

// What a stream dissector knows about its connection. client is the side that opened it.
struct FlowView {
  model::Endpoint client;
  model::Endpoint server;
  std::uint16_t vlan = 0;
};

class StreamDissector {
 public:
  // The flow keeps at most this many unconsumed bytes per direction for its dissector.
  static constexpr std::size_t kMaxBuffered = 64 * 1024;

  virtual ~StreamDissector() = default;

  // `data` is the unconsumed in-order bytes of direction `dir`: what an earlier call left, then
  // what has arrived since. Returns how many bytes from its front are consumed (at most
  // data.size()); the flow keeps the rest and offers it again with the next segment. If the
  // buffer reaches kMaxBuffered without progress the flow stops feeding this dissector.
  virtual std::size_t OnData(Direction dir, std::span<const std::uint8_t> data,
                             std::int64_t time_unix_nanos, const FlowView& flow, Sink& sink) = 0;

  // Bytes of direction `dir` were lost (a gap in the sequence space). The buffered remainder is
  // dropped before this call; the dissector resynchronises on the next message or gives up.
  virtual void OnGap(Direction dir) { (void)dir; }

  // The connection ended (closed, timed out, evicted or the capture ended) before Finished():
  // the last chance to report what was counted. Called at most once, after the last OnData.
  virtual void OnEnd(std::int64_t time_unix_nanos, const FlowView& flow, Sink& sink) {
    (void)time_unix_nanos;
    (void)flow;
    (void)sink;
  }

  // True when the dissector needs no more bytes (it has what it wants, or gave up): the flow then
  // stops buffering and dissecting this connection. The application label stays.
  virtual bool Finished() const = 0;
};

// What probe() may look at besides the payload.
struct ProbeContext {
  Direction direction = Direction::kClientToServer;
  std::uint16_t client_port = 0;
  std::uint16_t server_port = 0;
  const Packet* packet = nullptr;  // The packet carrying the payload.
};

enum class Transport : std::uint8_t { kLink, kUdp, kTcp };

struct DissectorInfo {
  std::string_view name;  // "dhcp": the observation's protocol and the flow's application.
  Transport transport = Transport::kUdp;
  // Whether `payload` (the first payload of a flow, either direction; for link dissectors the
  // frame's layer 2 payload) belongs to this protocol. Must be cheap and never read outside.
  bool (*probe)(std::span<const std::uint8_t> payload, const ProbeContext& context) = nullptr;
  // kUdp and kLink: dissects one packet (packet.payload) into observations and findings.
  void (*dissect_packet)(const Packet& packet, Sink& sink) = nullptr;
  // kTcp: a fresh per-connection dissector.
  std::unique_ptr<StreamDissector> (*make_stream)() = nullptr;
};

}  // namespace vigil::sensor
