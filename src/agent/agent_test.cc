#include "agent/agent.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "agent/fake_gateway_test.h"
#include "agent/status.h"
#include "testing/fixtures.h"

namespace vigil::agent {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto state = StateDir::Open(dir_.path()).value();
    const auto enrolled = Enroll(state,
                                 {.server_url = "https://127.0.0.1:8444",
                                  .token = gateway_.token,
                                  .ca_fingerprint = gateway_.pin()},
                                 gateway_.Factory());
    ASSERT_TRUE(enrolled) << enrolled.error().message;
    gateway_.requests.clear();
  }

  std::unique_ptr<Agent> Make(AgentOptions options = {}) {
    options.state_dir = dir_.path();
    options.agent_version = "0.1.0";
    options.sync_spool = false;
    auto agent = Agent::Create(
        std::move(options),
        {.clock = &clock_, .uniform01 = [] { return 0.5; }, .make_client = gateway_.Factory()});
    EXPECT_TRUE(agent) << (agent ? "" : agent.error().message);
    return agent ? std::move(*agent) : nullptr;
  }

  bool HasPoint(std::string_view name) const {
    return std::any_of(gateway_.points.begin(), gateway_.points.end(),
                       [&](const model::MetricPoint& p) { return p.name == name; });
  }

  FakeClock clock_{std::chrono::system_clock::now()};
  test::FakeGateway gateway_{clock_};
  testing::TempDir dir_;
};

TEST_F(AgentTest, FirstCycleFetchesConfigAndSendsHeartbeatAndTelemetry) {
  auto agent = Make();

  const auto report = agent->RunCycle();

  EXPECT_TRUE(report.ok()) << FormatCycleReport(report);
  EXPECT_EQ(report.config, "ok");
  EXPECT_EQ(report.certificate, "ok");
  EXPECT_EQ(report.sent, 2);
  EXPECT_EQ(report.spool.records, 0u);
  EXPECT_EQ(gateway_.Paths(),
            (std::vector<std::string>{"/v1/config", "/v1/heartbeat", "/v1/telemetry"}));
  ASSERT_EQ(gateway_.heartbeats.size(), 1u);
  EXPECT_EQ(gateway_.heartbeats[0].agent_version, "0.1.0");
  EXPECT_GT(gateway_.heartbeats[0].uptime_seconds, 0);
  EXPECT_TRUE(HasPoint("memory.used_bytes"));
  EXPECT_TRUE(HasPoint("load.1m"));
  // Every request went over mutual TLS with the enrolled certificate.
  for (const auto& r : gateway_.requests) EXPECT_FALSE(r.tls.cert_chain_pem.empty());
}

TEST_F(AgentTest, FollowsTheIntervalsOfTheConfig) {
  gateway_.config = {.heartbeat_seconds = 30, .telemetry_seconds = 90, .metrics = {"memory"}};
  auto agent = Make();
  agent->RunCycle();

  clock_.Advance(seconds(31));
  const auto at_31 = agent->RunCycle();
  clock_.Advance(seconds(60));
  const auto at_91 = agent->RunCycle();

  EXPECT_EQ(at_31.heartbeats, 1);
  EXPECT_EQ(at_31.telemetry_batches, 0);
  EXPECT_EQ(at_91.telemetry_batches, 1);
  EXPECT_FALSE(HasPoint("load.1m"));  // Only the families the config names.
  EXPECT_TRUE(HasPoint("memory.used_bytes"));
}

TEST_F(AgentTest, SpoolsWhileTheGatewayIsDownAndSendsInOrderLater) {
  auto agent = Make();
  gateway_.down = true;

  const auto offline = agent->RunCycle();
  clock_.Advance(seconds(61));
  agent->RunCycle();
  gateway_.down = false;
  clock_.Advance(minutes(10));
  const auto back = agent->RunCycle();

  EXPECT_FALSE(offline.ok());
  EXPECT_NE(offline.send_error.find("Connection refused"), std::string::npos);
  EXPECT_EQ(offline.spool.records, 2u);
  EXPECT_TRUE(back.ok()) << FormatCycleReport(back);
  EXPECT_EQ(back.spool.records, 0u);
  // Oldest first: the first heartbeat, its telemetry, then the next cycles' records.
  const auto paths = gateway_.Paths();
  ASSERT_GE(paths.size(), 5u);
  EXPECT_EQ(paths[1], "/v1/heartbeat");
  EXPECT_EQ(paths[2], "/v1/telemetry");
  EXPECT_LT(gateway_.heartbeats[0].time_unix_nanos, gateway_.heartbeats[1].time_unix_nanos);
}

TEST_F(AgentTest, BacksOffInsteadOfRetryingAtOnce) {
  auto agent = Make();
  agent->RunCycle();
  gateway_.statuses = {503};
  clock_.Advance(seconds(60));
  agent->RunCycle();  // The heartbeat meets the 503.
  const auto tried = gateway_.requests.size();

  clock_.Advance(std::chrono::milliseconds(100));
  agent->RunCycle();

  EXPECT_EQ(gateway_.requests.size(), tried);  // Within the jittered delay: no request.
  EXPECT_GT(agent->NextWake(), clock_.Now());
  clock_.Advance(seconds(5));
  const auto later = agent->RunCycle();
  EXPECT_EQ(later.spool.records, 0u) << FormatCycleReport(later);
}

TEST_F(AgentTest, WaitsAtLeastTheRetryAfterOfA429) {
  auto agent = Make();
  agent->RunCycle();
  gateway_.statuses = {429};
  gateway_.retry_after = "30";
  clock_.Advance(seconds(60));
  agent->RunCycle();
  const auto tried = gateway_.requests.size();

  clock_.Advance(seconds(29));
  agent->RunCycle();
  const auto within = gateway_.requests.size();
  clock_.Advance(seconds(2));
  const auto after = agent->RunCycle();

  EXPECT_EQ(within, tried);
  EXPECT_EQ(after.spool.records, 0u) << FormatCycleReport(after);
}

TEST_F(AgentTest, DropsARecordTheGatewayRefusesAndGoesOn) {
  auto agent = Make();
  gateway_.statuses = {200, 400};  // The config passes; the heartbeat is refused.

  const auto report = agent->RunCycle();

  EXPECT_EQ(report.rejected, 1);
  EXPECT_EQ(report.sent, 1);  // The telemetry after it still went.
  EXPECT_EQ(report.spool.records, 0u);
  EXPECT_TRUE(report.send_error.empty());
  EXPECT_EQ(agent->RunCycle().spool.rejected_total, 1u);
}

TEST_F(AgentTest, RenewsWhenATHirdOfTheLifetimeIsLeft) {
  gateway_.lifetime_seconds = 90 * 24 * 3600;
  auto agent = Make();
  agent->RunCycle();
  const auto old_serial = agent->certificate().serial_hex;
  const auto old_cert = gateway_.issued.back();

  clock_.Advance(hours(24 * 61));
  const auto report = agent->RunCycle();

  EXPECT_EQ(report.certificate, "renewed");
  EXPECT_NE(agent->certificate().serial_hex, old_serial);
  EXPECT_EQ(gateway_.Count("/v1/renew"), 1);
  // The renewal went with the old certificate, everything after with the new one.
  const auto renew = std::find_if(gateway_.requests.begin(), gateway_.requests.end(),
                                  [](const auto& r) { return r.path == "/v1/renew"; });
  EXPECT_EQ(renew->tls.cert_chain_pem.find(old_cert), 0u);
  EXPECT_EQ(gateway_.requests.back().tls.cert_chain_pem.find(gateway_.issued.back()), 0u);
  EXPECT_TRUE(std::any_of(gateway_.events.begin(), gateway_.events.end(), [](const auto& e) {
    return e.message.find("certificate renewed") == 0;
  }));
}

TEST_F(AgentTest, RenewsWhenTheHeartbeatAnswerAsks) {
  auto agent = Make();
  gateway_.ask_renew = true;
  agent->RunCycle();
  gateway_.ask_renew = false;

  clock_.Advance(seconds(1));
  const auto report = agent->RunCycle();

  EXPECT_EQ(report.certificate, "renewed");
  EXPECT_EQ(gateway_.Count("/v1/renew"), 1);
}

TEST_F(AgentTest, KeepsSpoolingWithAnExpiredCertificate) {
  auto agent = Make();
  agent->RunCycle();
  gateway_.requests.clear();
  gateway_.down = true;  // No renewal happened in time.
  clock_.Advance(hours(24 * 61));
  agent->RunCycle();
  gateway_.down = false;

  clock_.Advance(hours(24 * 30));
  const auto report = agent->RunCycle();

  EXPECT_EQ(report.certificate, "expired");
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(gateway_.Count("/v1/heartbeat"), 0);
  EXPECT_GE(report.spool.records, 2u);
  const auto status = FormatStatus(dir_.path(), clock_.NowUnixSeconds());
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_NE(status->find("certificate_state: expired\n"), std::string::npos) << *status;
  EXPECT_NE(status->find("action: re-enrol with a new token"), std::string::npos) << *status;
}

TEST_F(AgentTest, ReportsDroppedRecordsInTheNextHeartbeat) {
  auto agent = Make({.spool_max_bytes = 16 * 1024});
  gateway_.down = true;
  for (int i = 0; i < 40; ++i) {
    clock_.Advance(seconds(61));
    agent->RunCycle();
  }
  gateway_.down = false;

  clock_.Advance(hours(1));
  agent->RunCycle();  // Room for its own telemetry may cost drops its heartbeat cannot carry...
  clock_.Advance(seconds(61));
  const auto report = agent->RunCycle();  // ...so the next heartbeat carries them.

  // Every dropped record is reported exactly once, by the heartbeats that got through (a
  // dropped heartbeat hands its count on to a later one).
  EXPECT_EQ(report.spool.records, 0u) << FormatCycleReport(report);
  EXPECT_GT(report.spool.dropped_total, 0u);
  std::uint64_t reported = 0;
  for (const auto& h : gateway_.heartbeats) reported += static_cast<std::uint64_t>(h.spool_dropped);
  EXPECT_EQ(reported, report.spool.dropped_total);
  EXPECT_EQ(report.spool.dropped_pending, 0u);
}

TEST_F(AgentTest, SendsTheOperatorsMetricsFromAFile) {
  std::ofstream(dir_ / "pump.json") << R"({"pump.battery_percent": 87})";
  auto agent = Make({.metrics_file = (dir_ / "pump.json").string()});

  agent->RunCycle();

  EXPECT_TRUE(HasPoint("pump.battery_percent"));
}

TEST_F(AgentTest, WarnsAboutBadOperatorMetricsButSendsTheRest) {
  auto agent = Make({.metrics_command = "echo not-json"});

  const auto report = agent->RunCycle();

  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("user metrics"), std::string::npos);
  EXPECT_TRUE(HasPoint("memory.used_bytes"));
}

TEST_F(AgentTest, KeepsRecordsAcrossARestart) {
  {
    auto agent = Make();
    gateway_.down = true;
    agent->RunCycle();
  }
  gateway_.down = false;

  auto agent = Make();
  const auto report = agent->RunCycle();

  EXPECT_EQ(gateway_.Count("/v1/heartbeat"), 2);
  EXPECT_EQ(report.spool.records, 0u);
}

TEST_F(AgentTest, StatusShowsDeviceCertificateSpoolAndContact) {
  auto agent = Make();
  agent->RunCycle();
  agent.reset();

  const auto status = FormatStatus(dir_.path(), clock_.NowUnixSeconds());

  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->find("device_id: " + gateway_.device_id + "\n"), 0u) << *status;
  EXPECT_NE(status->find("certificate_state: ok\n"), std::string::npos);
  EXPECT_NE(status->find("spool_records: 0\n"), std::string::npos);
  EXPECT_EQ(status->find("last_contact: never"), std::string::npos);
}

TEST_F(AgentTest, RefusesASecondAgentOnTheSameStateDirectory) {
  auto first = Make();

  auto second = Agent::Create(
      {.state_dir = dir_.path()},
      {.clock = &clock_, .uniform01 = [] { return 0.5; }, .make_client = gateway_.Factory()});

  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kLocked);
}

TEST(FormatCycleReport, PrintsKeyValueLines) {
  CycleReport report{.config = "ok", .certificate = "ok", .heartbeats = 1, .sent = 2};

  const auto text = FormatCycleReport(report);

  EXPECT_EQ(text.find("config: ok\ncertificate: ok\nqueued_heartbeats: 1\n"), 0u) << text;
  EXPECT_NE(text.find("\nsend_error: none\n"), std::string::npos);
}

}  // namespace
}  // namespace vigil::agent
