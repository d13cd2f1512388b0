#pragma once

// For tests of stream dissectors: replays a recorded conversation (chunks of bytes in the order
// they crossed the connection) the way the flow table delivers it: per direction, the bytes a
// dissector did not consume are offered again with the next ones, a direction that buffers
// kMaxBuffered bytes without progress is no longer fed, and a Finished() dissector is fed no
// more. Header-only, used by the dissectors' tests and fuzz targets; not by the pipeline.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "sensor/dissect/dissector.h"
#include "sensor/dissect/sink.h"

namespace vigil::sensor {

struct StreamChunk {
  Direction direction = Direction::kClientToServer;
  std::vector<std::uint8_t> bytes;
};

inline StreamChunk MakeChunk(Direction direction, std::string_view bytes) {
  return {.direction = direction, .bytes = {bytes.begin(), bytes.end()}};
}

class StreamFeeder {
 public:
  StreamFeeder(StreamDissector& dissector, FlowView flow, Sink& sink)
      : dissector_(dissector), flow_(std::move(flow)), sink_(sink) {}

  // Delivers `bytes` of `direction` as one segment.
  void Deliver(Direction direction, std::span<const std::uint8_t> bytes,
               std::int64_t time_unix_nanos = 1) {
    auto& buffer = buffers_[static_cast<std::size_t>(direction)];
    auto& stalled = stalled_[static_cast<std::size_t>(direction)];
    if (stalled || dissector_.Finished()) return;
    buffer.insert(buffer.end(), bytes.begin(), bytes.end());
    const std::size_t consumed =
        dissector_.OnData(direction, buffer, time_unix_nanos, flow_, sink_);
    buffer.erase(buffer.begin(),
                 buffer.begin() + static_cast<std::ptrdiff_t>(std::min(consumed, buffer.size())));
    if (consumed == 0 && buffer.size() >= StreamDissector::kMaxBuffered) stalled = true;
  }

  // Bytes of `direction` were lost: the buffer is dropped and the dissector told.
  void Gap(Direction direction) {
    buffers_[static_cast<std::size_t>(direction)].clear();
    if (!dissector_.Finished()) dissector_.OnGap(direction);
  }

 private:
  StreamDissector& dissector_;
  FlowView flow_;
  Sink& sink_;
  std::array<std::vector<std::uint8_t>, 2> buffers_;
  std::array<bool, 2> stalled_ = {false, false};
};

// Replays `chunks` in segments of at most `piece` bytes (0: each chunk whole).
inline void FeedInPieces(StreamDissector& dissector, const FlowView& flow,
                         const std::vector<StreamChunk>& chunks, std::size_t piece, Sink& sink) {
  StreamFeeder feeder(dissector, flow, sink);
  for (const auto& chunk : chunks) {
    std::span<const std::uint8_t> rest = chunk.bytes;
    while (!rest.empty()) {
      const std::size_t n = piece == 0 ? rest.size() : std::min(piece, rest.size());
      feeder.Deliver(chunk.direction, rest.first(n));
      rest = rest.subspan(n);
    }
  }
}

// Replays `chunks` whole, except that the chunk holding byte `offset` of the whole conversation
// is cut in two there.
inline void FeedSplitAt(StreamDissector& dissector, const FlowView& flow,
                        const std::vector<StreamChunk>& chunks, std::size_t offset, Sink& sink) {
  StreamFeeder feeder(dissector, flow, sink);
  for (const auto& chunk : chunks) {
    const std::span<const std::uint8_t> bytes = chunk.bytes;
    if (offset > 0 && offset < bytes.size()) {
      feeder.Deliver(chunk.direction, bytes.first(offset));
      feeder.Deliver(chunk.direction, bytes.subspan(offset));
    } else {
      feeder.Deliver(chunk.direction, bytes);
    }
    offset = offset >= bytes.size() ? offset - bytes.size() : 0;
  }
}

// For fuzz targets: byte 0 of `input` picks where the rest is split into the client's and the
// server's bytes, and the size of the pieces they are delivered in, alternating directions;
// one value of it also puts a gap in the client's direction.
inline void FeedFuzzInput(StreamDissector& dissector, std::span<const std::uint8_t> input,
                          Sink& sink) {
  if (input.empty()) return;
  const std::size_t split = 1 + (input.size() - 1) * input[0] / 255;
  const std::size_t piece = 1 + input[0] % 97;
  const std::span<const std::uint8_t> client = input.subspan(1, split - 1);
  const std::span<const std::uint8_t> server = input.subspan(split);
  StreamFeeder feeder(dissector, FlowView{}, sink);
  for (std::size_t at = 0; at < client.size() || at < server.size(); at += piece) {
    if (at < client.size()) {
      feeder.Deliver(Direction::kClientToServer,
                     client.subspan(at, std::min(piece, client.size() - at)));
    }
    if (at < server.size()) {
      feeder.Deliver(Direction::kServerToClient,
                     server.subspan(at, std::min(piece, server.size() - at)));
    }
    if (input[0] == 0x42 && at == piece) feeder.Gap(Direction::kClientToServer);
  }
}

inline std::size_t ConversationSize(const std::vector<StreamChunk>& chunks) {
  std::size_t size = 0;
  for (const auto& chunk : chunks) size += chunk.bytes.size();
  return size;
}

}  // namespace vigil::sensor
