// The sensor routes (POST /v1/observations, /v1/flows) and the guard that keeps sensor and
// device certificates to their own routes, on a real data directory with a fake inventory,
// dispatched without TLS as in gateway_routes_test.cc.

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <nlohmann/json.hpp>

#include "gateway/gateway_routes.h"
#include "pki/device_certificate.h"
#include "pki/device_key.h"
#include "server/runtime.h"
#include "testing/fixtures.h"

namespace vigil::gateway {
namespace {

using nlohmann::json;

const audit::Actor kEngineer{.kind = audit::ActorKind::kUser, .id = "biomed"};

// Keeps what it is given and answers with `answer`.
class FakeIngest : public SensorIngest {
 public:
  void IngestAsync(std::string source, server::SensorBatch batch,
                   std::function<void(Status)> done) override {
    {
      std::lock_guard lock(mu_);
      sources.push_back(std::move(source));
      batches.push_back(std::move(batch));
    }
    done(answer);
  }
  void WaitForIngests() override {}

  Status answer = OkStatus();
  std::vector<std::string> sources;
  std::vector<server::SensorBatch> batches;

 private:
  std::mutex mu_;
};

constexpr std::string_view kObservations =
    R"({"observations":[{"type":"observation","time":"2026-01-01T00:00:00Z","protocol":"dhcp",)"
    R"("subject":{"mac":"00:1b:2c:3d:4e:5f"},"facts":[["dhcp.hostname","pump-12"]]}],)"
    R"("findings":[]})";
constexpr std::string_view kFlows =
    R"({"flows":[{"start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:00:01Z","proto":"udp",)"
    R"("client":{"ip":"10.0.0.1","port":68},"server":{"ip":"10.0.0.2","port":67},)"
    R"("client_packets":1,"client_bytes":300,"server_packets":1,"server_bytes":300,)"
    R"("end_reason":"idle"}]})";

class GatewaySensorRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config::Config config;
    config.storage.data_dir = (dir_ / "data").string();
    auto rt = server::Runtime::Open(config, {.create = true});
    ASSERT_TRUE(rt) << rt.error().message;
    rt_ = std::move(*rt);
    AddGatewayRoutes(router_, rt_->devices(), pool_, {.requests_per_second = 5}, &ingest_);
    auto sensor = rt_->devices().AddSensor(kEngineer, "ward 3 span port");
    ASSERT_TRUE(sensor) << sensor.error().message;
    sensor_id_ = sensor->id;
    auto device = rt_->devices().AddDevice(kEngineer, {.name = "ICU pump 1",
                                                       .type = "infusion_pump",
                                                       .manufacturer = "Acme Medical",
                                                       .model = "P-100",
                                                       .firmware = "2.1.0",
                                                       .criticality = "life_sustaining"});
    ASSERT_TRUE(device) << device.error().message;
    device_id_ = device->id;
  }

  http::Response Call(std::string path, std::string_view body,
                      std::optional<http::ClientCertificate> cert) {
    http::Request request{.method = "POST",
                          .target = path,
                          .path = path,
                          .body = std::string(body),
                          .remote_address = "10.20.30.40:5555"};
    request.client_certificate = std::move(cert);
    return router_.DispatchAndWait(std::move(request));
  }

  // Enrols the record `id` through POST /v1/enroll; what a handshake would verify.
  http::ClientCertificate Enrol(const std::string& id) {
    auto token = rt_->devices().CreateEnrollmentToken(kEngineer, id);
    EXPECT_TRUE(token);
    auto key = pki::GenerateDeviceKeyPem();
    auto csr = pki::MakeCsrPem(*key, "sensor");
    const http::Response answer =
        Call("/v1/enroll", json{{"token", token->token}, {"csr", *csr}}.dump(), std::nullopt);
    EXPECT_EQ(answer.status, 200) << answer.body;
    auto info = pki::DescribeDeviceCertificate(
        json::parse(answer.body).at("certificate").get<std::string>());
    EXPECT_TRUE(info) << info.error().message;
    return {.device_id = info->device_id,
            .sensor_id = info->sensor_id,
            .serial = info->serial_hex,
            .fingerprint_sha256 = info->fingerprint_sha256,
            .not_before_unix = info->not_before_unix,
            .not_after_unix = info->not_after_unix};
  }

  testing::TempDir dir_;
  std::unique_ptr<server::Runtime> rt_;
  WorkerPool pool_{2, 16};
  http::Router router_;
  FakeIngest ingest_;
  std::string sensor_id_;
  std::string device_id_;
};

TEST_F(GatewaySensorRoutesTest, ASensorRecordGetsASensorCertificate) {
  const http::ClientCertificate cert = Enrol(sensor_id_);

  EXPECT_EQ(cert.sensor_id, sensor_id_);
  EXPECT_EQ(cert.device_id, "");
}

TEST_F(GatewaySensorRoutesTest, SensorBatchesAreIngestedUnderTheSensorsName) {
  const http::ClientCertificate cert = Enrol(sensor_id_);

  const auto observations = Call("/v1/observations", kObservations, cert);
  const auto flows = Call("/v1/flows", kFlows, cert);

  EXPECT_EQ(observations.status, 200) << observations.body;
  EXPECT_EQ(json::parse(observations.body).value("accepted", 0), 1);
  EXPECT_EQ(flows.status, 200) << flows.body;
  ASSERT_EQ(ingest_.batches.size(), 2u);
  EXPECT_EQ(ingest_.sources[0], "sensor:" + sensor_id_);
  ASSERT_EQ(ingest_.batches[0].observations.size(), 1u);
  EXPECT_EQ(ingest_.batches[0].observations[0].facts[0].value, "pump-12");
  ASSERT_EQ(ingest_.batches[1].flows.size(), 1u);
  EXPECT_EQ(ingest_.batches[1].flows[0].client_bytes, 300u);
}

TEST_F(GatewaySensorRoutesTest, ADeviceCertificateIsRefusedOnSensorRoutes) {
  const http::ClientCertificate cert = Enrol(device_id_);

  const auto answer = Call("/v1/observations", kObservations, cert);

  EXPECT_EQ(answer.status, 403) << answer.body;
  EXPECT_TRUE(ingest_.batches.empty());
}

TEST_F(GatewaySensorRoutesTest, ASensorCertificateIsRefusedOnDeviceRoutes) {
  const http::ClientCertificate cert = Enrol(sensor_id_);

  const auto answer = Call("/v1/heartbeat", "{}", cert);

  EXPECT_EQ(answer.status, 403) << answer.body;
}

TEST_F(GatewaySensorRoutesTest, ARevokedSensorIsRefused) {
  const http::ClientCertificate cert = Enrol(sensor_id_);
  ASSERT_TRUE(rt_->devices().Revoke(kEngineer, sensor_id_, "key_compromise"));

  const auto answer = Call("/v1/flows", kFlows, cert);

  EXPECT_EQ(answer.status, 403) << answer.body;
  EXPECT_TRUE(ingest_.batches.empty());
}

// The certificate as a handshake would present it two thirds into its lifetime: the lifetime
// is stretched back so that less than a third of it is left now.
http::ClientCertificate RenewalDue(http::ClientCertificate cert) {
  const std::int64_t lifetime = cert.not_after_unix - cert.not_before_unix;
  cert.not_before_unix -= 3 * lifetime;
  return cert;
}

std::string RenewBody() {
  auto key = pki::GenerateDeviceKeyPem();
  return json{{"csr", *pki::MakeCsrPem(*key, "sensor")}}.dump();
}

TEST_F(GatewaySensorRoutesTest, ASensorRenewsIntoAnotherSensorCertificate) {
  const http::ClientCertificate cert = Enrol(sensor_id_);

  const auto answer = Call("/v1/sensor/renew", RenewBody(), RenewalDue(cert));

  ASSERT_EQ(answer.status, 200) << answer.body;
  auto renewed =
      pki::DescribeDeviceCertificate(json::parse(answer.body).at("certificate").get<std::string>());
  ASSERT_TRUE(renewed) << renewed.error().message;
  EXPECT_EQ(renewed->sensor_id, sensor_id_);
  EXPECT_EQ(renewed->device_id, "");
  EXPECT_NE(renewed->serial_hex, cert.serial);
}

TEST_F(GatewaySensorRoutesTest, ASensorRenewalBeforeItIsDueIsRefused) {
  const http::ClientCertificate cert = Enrol(sensor_id_);

  const auto answer = Call("/v1/sensor/renew", RenewBody(), cert);

  EXPECT_EQ(answer.status, 409) << answer.body;
  EXPECT_NE(answer.body.find("not due"), std::string::npos) << answer.body;
}

TEST_F(GatewaySensorRoutesTest, EachKindRenewsOnlyOnItsOwnRoute) {
  const http::ClientCertificate sensor = RenewalDue(Enrol(sensor_id_));
  const http::ClientCertificate device = RenewalDue(Enrol(device_id_));

  EXPECT_EQ(Call("/v1/sensor/renew", RenewBody(), device).status, 403);
  EXPECT_EQ(Call("/v1/renew", RenewBody(), sensor).status, 403);
  EXPECT_EQ(Call("/v1/sensor/renew", RenewBody(), std::nullopt).status, 401);
}

TEST_F(GatewaySensorRoutesTest, ABadBodyIsRefusedWithItsPath) {
  const http::ClientCertificate cert = Enrol(sensor_id_);

  const auto answer = Call("/v1/flows", R"({"flows":[{"proto":"tcp"}]})", cert);

  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_NE(answer.body.find("flows: flows[0].start: missing"), std::string::npos) << answer.body;
}

TEST_F(GatewaySensorRoutesTest, ABusyInventoryAnswers503WithRetryAfter) {
  const http::ClientCertificate cert = Enrol(sensor_id_);
  ingest_.answer = MakeError(ErrorCode::kUnavailable, "store busy");

  const auto answer = Call("/v1/flows", kFlows, cert);

  EXPECT_EQ(answer.status, 503) << answer.body;
  bool retry_after = false;
  for (const auto& [name, value] : answer.headers) retry_after |= name == "Retry-After";
  EXPECT_TRUE(retry_after);
}

TEST_F(GatewaySensorRoutesTest, AFullPoolAnswers503WithRetryAfterAndIngestsNothing) {
  const http::ClientCertificate cert = Enrol(sensor_id_);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  while (pool_.TrySubmit([released] { released.wait(); })) {
  }

  const auto answer = Call("/v1/flows", kFlows, cert);
  release.set_value();

  EXPECT_EQ(answer.status, 503) << answer.body;
  bool retry_after = false;
  for (const auto& [name, value] : answer.headers) retry_after |= name == "Retry-After";
  EXPECT_TRUE(retry_after);
  EXPECT_TRUE(ingest_.batches.empty());
}

TEST_F(GatewaySensorRoutesTest, ASensorIsRateLimited) {
  const http::ClientCertificate cert = Enrol(sensor_id_);

  int limited = 0;
  for (int i = 0; i < 20; ++i) limited += Call("/v1/flows", kFlows, cert).status == 429;

  EXPECT_GT(limited, 0);
}

}  // namespace
}  // namespace vigil::gateway
