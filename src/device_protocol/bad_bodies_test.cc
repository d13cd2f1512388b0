// Bodies every parser must refuse, with the message it gives.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "device_protocol/messages.h"

namespace vigil::device_protocol {
namespace {

struct BadBody {
  std::string_view parser;
  std::string body;
  std::string_view message;
};

// A point or event with one field replaced or added; `fields` ends without a comma.
std::string Point(std::string_view fields) {
  return R"({"points":[{"name":"a","value":1,"time":"2026-01-31T12:00:00Z"},{)" +
         std::string(fields) + "}]}";
}
std::string Event(std::string_view fields) {
  return R"({"events":[{)" + std::string(fields) + "}]}";
}
constexpr std::string_view kTime = R"("time":"2026-01-31T12:00:00Z")";
constexpr std::string_view kPointRest = R"("time":"2026-01-31T12:00:00Z","value":1)";
std::string GoodEvent(std::string_view extra) {
  return Event(std::string(kTime) + R"(,"kind":"log","severity":"info","message":"m")" +
               std::string(extra));
}

Status ParseWith(std::string_view parser, std::string_view body) {
  const Limits limits{.max_points = 3,
                      .max_events = 2,
                      .max_name = 8,
                      .max_text = 16,
                      .max_attributes = 2,
                      .max_csr = 64};
  const auto status = [](const auto& result) -> Status {
    if (!result) return tl::unexpected(result.error());
    return OkStatus();
  };
  if (parser == "enroll") return status(ParseEnrollRequest(body, limits));
  if (parser == "renew") return status(ParseRenewRequest(body, limits));
  if (parser == "heartbeat") return status(ParseHeartbeat(body, limits));
  if (parser == "telemetry") return status(ParseTelemetry(body, limits));
  if (parser == "events") return status(ParseEvents(body, limits));
  if (parser == "config") return status(ParseConfig(body));
  if (parser == "enrolled") return status(ParseEnrolled(body));
  if (parser == "heartbeat answer") return status(ParseHeartbeatAnswer(body));
  if (parser == "accepted") return status(ParseAccepted(body));
  if (parser == "error answer") return status(ParseErrorAnswer(body));
  ADD_FAILURE() << "no parser " << parser;
  return OkStatus();
}

const BadBody kBadBodies[] = {
    // Not a JSON object at all.
    {"heartbeat", "", "heartbeat: empty body"},
    {"heartbeat", "   ", "heartbeat: empty body"},
    {"heartbeat", "[]", "heartbeat: expected an object"},
    {"heartbeat", "null", "heartbeat: expected an object"},
    {"heartbeat", "{} {}", "heartbeat: not valid json"},
    {"heartbeat", "{}x", "heartbeat: not valid json"},
    {"heartbeat", R"({"state":"idle",})", "heartbeat: not valid json"},
    {"heartbeat", R"({"state":"id)", "heartbeat: not valid json: malformed string"},
    {"heartbeat", "{\"state\":\"\xff\"}", "heartbeat: not valid json: invalid utf-8"},
    {"heartbeat", "{\"state\":\"a\x01\"}",
     "heartbeat: not valid json: unescaped control character in a string"},
    {"heartbeat", R"({"x":tru})", "heartbeat: not valid json: malformed literal"},
    {"heartbeat", R"({"x":NaN})", "heartbeat: not valid json"},
    {"heartbeat", R"({"x":1e400})", "heartbeat: not valid json: malformed or out-of-range number"},
    {"heartbeat", R"({"x":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]})",
     "heartbeat: nested deeper than 16 levels"},
    {"heartbeat", R"({"state":"a","state":"b"})", "heartbeat: field \"state\" appears twice"},
    // Known fields of the wrong type or out of range.
    {"heartbeat", R"({"uptime_seconds":"3600"})", "heartbeat: uptime_seconds: expected an integer"},
    {"heartbeat", R"({"uptime_seconds":3600.0})", "heartbeat: uptime_seconds: expected an integer"},
    {"heartbeat", R"({"uptime_seconds":null})", "heartbeat: uptime_seconds: expected an integer"},
    {"heartbeat", R"({"uptime_seconds":-1})", "heartbeat: uptime_seconds: must be at least 0"},
    {"heartbeat", R"({"spool_dropped":9223372036854775808})",
     "heartbeat: spool_dropped: must be at least 0"},
    {"heartbeat", R"({"state":7})", "heartbeat: state: expected a string"},
    {"heartbeat", R"({"state":"in_use_long"})", "heartbeat: state: longer than 8 bytes"},
    {"heartbeat", R"({"state":"a\nb"})", "heartbeat: state: control characters are not allowed"},
    {"heartbeat", R"({"time":1700000000})", "heartbeat: time: expected an rfc 3339 time string"},
    {"heartbeat", R"({"time":"yesterday"})", "heartbeat: time: expected an rfc 3339 time string"},
    {"heartbeat", R"({"time":"9999-01-01T00:00:00Z"})",
     "heartbeat: time: year outside 1678 to 2261"},
    {"heartbeat", R"({"time":"1678-01-01T00:00:00+01:00"})",
     "heartbeat: time: year outside 1678 to 2261"},
    {"heartbeat", R"({"time":"2261-12-31T23:30:00-01:00"})",
     "heartbeat: time: year outside 1678 to 2261"},
    {"heartbeat", R"({"time":"2026-02-30T00:00:00Z"})",
     "heartbeat: time: time '2026-02-30T00:00:00Z': no such date (expected RFC 3339, e.g. "
     "2026-01-31T12:00:00Z)"},
    // Enrolment.
    {"enroll", R"({"csr":"x"})", "enroll: token: missing"},
    {"enroll", R"({"token":"","csr":"x"})", "enroll: token: must not be empty"},
    {"enroll", R"({"token":"vgle_abcdef","csr":"x"})", "enroll: token: longer than 8 bytes"},
    {"enroll", R"({"token":"t"})", "enroll: csr: missing"},
    {"enroll", R"({"token":"t","csr":""})", "enroll: csr: must not be empty"},
    {"enroll", R"({"token":"t","csr":")" + std::string(65, 'A') + R"("})",
     "enroll: csr: longer than 64 bytes"},
    {"renew", R"({"csr":["x"]})", "renew: csr: expected a string"},
    {"enrolled", R"({"device_id":"0123456789ABCDEF0123456789ABCDEF"})",
     "enrolled: device_id: expected 32 lowercase hex digits"},
    {"enrolled", R"({"device_id":"0123456789abcdef0123456789abcdef","certificate":"c"})",
     "enrolled: ca_chain: missing"},
    {"enrolled",
     R"({"device_id":"0123456789abcdef0123456789abcdef","certificate":"c","ca_chain":"r"})",
     "enrolled: not_after: missing"},
    // Telemetry.
    {"telemetry", "{}", "telemetry: points: missing"},
    {"telemetry", R"({"points":{}})", "telemetry: points: expected an array"},
    {"telemetry", R"({"points":[1,2,3,4]})", "telemetry: points: more than 3 points"},
    {"telemetry", R"({"points":[1]})", "telemetry: points[0]: expected an object"},
    {"telemetry", Point(std::string(kPointRest)), "telemetry: points[1].name: missing"},
    {"telemetry", Point(R"("name":"",)" + std::string(kPointRest)),
     "telemetry: points[1].name: expected 1 to 8 characters of A-Z a-z 0-9 _ . : / -"},
    {"telemetry", Point(R"("name":"cpu percent",)" + std::string(kPointRest)),
     "telemetry: points[1].name: expected 1 to 8 characters of A-Z a-z 0-9 _ . : / -"},
    {"telemetry", Point(R"("name":"a","value":"1",)" + std::string(kTime)),
     "telemetry: points[1].value: expected a finite number"},
    {"telemetry", Point(R"("name":"a","value":null,)" + std::string(kTime)),
     "telemetry: points[1].value: expected a finite number"},
    {"telemetry", Point(R"("name":"a",)" + std::string(kTime)),
     "telemetry: points[1].value: missing"},
    {"telemetry", Point(R"("name":"a","value":1)"), "telemetry: points[1].time: missing"},
    {"telemetry",
     Point(R"("name":"a","unit":")" + std::string(33, 'b') + R"(",)" + std::string(kPointRest)),
     "telemetry: points[1].unit: longer than 32 bytes"},
    {"telemetry", Point(R"("name":"a","unit":"\t",)" + std::string(kPointRest)),
     "telemetry: points[1].unit: control characters are not allowed"},
    {"telemetry", Point(R"("name":"a","name":"b",)" + std::string(kPointRest)),
     "telemetry: points[1]: field \"name\" appears twice"},
    // Events.
    {"events", R"({"events":[1,2,3]})", "events: events: more than 2 events"},
    {"events", Event(R"("kind":"log")"), "events: events[0].time: missing"},
    {"events", Event(std::string(kTime) + R"(,"kind":"audit")"),
     "events: events[0].kind: expected security or log"},
    {"events", Event(std::string(kTime) + R"(,"kind":"log","severity":"fatal")"),
     "events: events[0].severity: expected one of debug, info, notice, warning, error, "
     "critical"},
    {"events", Event(std::string(kTime) + R"(,"kind":"log","severity":"info")"),
     "events: events[0].message: missing"},
    {"events", GoodEvent(R"(,"message":"again")"),
     "events: events[0]: field \"message\" appears twice"},
    {"events",
     Event(std::string(kTime) + R"(,"kind":"log","severity":"info","message":")" +
           std::string(17, 'm') + "\""),
     "events: events[0].message: longer than 16 bytes"},
    {"events", GoodEvent(R"(,"attributes":[])"),
     "events: events[0].attributes: expected an object"},
    {"events", GoodEvent(R"(,"attributes":{"a":"1","b":"2","c":"3"})"),
     "events: events[0].attributes: more than 2 attributes"},
    {"events", GoodEvent(R"(,"attributes":{"a":"1","a":"2"})"),
     "events: events[0].attributes: field \"a\" appears twice"},
    {"events", GoodEvent(R"(,"attributes":{"user":1})"),
     "events: events[0].attributes.user: expected a string"},
    {"events", GoodEvent(R"(,"attributes":{"bad key\u0001":"x"})"),
     "events: events[0].attributes: key \"bad key?\": expected 1 to 8 characters of A-Z a-z 0-9 "
     "_ . : / -"},
    // Answers.
    {"config", R"({"heartbeat_seconds":0})",
     "config: heartbeat_seconds: must be between 1 and 86400"},
    {"config", R"({"max_batch_points":1e3})", "config: max_batch_points: expected an integer"},
    {"config", R"({"renew_when_remaining":1})",
     "config: renew_when_remaining: must be between 0 and 1 (exclusive)"},
    {"config", R"({"metrics":["cpu",2]})", "config: metrics[1]: expected a string"},
    {"heartbeat answer", R"({"renew":"yes"})", "heartbeat answer: renew: expected true or false"},
    {"accepted", R"({"status":"ok"})", "accepted: accepted: missing"},
    {"accepted", R"({"accepted":-1})", "accepted: accepted: must be at least 0"},
    {"error answer", R"({"error":"bad"})", "error answer: error: expected an object"},
    {"error answer", R"({"error":{"message":"m"}})", "error answer: error.code: missing"},
};

TEST(BadBodies, EachIsRefusedWithItsMessage) {
  for (const BadBody& bad : kBadBodies) {
    SCOPED_TRACE(std::string(bad.parser) + " " + bad.body);

    const Status result = ParseWith(bad.parser, bad.body);

    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(result.error().message, bad.message);
  }
}

}  // namespace
}  // namespace vigil::device_protocol
