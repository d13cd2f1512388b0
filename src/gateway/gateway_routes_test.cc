// The gateway's routes and guard on a real data directory (SQLite store, key ring, device CA),
// dispatched without TLS: the client certificate a handshake would have verified is set on the
// request directly, as the connection does.

#include "gateway/gateway_routes.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pki/device_certificate.h"
#include "pki/device_key.h"
#include "server/runtime.h"
#include "testing/fixtures.h"

namespace vigil::gateway {
namespace {

using nlohmann::json;

const audit::Actor kEngineer{.kind = audit::ActorKind::kUser, .id = "biomed"};

class GatewayRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config::Config config;
    config.storage.data_dir = (dir_ / "data").string();
    auto rt = server::Runtime::Open(config, {.create = true});
    ASSERT_TRUE(rt) << rt.error().message;
    rt_ = std::move(*rt);
    AddGatewayRoutes(router_, rt_->devices(), pool_,
                     {.requests_per_second = 5, .limits = {.max_points = 10}});
    auto device = rt_->devices().AddDevice(kEngineer, {.name = "ICU pump 1",
                                                       .type = "infusion_pump",
                                                       .manufacturer = "Acme Medical",
                                                       .model = "P-100",
                                                       .firmware = "2.1.0",
                                                       .criticality = "life_sustaining"});
    ASSERT_TRUE(device) << device.error().message;
    device_id_ = device->id;
  }

  http::Response Call(std::string method, std::string path, std::string body,
                      std::optional<http::ClientCertificate> cert = std::nullopt) {
    http::Request request{.method = std::move(method),
                          .target = path,
                          .path = path,
                          .body = std::move(body),
                          .remote_address = "10.20.30.40:5555"};
    request.client_certificate = std::move(cert);
    return router_.DispatchAndWait(std::move(request));
  }

  // Enrols the device through POST /v1/enroll and returns what a handshake would verify.
  http::ClientCertificate Enrol() {
    auto token = rt_->devices().CreateEnrollmentToken(kEngineer, device_id_);
    EXPECT_TRUE(token);
    auto key = pki::GenerateDeviceKeyPem();
    auto csr = pki::MakeCsrPem(*key, "pump");
    const http::Response answer =
        Call("POST", "/v1/enroll", json{{"token", token->token}, {"csr", *csr}}.dump());
    EXPECT_EQ(answer.status, 200) << answer.body;
    const json body = json::parse(answer.body);
    auto info = pki::DescribeDeviceCertificate(body.at("certificate").get<std::string>());
    EXPECT_TRUE(info) << info.error().message;
    return {.device_id = info->device_id,
            .serial = info->serial_hex,
            .fingerprint_sha256 = info->fingerprint_sha256,
            .not_before_unix = info->not_before_unix,
            .not_after_unix = info->not_after_unix};
  }

  testing::TempDir dir_;
  std::unique_ptr<server::Runtime> rt_;
  WorkerPool pool_{2, 16};
  http::Router router_;
  std::string device_id_;
};

TEST_F(GatewayRoutesTest, EnrolledDeviceReportsAndIsStored) {
  const http::ClientCertificate cert = Enrol();
  ASSERT_EQ(cert.device_id, device_id_);

  const auto beat =
      Call("POST", "/v1/heartbeat",
           R"({"firmware_version":"2.1.1","agent_version":"0.1.0","state":"in_use"})", cert);
  const auto points = Call("POST", "/v1/telemetry",
                           R"({"points":[{"name":"battery.percent","value":87,"unit":"%",)"
                           R"("time":"2026-11-28T10:00:00Z"}]})",
                           cert);
  const auto events = Call("POST", "/v1/events",
                           R"({"events":[{"time":"2026-11-28T10:00:01Z","kind":"security",)"
                           R"("severity":"warning","message":"door opened"}]})",
                           cert);
  const auto config = Call("GET", "/v1/config", "", cert);

  EXPECT_EQ(beat.status, 200) << beat.body;
  EXPECT_EQ(json::parse(beat.body).value("renew", true), false);
  EXPECT_EQ(points.status, 200) << points.body;
  EXPECT_EQ(json::parse(points.body).value("accepted", 0), 1);
  EXPECT_EQ(events.status, 200) << events.body;
  EXPECT_EQ(config.status, 200) << config.body;
  auto view = rt_->devices().GetDevice(device_id_);
  ASSERT_TRUE(view);
  EXPECT_EQ(view->device.last_heartbeat.firmware_version, "2.1.1");
  EXPECT_EQ(view->certificate_status, "valid");
  auto metrics = rt_->devices().Metrics(device_id_);
  ASSERT_TRUE(metrics);
  ASSERT_EQ(metrics->size(), 1U);
  EXPECT_EQ(metrics->front().name, "battery.percent");
  auto stored = rt_->devices().Events(device_id_, 0, 10);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1U);
  EXPECT_EQ(stored->front().event.message, "door opened");
}

TEST_F(GatewayRoutesTest, ATokenWorksOnce) {
  auto token = rt_->devices().CreateEnrollmentToken(kEngineer, device_id_);
  ASSERT_TRUE(token);
  auto key = pki::GenerateDeviceKeyPem();
  auto csr = pki::MakeCsrPem(*key, "pump");
  const std::string body = json{{"token", token->token}, {"csr", *csr}}.dump();

  const auto first = Call("POST", "/v1/enroll", body);
  const auto second = Call("POST", "/v1/enroll", body);
  const auto unknown = Call("POST", "/v1/enroll",
                            json{{"token", "vgle_" + std::string(64, 'a')}, {"csr", *csr}}.dump());

  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(second.status, 401) << second.body;
  EXPECT_NE(second.body.find("used already"), std::string::npos) << second.body;
  EXPECT_EQ(unknown.status, 401) << unknown.body;
}

TEST_F(GatewayRoutesTest, DeviceRoutesNeedACertificate) {
  const auto answer = Call("POST", "/v1/heartbeat", "{}");

  EXPECT_EQ(answer.status, 401) << answer.body;
  EXPECT_NE(answer.body.find("client certificate"), std::string::npos);
}

TEST_F(GatewayRoutesTest, RevokedDeviceIsRefusedAtItsNextRequest) {
  const http::ClientCertificate cert = Enrol();
  ASSERT_EQ(Call("POST", "/v1/heartbeat", "{}", cert).status, 200);

  auto revoked = rt_->devices().Revoke(kEngineer, device_id_, "key_compromise");
  const auto after = Call("POST", "/v1/heartbeat", "{}", cert);

  ASSERT_TRUE(revoked);
  EXPECT_EQ(revoked->size(), 1U);
  EXPECT_EQ(after.status, 403) << after.body;
  auto crl = rt_->devices().CurrentCrl();
  ASSERT_TRUE(crl);
  EXPECT_NE(crl->find("BEGIN X509 CRL"), std::string::npos);
}

TEST_F(GatewayRoutesTest, BadBodiesGet400NamingTheProblem) {
  const http::ClientCertificate cert = Enrol();

  const auto not_json = Call("POST", "/v1/telemetry", "{not json", cert);
  const auto wrong_type =
      Call("POST", "/v1/telemetry",
           R"({"points":[{"name":"x","value":"high","time":"2026-11-28T10:00:00Z"}]})", cert);
  std::string many = R"({"points":[)";
  for (int i = 0; i < 11; ++i) {
    if (i > 0) many += ',';
    many += R"({"name":"x","value":1,"time":"2026-11-28T10:00:00Z"})";
  }
  const auto too_many = Call("POST", "/v1/telemetry", many + "]}", cert);

  EXPECT_EQ(not_json.status, 400) << not_json.body;
  EXPECT_EQ(wrong_type.status, 400) << wrong_type.body;
  EXPECT_NE(wrong_type.body.find("value"), std::string::npos) << wrong_type.body;
  EXPECT_EQ(too_many.status, 400) << too_many.body;
}

TEST_F(GatewayRoutesTest, ADeviceBeyondItsRateGets429) {
  const http::ClientCertificate cert = Enrol();
  int refused = 0;
  std::string retry_after;

  for (int i = 0; i < 20; ++i) {
    const auto answer = Call("GET", "/v1/config", "", cert);
    if (answer.status == 429) {
      ++refused;
      for (const auto& [name, value] : answer.headers) {
        if (name == "Retry-After") retry_after = value;
      }
    }
  }

  EXPECT_GT(refused, 0);
  EXPECT_FALSE(retry_after.empty());
}

TEST_F(GatewayRoutesTest, QuarantinedDeviceStillReportsAndIsFlagged) {
  const http::ClientCertificate cert = Enrol();
  ASSERT_TRUE(rt_->devices().SetQuarantined(kEngineer, device_id_, true));

  const auto beat = Call("POST", "/v1/heartbeat", "{}", cert);
  const auto events = Call("POST", "/v1/events",
                           R"({"events":[{"time":"2026-11-28T10:00:01Z","kind":"log",)"
                           R"("severity":"info","message":"still here"}]})",
                           cert);

  EXPECT_EQ(beat.status, 200) << beat.body;
  EXPECT_TRUE(json::parse(beat.body).value("quarantined", false));
  EXPECT_EQ(events.status, 200) << events.body;
  auto stored = rt_->devices().Events(device_id_, 0, 10);
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1U);
  EXPECT_TRUE(stored->front().flagged);
}

}  // namespace
}  // namespace vigil::gateway
