#pragma once

// Test-only: an in-memory device gateway with a real device CA, and the ClientFactory whose
// clients talk to it (recording each request and the TLS settings it was made with). Scripted
// failures: `down` (no connection), `statuses` (the next answers' status codes).

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "agent/enrollment.h"
#include "core/clock.h"
#include "model/device_report.h"
#include "net/http_client.h"
#include "pki/device_ca.h"

namespace vigil::agent::test {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::string body;
  pki::ClientTlsSettings tls;
};

class FakeGateway {
 public:
  explicit FakeGateway(const Clock& clock);

  ClientFactory Factory();
  Result<net::HttpResponse> Handle(std::string_view method, std::string_view path,
                                   std::string_view body, const pki::ClientTlsSettings& tls);

  std::string pin() const { return ca_->root_fingerprint_sha256(); }
  std::vector<std::string> Paths() const;
  int Count(std::string_view path) const;

  std::string token = "vgle_test_token";
  std::string device_id = "0123456789abcdef0123456789abcdef";
  std::int64_t lifetime_seconds = 90 * 24 * 3600;
  bool down = false;
  std::deque<int> statuses;  // Forced statuses for the next requests (any path).
  std::string retry_after;   // Sent with forced statuses when not empty.
  model::DeviceConfig config;
  bool ask_renew = false;
  bool quarantined = false;

  std::vector<RecordedRequest> requests;
  std::vector<model::Heartbeat> heartbeats;
  std::vector<model::MetricPoint> points;
  std::vector<model::DeviceEvent> events;
  std::vector<std::string> issued;  // Certificates issued, PEM.

 private:
  Result<net::HttpResponse> Issue(std::string_view csr_pem);

  const Clock& clock_;
  std::unique_ptr<pki::DeviceCa> ca_;
};

}  // namespace vigil::agent::test
