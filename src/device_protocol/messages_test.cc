#include "device_protocol/messages.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <thread>

namespace vigil::device_protocol {
namespace {

constexpr std::int64_t kT = 1'764'351'960'123'456'789;  // 2025-11-28T17:46:00.123456789Z
constexpr char kCsr[] =
    "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";

TEST(EnrollRequest, RoundTrips) {
  const EnrollRequest request{.token = "vgle_abc123", .csr_pem = kCsr};

  const auto parsed = ParseEnrollRequest(WriteEnrollRequest(request), Limits{});

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, request);
}

TEST(RenewRequest, RoundTrips) {
  const auto parsed = ParseRenewRequest(WriteRenewRequest(kCsr), Limits{});

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, kCsr);
}

TEST(Enrolled, RoundTripsInWholeSeconds) {
  const Enrolled enrolled{.device_id = "0123456789abcdef0123456789abcdef",
                          .certificate_pem = "-----BEGIN CERTIFICATE-----\nA\n",
                          .ca_chain_pem = "-----BEGIN CERTIFICATE-----\nB\n",
                          .not_after_unix = 1'795'887'960};

  const std::string json = WriteEnrolled(enrolled);
  const auto parsed = ParseEnrolled(json);

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, enrolled);
  EXPECT_NE(json.find(R"("not_after":"2026-11-28T17:46:00Z")"), std::string::npos) << json;
}

TEST(Enrolled, RoundsAFractionalNotAfterDown) {
  const auto parsed = ParseEnrolled(
      R"({"device_id":"0123456789abcdef0123456789abcdef","certificate":"c","ca_chain":"r",)"
      R"("not_after":"1969-12-31T23:59:59.5Z"})");

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->not_after_unix, -1);
}

TEST(Heartbeat, RoundTripsEveryField) {
  const model::Heartbeat heartbeat{.time_unix_nanos = kT,
                                   .firmware_version = "2.1.0",
                                   .agent_version = "0.1.0",
                                   .uptime_seconds = 3600,
                                   .state = "in_use",
                                   .spool_dropped = 7};

  const auto parsed = ParseHeartbeat(WriteHeartbeat(heartbeat), Limits{});

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, heartbeat);
}

TEST(Heartbeat, LeavesOutWhatWasNotReported) {
  const model::Heartbeat heartbeat;

  const std::string json = WriteHeartbeat(heartbeat);

  EXPECT_EQ(json, R"({"spool_dropped":0})");
  EXPECT_EQ(*ParseHeartbeat(json, Limits{}), heartbeat);
}

TEST(Heartbeat, AcceptsAnEmptyObject) {
  const auto parsed = ParseHeartbeat("{}", Limits{});

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, model::Heartbeat{});
}

TEST(Heartbeat, IgnoresUnknownFieldsOfAnyShape) {
  const auto parsed = ParseHeartbeat(
      R"({"battery":{"percent":[1,2,{"x":null}]},"state":"idle","future":true})", Limits{});

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->state, "idle");
}

TEST(Heartbeat, ReadsTimesWithAnOffset) {
  const auto parsed = ParseHeartbeat(R"({"time":"2023-11-14T23:13:20.5+01:00"})", Limits{});

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->time_unix_nanos, 1'700'000'000'500'000'000);
}

TEST(HeartbeatAnswer, RoundTrips) {
  const HeartbeatAnswer answer{.renew = true, .quarantined = false};

  const std::string json = WriteHeartbeatAnswer(answer);

  EXPECT_EQ(json, R"({"status":"ok","renew":true,"quarantined":false})");
  EXPECT_EQ(*ParseHeartbeatAnswer(json), answer);
}

TEST(Telemetry, RoundTripsPoints) {
  const std::vector<model::MetricPoint> points = {
      {.name = "cpu.percent", .value = 12.5, .unit = "%", .time_unix_nanos = kT},
      {.name = "temp/inlet:c",
       .value = -0.1,
       .unit = "\xc2\xb0"
               "C",
       .time_unix_nanos = -5},
      {.name = "pump.occlusion_alarms", .value = 3, .unit = "", .time_unix_nanos = 0},
      {.name = "tiny", .value = 5e-324, .unit = "", .time_unix_nanos = 1'000'000},
      {.name = "huge", .value = 1.7976931348623157e308, .unit = "", .time_unix_nanos = 1000}};

  const auto parsed = ParseTelemetry(WriteTelemetry(points), Limits{});

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, points);
}

TEST(Telemetry, WriterLeavesOutNonFiniteValues) {
  const std::vector<model::MetricPoint> points = {
      {.name = "a", .value = std::nan(""), .unit = "", .time_unix_nanos = kT},
      {.name = "b", .value = 1, .unit = "", .time_unix_nanos = kT},
      {.name = "c",
       .value = std::numeric_limits<double>::infinity(),
       .unit = "",
       .time_unix_nanos = kT}};

  const auto parsed = ParseTelemetry(WriteTelemetry(points), Limits{});

  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].name, "b");
}

TEST(Telemetry, AcceptsAnEmptyBatchAndIntegerValues) {
  EXPECT_TRUE(ParseTelemetry(R"({"points":[]})", Limits{})->empty());
  const auto parsed = ParseTelemetry(
      R"({"points":[{"name":"n","value":18446744073709551615,"time":"2026-01-31T12:00:00Z"}]})",
      Limits{});
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ((*parsed)[0].value, 18446744073709551615.0);
}

TEST(Telemetry, TakesExactlyTheLimit) {
  std::vector<model::MetricPoint> points(
      3, {.name = "x", .value = 1, .unit = "", .time_unix_nanos = kT});

  EXPECT_TRUE(ParseTelemetry(WriteTelemetry(points), Limits{.max_points = 3}));
  EXPECT_EQ(ParseTelemetry(WriteTelemetry(points), Limits{.max_points = 2}).error().message,
            "telemetry: points: more than 2 points");
}

TEST(Events, RoundTrip) {
  const std::vector<model::DeviceEvent> events = {
      {.time_unix_nanos = kT,
       .kind = "security",
       .severity = model::EventSeverity::kWarning,
       .message = "login failed for \"admin\"\n\tfrom 10.0.0.5 \xe2\x9c\x93",
       .attributes = {{"user", "admin"}, {"source", "ssh"}}},
      {.time_unix_nanos = 1,
       .kind = "log",
       .severity = model::EventSeverity::kCritical,
       .message = "",
       .attributes = {}}};

  const auto parsed = ParseEvents(WriteEvents(events), Limits{});

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, events);
}

TEST(Events, EverySeverityRoundTrips) {
  for (int s = 0; s <= static_cast<int>(model::EventSeverity::kCritical); ++s) {
    const model::DeviceEvent event{.time_unix_nanos = kT,
                                   .kind = "log",
                                   .severity = static_cast<model::EventSeverity>(s),
                                   .message = "m",
                                   .attributes = {}};

    const auto parsed = ParseEvents(WriteEvents({&event, 1}), Limits{});

    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ((*parsed)[0].severity, event.severity);
  }
}

TEST(Config, RoundTrips) {
  const model::DeviceConfig config{.heartbeat_seconds = 30,
                                   .telemetry_seconds = 120,
                                   .metrics = {"cpu", "memory", "disk"},
                                   .max_batch_points = 250,
                                   .renew_when_remaining = 1.0 / 3.0};

  const auto parsed = ParseConfig(WriteConfig(config));

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, config);
}

TEST(Config, AbsentFieldsKeepTheDefaults) {
  const auto parsed = ParseConfig(R"({"heartbeat_seconds":15})");

  ASSERT_TRUE(parsed) << parsed.error().message;
  model::DeviceConfig expected;
  expected.heartbeat_seconds = 15;
  EXPECT_EQ(*parsed, expected);
}

TEST(Accepted, RoundTrips) {
  const std::string json = WriteAccepted(42);

  EXPECT_EQ(json, R"({"status":"ok","accepted":42})");
  EXPECT_EQ(*ParseAccepted(json), 42u);
}

TEST(ErrorAnswer, MatchesHttpJsonErrorAndRoundTrips) {
  const std::string json =
      WriteErrorAnswer("invalid_argument", "points[2].value: expected a \"number\"");

  EXPECT_EQ(
      json,
      R"({"error":{"code":"invalid_argument","message":"points[2].value: expected a \"number\""}})");
  const auto parsed = ParseErrorAnswer(json);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->code, "invalid_argument");
  EXPECT_EQ(parsed->message, "points[2].value: expected a \"number\"");
}

TEST(Parsers, RefuseBodiesNestedDeeperThan16) {
  const std::string deep = R"({"x":)" + std::string(16, '[') + std::string(16, ']') + "}";
  const std::string ok = R"({"x":)" + std::string(15, '[') + std::string(15, ']') + "}";

  EXPECT_TRUE(ParseHeartbeat(ok, Limits{}));
  EXPECT_EQ(ParseHeartbeat(deep, Limits{}).error().message,
            "heartbeat: nested deeper than 16 levels");
}

TEST(Parsers, RefuseARepeatedKeySpelledWithAnEscape) {
  const auto parsed = ParseHeartbeat(R"({"state":"idle","st\u0061te":"in_use"})", Limits{});

  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message, "heartbeat: field \"state\" appears twice");
}

TEST(Parsers, RefuseARepeatedKeyAmongManyUnknownOnes) {
  std::string json = "{";
  for (int i = 0; i < 40; ++i) json += "\"k" + std::to_string(i) + "\":0,";
  json += R"("k7":1})";

  EXPECT_EQ(ParseHeartbeat(json, Limits{}).error().message,
            "heartbeat: field \"k7\" appears twice");
}

TEST(Parsers, ReadALargeBodyAndThenASmallOne) {
  std::vector<model::MetricPoint> points(
      20'000, {.name = "cpu.percent", .value = 1.5, .unit = "%", .time_unix_nanos = kT});
  const std::string big = WriteTelemetry(points);
  ASSERT_GT(big.size(), std::size_t{1} << 20);

  const auto parsed = ParseTelemetry(big, Limits{.max_points = 20'000});
  const auto small = ParseHeartbeat(R"({"x":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]})", Limits{});

  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->size(), 20'000u);
  ASSERT_FALSE(small);  // The depth limit survives the parser's release and reallocation.
  EXPECT_EQ(small.error().message, "heartbeat: nested deeper than 16 levels");
}

TEST(Parsers, WorkOnSeveralThreadsAtOnce) {
  const std::string json = WriteHeartbeat({.time_unix_nanos = kT,
                                           .firmware_version = "1",
                                           .agent_version = "2",
                                           .uptime_seconds = 3,
                                           .state = "idle",
                                           .spool_dropped = 0});
  std::atomic<int> good{0};

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) good += ParseHeartbeat(json, Limits{}) ? 1 : 0;
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(good.load(), 2000);
}

}  // namespace
}  // namespace vigil::device_protocol
