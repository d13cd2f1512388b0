// Frames of arbitrary bytes through the whole pipeline with every dissector: the input is split
// into frames at 0xFE 0xFE markers (so one input carries a conversation), the first byte picks
// the link type, and each frame's time advances by a second so timeouts fire.
#include <cstddef>
#include <cstdint>
#include <span>

#include "sensor/pipeline/pipeline.h"
#include "sensor/pipeline/registry.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::sensor;
  if (size == 0) return 0;
  auto link = static_cast<LinkType>(data[0] % 6);
  CollectingSink sink;
  PipelineOptions options;
  options.flows.max_flows = 8;
  Pipeline pipeline(options, AllDissectors(), sink);
  std::span<const std::uint8_t> rest(data + 1, size - 1);
  std::int64_t time = 0;
  while (!rest.empty()) {
    std::size_t end = 0;
    while (end + 1 < rest.size() && !(rest[end] == 0xFE && rest[end + 1] == 0xFE)) ++end;
    if (end + 1 >= rest.size()) end = rest.size();
    auto frame = rest.first(end);
    time += 1'000'000'000;
    pipeline.HandleFrame(link, frame, static_cast<std::uint32_t>(frame.size()), time);
    rest = rest.subspan(end + 2 <= rest.size() ? end + 2 : rest.size());
  }
  pipeline.Finish();
  return 0;
}
