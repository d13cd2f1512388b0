#include "sensor/uplink/uplink_sink.h"

#include <gtest/gtest.h>

#include <atomic>

#include "device_protocol/sensor_records.h"

namespace vigil::sensor {
namespace {

using std::chrono::milliseconds;

// A gateway in memory: answers each request with the next status of `script` (then 200),
// and keeps the bodies it accepted. Shared by every client the factory makes.
struct FakeGateway {
  std::mutex mu;
  std::vector<int> script;  // Statuses to answer first; -1: a transport error.
  std::vector<std::pair<std::string, std::string>> accepted;  // Path, body.
  int requests = 0;
  std::atomic<bool> down{false};  // Every request fails while set.
};

class FakeClient : public net::HttpClient {
 public:
  explicit FakeClient(FakeGateway& gateway) : gateway_(gateway) {}
  Result<net::HttpResponse> Request(std::string_view, std::string_view path, std::string_view body,
                                    std::string_view) override {
    std::lock_guard lock(gateway_.mu);
    ++gateway_.requests;
    if (gateway_.down) return MakeError(ErrorCode::kUnavailable, "connection refused");
    int status = 200;
    if (!gateway_.script.empty()) {
      status = gateway_.script.front();
      gateway_.script.erase(gateway_.script.begin());
    }
    if (status < 0) return MakeError(ErrorCode::kUnavailable, "connection reset");
    if (status == 200) gateway_.accepted.emplace_back(std::string(path), std::string(body));
    return net::HttpResponse{.status = status, .body = "{}"};
  }

 private:
  FakeGateway& gateway_;
};

UplinkOptions Fast() {
  return {.max_records = 3,
          .max_delay = milliseconds(20),
          .backoff_base = milliseconds(1),
          .backoff_cap = milliseconds(5),
          .drain_timeout = milliseconds(5000)};
}

UplinkClientFactory FactoryFor(FakeGateway& gateway) {
  return [&gateway]() -> Result<std::unique_ptr<net::HttpClient>> {
    return std::make_unique<FakeClient>(gateway);
  };
}

model::Observation Obs(int i) {
  return {.time_unix_nanos = i * 1'000'000'000LL,
          .protocol = "dhcp",
          .subject = {.ip = IpAddress::V4(static_cast<std::uint32_t>(0x0a000000 + i))},
          .facts = {{"dhcp.hostname", "pump-" + std::to_string(i)}}};
}

model::FlowRecord Flow(int i) {
  return {.start_unix_nanos = i * 1'000'000'000LL,
          .end_unix_nanos = i * 1'000'000'000LL,
          .ip_protocol = 17,
          .client = {.ip = IpAddress::V4(0x0a000001), .port = static_cast<std::uint16_t>(i)},
          .server = {.ip = IpAddress::V4(0x0a000002), .port = 53}};
}

TEST(UplinkSink, SendsBatchesByCountAndTheRestAtClose) {
  FakeGateway gateway;
  UplinkSink sink(Fast(), FactoryFor(gateway));

  for (int i = 0; i < 7; ++i) sink.Observe(Obs(i));
  sink.Report({.kind = "k", .protocol = "p"});
  for (int i = 0; i < 2; ++i) sink.Record(Flow(i));
  sink.Close();

  const UplinkStats stats = sink.stats();
  EXPECT_EQ(stats.sent, 10u);
  EXPECT_EQ(stats.dropped, 0u);
  std::size_t observations = 0, findings = 0, flows = 0;
  for (const auto& [path, body] : gateway.accepted) {
    if (path == "/v1/flows") {
      auto parsed = device_protocol::ParseFlowsBody(body);
      ASSERT_TRUE(parsed) << parsed.error().message;
      flows += parsed->size();
    } else {
      auto parsed = device_protocol::ParseObservationsBody(body);
      ASSERT_TRUE(parsed) << parsed.error().message;
      EXPECT_LE(parsed->observations.size() + parsed->findings.size(), 3u);
      observations += parsed->observations.size();
      findings += parsed->findings.size();
    }
  }
  EXPECT_EQ(observations, 7u);
  EXPECT_EQ(findings, 1u);
  EXPECT_EQ(flows, 2u);
}

TEST(UplinkSink, SendsAQuietBatchAfterTheDelay) {
  FakeGateway gateway;
  UplinkSink sink(Fast(), FactoryFor(gateway));

  sink.Observe(Obs(1));
  for (int i = 0; i < 200 && sink.stats().sent == 0; ++i) {
    std::this_thread::sleep_for(milliseconds(10));
  }

  EXPECT_EQ(sink.stats().sent, 1u);
  sink.Close();
}

TEST(UplinkSink, RetriesTransportErrorsAnd503InOrder) {
  FakeGateway gateway;
  gateway.script = {-1, 503, 429};
  UplinkSink sink(Fast(), FactoryFor(gateway));

  for (int i = 0; i < 6; ++i) sink.Observe(Obs(i));
  sink.Close();

  const UplinkStats stats = sink.stats();
  EXPECT_EQ(stats.sent, 6u);
  EXPECT_EQ(stats.retries, 3u);
  ASSERT_EQ(gateway.accepted.size(), 2u);
  auto first = device_protocol::ParseObservationsBody(gateway.accepted[0].second);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->observations[0], Obs(0));
}

TEST(UplinkSink, CountsARefusedBatchAndGoesOn) {
  FakeGateway gateway;
  gateway.script = {400};
  std::vector<std::string> logged;
  UplinkOptions options = Fast();
  options.log = [&](const std::string& line) { logged.push_back(line); };
  UplinkSink sink(options, FactoryFor(gateway));

  for (int i = 0; i < 6; ++i) sink.Observe(Obs(i));
  sink.Close();

  EXPECT_EQ(sink.stats().refused, 3u);
  EXPECT_EQ(sink.stats().sent, 3u);
  ASSERT_FALSE(logged.empty());
  EXPECT_NE(logged[0].find("refused a batch of 3 records (400)"), std::string::npos);
}

TEST(UplinkSink, DropsTheOldestWhenTheQueueIsFullAndCountsThem) {
  FakeGateway gateway;
  gateway.down = true;
  UplinkOptions options = Fast();
  options.max_records = 1;
  options.max_queue_bytes = 1000;  // A few single-record bodies.
  options.drain_timeout = milliseconds(50);
  UplinkSink sink(options, FactoryFor(gateway));

  for (int i = 0; i < 50; ++i) sink.Observe(Obs(i));
  sink.Close();

  const UplinkStats stats = sink.stats();
  EXPECT_EQ(stats.sent, 0u);
  EXPECT_EQ(stats.dropped, 50u);
  EXPECT_GT(stats.retries, 0u);
}

TEST(UplinkSink, KeepsBodiesUnderTheByteLimit) {
  FakeGateway gateway;
  UplinkOptions options = Fast();
  options.max_records = 1000;
  options.max_body_bytes = 2000;
  UplinkSink sink(options, FactoryFor(gateway));

  for (int i = 0; i < 100; ++i) sink.Observe(Obs(i));
  sink.Close();

  EXPECT_EQ(sink.stats().sent, 100u);
  EXPECT_GT(gateway.accepted.size(), 3u);
  for (const auto& [path, body] : gateway.accepted) EXPECT_LE(body.size(), 2000u);
}

TEST(UplinkSink, RunsTheUpkeepBeforeTheFirstSendAndMakesANewClientWhenItSaysSo) {
  FakeGateway gateway;
  int made = 0;
  std::vector<int> upkeep_saw;  // Which client (by creation order) each upkeep ran on.
  UplinkOptions options = Fast();
  options.maintain_every = std::chrono::hours(1);
  options.maintain = [&](net::HttpClient&) {
    upkeep_saw.push_back(made);
    return true;  // As after a renewal: new credentials.
  };
  UplinkSink sink(options, [&]() -> Result<std::unique_ptr<net::HttpClient>> {
    ++made;
    return std::make_unique<FakeClient>(gateway);
  });

  for (int i = 0; i < 7; ++i) sink.Observe(Obs(i));
  sink.Close();

  EXPECT_EQ(upkeep_saw, std::vector<int>{1}) << "once within maintain_every, on the first client";
  EXPECT_EQ(made, 2) << "the client is made anew after the upkeep changed the credentials";
  EXPECT_EQ(sink.stats().sent, 7u);
}

TEST(UplinkSink, RunsTheUpkeepAgainOnceItIsDue) {
  FakeGateway gateway;
  std::atomic<int> upkeeps{0};
  UplinkOptions options = Fast();
  options.maintain_every = milliseconds(0);
  options.maintain = [&](net::HttpClient&) {
    ++upkeeps;
    return false;
  };
  UplinkSink sink(options, FactoryFor(gateway));

  for (int i = 0; i < 9; ++i) sink.Observe(Obs(i));
  sink.Close();

  EXPECT_EQ(upkeeps.load(), 3) << "one per send: three batches of three";
  EXPECT_EQ(sink.stats().batches, 3u);
}

}  // namespace
}  // namespace vigil::sensor
