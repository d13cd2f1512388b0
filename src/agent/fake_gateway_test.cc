#include "agent/fake_gateway_test.h"

#include <algorithm>

#include "core/check.h"
#include "device_protocol/messages.h"
#include "pki/device_certificate.h"

namespace vigil::agent::test {
namespace {

class FakeClient final : public net::HttpClient {
 public:
  FakeClient(FakeGateway& gateway, pki::ClientTlsSettings tls)
      : gateway_(gateway), tls_(std::move(tls)) {}

  Result<net::HttpResponse> Request(std::string_view method, std::string_view path,
                                    std::string_view body, std::string_view) override {
    return gateway_.Handle(method, path, body, tls_);
  }

 private:
  FakeGateway& gateway_;
  pki::ClientTlsSettings tls_;
};

net::HttpResponse Answer(int status, std::string body) {
  return {
      .status = status, .headers = {{"content-type", "application/json"}}, .body = std::move(body)};
}

}  // namespace

FakeGateway::FakeGateway(const Clock& clock) : clock_(clock) {
  const auto now = clock.NowUnixSeconds();
  auto material = pki::CreateDeviceCa({}, now);
  VIGIL_CHECK(material.has_value(), "fake gateway ca");
  auto ca = pki::DeviceCa::Load(*material, now);
  VIGIL_CHECK(ca.has_value(), "fake gateway ca load");
  ca_ = std::make_unique<pki::DeviceCa>(std::move(*ca));
}

ClientFactory FakeGateway::Factory() {
  return [this](const std::string&,
                const pki::ClientTlsSettings& tls) -> Result<std::unique_ptr<net::HttpClient>> {
    return std::unique_ptr<net::HttpClient>(new FakeClient(*this, tls));
  };
}

std::vector<std::string> FakeGateway::Paths() const {
  std::vector<std::string> out;
  for (const auto& r : requests) out.push_back(r.path);
  return out;
}

int FakeGateway::Count(std::string_view path) const {
  return static_cast<int>(std::count_if(requests.begin(), requests.end(),
                                        [&](const RecordedRequest& r) { return r.path == path; }));
}

Result<net::HttpResponse> FakeGateway::Issue(std::string_view csr_pem) {
  const auto now = clock_.NowUnixSeconds();
  auto issued_cert = ca_->IssueDeviceCertificate(csr_pem, device_id, now, lifetime_seconds);
  if (!issued_cert) {
    return Answer(
        400, device_protocol::WriteErrorAnswer("invalid_argument", issued_cert.error().message));
  }
  issued.push_back(issued_cert->pem);
  return Answer(200,
                device_protocol::WriteEnrolled({.device_id = device_id,
                                                .certificate_pem = issued_cert->pem,
                                                .ca_chain_pem = ca_->chain_pem(),
                                                .not_after_unix = issued_cert->not_after_unix}));
}

Result<net::HttpResponse> FakeGateway::Handle(std::string_view method, std::string_view path,
                                              std::string_view body,
                                              const pki::ClientTlsSettings& tls) {
  if (down)
    return MakeError(ErrorCode::kUnavailable, "127.0.0.1:8444: connect: Connection refused");
  if (!tls.pinned_root_sha256.empty() && tls.pinned_root_sha256 != pin()) {
    return MakeError(ErrorCode::kUnauthenticated, "127.0.0.1:8444: tls: did not verify");
  }
  requests.push_back({std::string(method), std::string(path), std::string(body), tls});
  if (!statuses.empty()) {
    const int status = statuses.front();
    statuses.pop_front();
    auto answer = Answer(status, device_protocol::WriteErrorAnswer("scripted", "scripted failure"));
    if (!retry_after.empty()) answer.headers.emplace_back("retry-after", retry_after);
    return answer;
  }
  const device_protocol::Limits limits;
  if (path == "/v1/enroll") {
    auto request = device_protocol::ParseEnrollRequest(body, limits);
    if (!request)
      return Answer(400,
                    device_protocol::WriteErrorAnswer("invalid_argument", request.error().message));
    if (request->token != token) {
      return Answer(401,
                    device_protocol::WriteErrorAnswer("unauthenticated", "unknown or used token"));
    }
    return Issue(request->csr_pem);
  }
  // Everything else needs the device certificate (mutual TLS).
  const auto peer = pki::DescribeDeviceCertificate(tls.cert_chain_pem);
  if (!peer || peer->device_id != device_id) {
    return Answer(401,
                  device_protocol::WriteErrorAnswer("unauthenticated", "no device certificate"));
  }
  if (path == "/v1/renew") {
    auto csr = device_protocol::ParseRenewRequest(body, limits);
    if (!csr)
      return Answer(400,
                    device_protocol::WriteErrorAnswer("invalid_argument", csr.error().message));
    return Issue(*csr);
  }
  if (path == "/v1/config") return Answer(200, device_protocol::WriteConfig(config));
  if (path == "/v1/heartbeat") {
    auto heartbeat = device_protocol::ParseHeartbeat(body, limits);
    if (!heartbeat)
      return Answer(
          400, device_protocol::WriteErrorAnswer("invalid_argument", heartbeat.error().message));
    heartbeats.push_back(*heartbeat);
    return Answer(200, device_protocol::WriteHeartbeatAnswer(
                           {.renew = ask_renew, .quarantined = quarantined}));
  }
  if (path == "/v1/telemetry") {
    auto batch = device_protocol::ParseTelemetry(body, limits);
    if (!batch)
      return Answer(400,
                    device_protocol::WriteErrorAnswer("invalid_argument", batch.error().message));
    points.insert(points.end(), batch->begin(), batch->end());
    return Answer(200, device_protocol::WriteAccepted(batch->size()));
  }
  if (path == "/v1/events") {
    auto batch = device_protocol::ParseEvents(body, limits);
    if (!batch)
      return Answer(400,
                    device_protocol::WriteErrorAnswer("invalid_argument", batch.error().message));
    events.insert(events.end(), batch->begin(), batch->end());
    return Answer(200, device_protocol::WriteAccepted(batch->size()));
  }
  return Answer(404, device_protocol::WriteErrorAnswer("not_found", "no route"));
}

}  // namespace vigil::agent::test
