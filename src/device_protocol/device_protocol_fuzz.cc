// Fuzz target: every device_protocol parser on arbitrary bytes. What one accepts must write
// back and parse again to the same value, and every refusal is kInvalidArgument.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/check.h"
#include "device_protocol/messages.h"

namespace {

using namespace vigil::device_protocol;  // NOLINT: a fuzz target's own file.

// Small limits so that the fuzzer reaches them.
constexpr Limits kLimits{.max_points = 8,
                         .max_events = 8,
                         .max_name = 16,
                         .max_text = 64,
                         .max_attributes = 4,
                         .max_csr = 256};

template <typename T>
void CheckRefusal(const vigil::Result<T>& result) {
  VIGIL_CHECK(result || result.error().code == vigil::ErrorCode::kInvalidArgument ||
                  result.error().code == vigil::ErrorCode::kResourceExhausted,
              "a parser failed with an unexpected code");
}

template <typename T, typename Parse, typename Write>
void RoundTrip(const vigil::Result<T>& first, Parse parse, Write write) {
  CheckRefusal(first);
  if (!first) return;
  const auto again = parse(write(*first));
  VIGIL_CHECK(again, "a parser refused what the writer made of its own output");
  VIGIL_CHECK(*again == *first, "write then parse changed the value");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  const auto with_limits = [](auto parse) {
    return [parse](std::string_view text) { return parse(text, kLimits); };
  };

  RoundTrip(ParseEnrollRequest(json, kLimits), with_limits(ParseEnrollRequest), WriteEnrollRequest);
  RoundTrip(ParseRenewRequest(json, kLimits), with_limits(ParseRenewRequest),
            [](const std::string& csr) { return WriteRenewRequest(csr); });
  RoundTrip(ParseHeartbeat(json, kLimits), with_limits(ParseHeartbeat), WriteHeartbeat);
  RoundTrip(ParseTelemetry(json, kLimits), with_limits(ParseTelemetry),
            [](const auto& points) { return WriteTelemetry(points); });
  RoundTrip(ParseEvents(json, kLimits), with_limits(ParseEvents),
            [](const auto& events) { return WriteEvents(events); });
  RoundTrip(ParseConfig(json), ParseConfig, WriteConfig);
  RoundTrip(ParseEnrolled(json), ParseEnrolled, WriteEnrolled);
  RoundTrip(ParseHeartbeatAnswer(json), ParseHeartbeatAnswer, WriteHeartbeatAnswer);
  RoundTrip(ParseAccepted(json), ParseAccepted, WriteAccepted);
  RoundTrip(ParseErrorAnswer(json), ParseErrorAnswer,
            [](const ErrorAnswer& e) { return WriteErrorAnswer(e.code, e.message); });
  return 0;
}
