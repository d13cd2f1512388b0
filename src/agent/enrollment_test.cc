#include "agent/enrollment.h"

#include <gtest/gtest.h>

#include "agent/fake_gateway_test.h"
#include "device_protocol/messages.h"
#include "testing/fixtures.h"

namespace vigil::agent {
namespace {

namespace fs = std::filesystem;

class EnrollmentTest : public ::testing::Test {
 protected:
  EnrollOptions Options() const {
    return {.server_url = "https://127.0.0.1:8444",
            .token = gateway_.token,
            .ca_fingerprint = gateway_.pin(),
            .common_name = "pump-gateway-3"};
  }

  FakeClock clock_{std::chrono::system_clock::now()};
  test::FakeGateway gateway_{clock_};
  testing::TempDir dir_;
  StateDir state_ = StateDir::Open(dir_.path()).value();
};

TEST_F(EnrollmentTest, SavesKeyCertificateRootAndIdentity) {
  const auto identity = Enroll(state_, Options(), gateway_.Factory());

  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->device_id, gateway_.device_id);
  EXPECT_EQ(identity->ca_fingerprint, gateway_.pin());
  const auto credentials = state_.LoadCredentials().value();
  EXPECT_EQ(SplitPemCertificates(credentials.cert_pem).size(), 2u);  // Leaf and intermediate.
  EXPECT_EQ(pki::DescribeDeviceCertificate(credentials.ca_pem).value().fingerprint_sha256,
            gateway_.pin());
  EXPECT_EQ(state_.LoadIdentity().value().server_url, "https://127.0.0.1:8444");
  // Enrolment went over pinned TLS, and the key never left the device.
  ASSERT_EQ(gateway_.requests.size(), 1u);
  EXPECT_EQ(gateway_.requests[0].tls.pinned_root_sha256, gateway_.pin());
  EXPECT_EQ(gateway_.requests[0].body.find("PRIVATE KEY"), std::string::npos);
  EXPECT_NE(credentials.key_pem.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(EnrollmentTest, AcceptsTheFingerprintWithColons) {
  auto options = Options();
  std::string with_colons;
  for (std::size_t i = 0; i < options.ca_fingerprint.size(); i += 2) {
    with_colons += (i ? ":" : "") + options.ca_fingerprint.substr(i, 2);
  }
  options.ca_fingerprint = with_colons;

  EXPECT_TRUE(Enroll(state_, options, gateway_.Factory()));
}

TEST_F(EnrollmentTest, RefusesAnotherRootAndSavesNothing) {
  auto options = Options();
  options.ca_fingerprint = std::string(64, 'e');

  const auto identity = Enroll(state_, options, gateway_.Factory());

  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, ErrorCode::kUnauthenticated);
  EXPECT_FALSE(fs::exists(dir_ / "key.pem"));
  EXPECT_FALSE(fs::exists(dir_ / "agent.json"));
}

TEST_F(EnrollmentTest, QuotesTheGatewayWhenItRefusesTheToken) {
  auto options = Options();
  options.token = "vgle_used";

  const auto identity = Enroll(state_, options, gateway_.Factory());

  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, ErrorCode::kUnauthenticated);
  EXPECT_NE(identity.error().message.find("unknown or used token"), std::string::npos)
      << identity.error().message;
  EXPECT_FALSE(fs::exists(dir_ / "cert.pem"));
}

TEST_F(EnrollmentTest, RenewsWithANewKeyOverMutualTls) {
  const auto identity = Enroll(state_, Options(), gateway_.Factory()).value();
  const auto before = state_.LoadCredentials().value();
  auto client = gateway_.Factory()(identity.server_url, MutualTlsSettings(before)).value();

  const auto renewed = Renew(state_, identity, *client);

  ASSERT_TRUE(renewed) << renewed.error().message;
  const auto after = state_.LoadCredentials().value();
  EXPECT_NE(after.key_pem, before.key_pem);
  EXPECT_NE(after.cert_pem, before.cert_pem);
  EXPECT_EQ(after.ca_pem, before.ca_pem);
  EXPECT_EQ(gateway_.requests.back().path, "/v1/renew");
  EXPECT_EQ(gateway_.requests.back().tls.cert_chain_pem, before.cert_pem);
  EXPECT_EQ(renewed->device_id, identity.device_id);
}

TEST(ClassifyCertificate, FollowsTheRemainingLifetime) {
  const pki::DeviceCertificateInfo cert{.not_before_unix = 0, .not_after_unix = 900};

  EXPECT_EQ(ClassifyCertificate(cert, 100, 1.0 / 3), CertificateState::kValid);
  EXPECT_EQ(ClassifyCertificate(cert, 600, 1.0 / 3), CertificateState::kValid);
  EXPECT_EQ(ClassifyCertificate(cert, 601, 1.0 / 3), CertificateState::kRenewDue);
  EXPECT_EQ(ClassifyCertificate(cert, 900, 1.0 / 3), CertificateState::kExpired);
}

TEST(AnswerError, MapsStatusesAndQuotesTheGateway) {
  const auto body = device_protocol::WriteErrorAnswer("permission_denied", "device revoked");

  const auto error = AnswerError("heartbeat", 403, body);

  EXPECT_EQ(error.code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(error.message,
            "heartbeat: the gateway answered 403: permission_denied: device revoked");
  EXPECT_EQ(AnswerError("x", 503, "").code, ErrorCode::kUnavailable);
  EXPECT_EQ(AnswerError("x", 429, "").code, ErrorCode::kUnavailable);
  EXPECT_EQ(AnswerError("x", 413, "not json").code, ErrorCode::kFailedPrecondition);
}

TEST(RetryAfter, ReadsDelaySecondsOnly) {
  const auto with = [](std::string value) {
    return net::HttpResponse{.status = 429, .headers = {{"retry-after", std::move(value)}}};
  };

  EXPECT_EQ(RetryAfter(with("7")), std::chrono::seconds(7));
  EXPECT_EQ(RetryAfter(with("99999")), std::chrono::seconds(3600));
  EXPECT_EQ(RetryAfter(with("Wed, 21 Oct 2015 07:28:00 GMT")), std::chrono::seconds(0));
  EXPECT_EQ(RetryAfter(net::HttpResponse{.status = 503}), std::chrono::seconds(0));
}

}  // namespace
}  // namespace vigil::agent
