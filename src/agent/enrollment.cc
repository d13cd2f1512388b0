#include "agent/enrollment.h"

#include <charconv>

#include "pki/device_key.h"

namespace vigil::agent {
namespace {

constexpr std::string_view kJson = "application/json";

// The credentials in an enroll or renew answer, checked against the pinned root.
// `sensor`: the leaf must name the id as a sensor (urn:vigil:sensor:), else as a device.
Result<Credentials> FromAnswer(const device_protocol::Enrolled& answer, std::string key_pem,
                               std::string_view ca_fingerprint, bool sensor = false) {
  const auto chain = SplitPemCertificates(answer.ca_chain_pem);
  if (chain.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "gateway answer: ca_chain holds no certificate");
  }
  auto root = pki::DescribeDeviceCertificate(chain.back());
  if (!root) return tl::unexpected(Annotate(root.error(), "gateway answer: ca_chain"));
  if (root->fingerprint_sha256 != ca_fingerprint) {
    return MakeError(ErrorCode::kUnauthenticated,
                     "gateway answer: the chain ends in root " + root->fingerprint_sha256 +
                         ", not the pinned " + std::string(ca_fingerprint));
  }
  auto leaf = pki::DescribeDeviceCertificate(answer.certificate_pem);
  if (!leaf) return tl::unexpected(Annotate(leaf.error(), "gateway answer: certificate"));
  const std::string& named = sensor ? leaf->sensor_id : leaf->device_id;
  if (named != answer.device_id) {
    return MakeError(ErrorCode::kInvalidArgument,
                     std::string("gateway answer: the certificate names ") +
                         (sensor ? "sensor" : "device") + " \"" + named + "\", the answer \"" +
                         answer.device_id + "\"");
  }
  Credentials out{.key_pem = std::move(key_pem), .cert_pem = answer.certificate_pem};
  if (!out.cert_pem.empty() && out.cert_pem.back() != '\n') out.cert_pem += '\n';
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) out.cert_pem += chain[i];
  out.ca_pem = chain.back();
  return out;
}

struct KeyAndCsr {
  std::string key_pem;
  std::string csr_pem;
};

Result<KeyAndCsr> MakeKeyAndCsr(std::string_view common_name) {
  auto key = pki::GenerateDeviceKeyPem();
  if (!key) return tl::unexpected(key.error());
  auto csr = pki::MakeCsrPem(*key, common_name.empty() ? "vigil-agent" : common_name);
  if (!csr) return tl::unexpected(csr.error());
  return KeyAndCsr{.key_pem = std::move(*key), .csr_pem = std::move(*csr)};
}

// POSTs `body` to `path` and parses a 2xx answer as Enrolled.
Result<device_protocol::Enrolled> PostForCertificate(net::HttpClient& client, std::string_view what,
                                                     std::string_view path, std::string_view body) {
  auto response = client.Request("POST", path, body, kJson);
  if (!response) return tl::unexpected(Annotate(response.error(), what));
  if (response->status / 100 != 2) {
    return tl::unexpected(AnswerError(what, response->status, response->body));
  }
  auto answer = device_protocol::ParseEnrolled(response->body);
  if (!answer) return tl::unexpected(Annotate(answer.error(), what));
  return answer;
}

}  // namespace

pki::ClientTlsSettings MutualTlsSettings(const Credentials& credentials) {
  return {.trusted_root_pem = credentials.ca_pem,
          .cert_chain_pem = credentials.cert_pem,
          .key_pem = credentials.key_pem};
}

Result<AgentIdentity> Enroll(StateDir& state, const EnrollOptions& options,
                             const ClientFactory& make_client) {
  auto pin = NormaliseFingerprint(options.ca_fingerprint);
  if (!pin) return tl::unexpected(pin.error());
  if (options.token.empty()) return MakeError(ErrorCode::kInvalidArgument, "enroll: empty token");
  auto fresh = MakeKeyAndCsr(options.common_name);
  if (!fresh) return tl::unexpected(fresh.error());
  auto client = make_client(options.server_url, {.pinned_root_sha256 = *pin});
  if (!client) return tl::unexpected(client.error());
  const auto body =
      device_protocol::WriteEnrollRequest({.token = options.token, .csr_pem = fresh->csr_pem});
  auto answer = PostForCertificate(**client, "enroll", "/v1/enroll", body);
  if (!answer) return tl::unexpected(answer.error());
  auto credentials = FromAnswer(*answer, std::move(fresh->key_pem), *pin, options.sensor);
  if (!credentials) return tl::unexpected(credentials.error());
  // Refuses a certificate that is not for our key before anything is saved.
  if (auto check = make_client(options.server_url, MutualTlsSettings(*credentials)); !check) {
    return tl::unexpected(Annotate(check.error(), "enroll: the issued certificate"));
  }
  AgentIdentity identity{
      .server_url = options.server_url, .device_id = answer->device_id, .ca_fingerprint = *pin};
  VIGIL_RETURN_IF_ERROR(state.CommitCredentials(*credentials, identity));
  return identity;
}

Result<pki::DeviceCertificateInfo> Renew(StateDir& state, const AgentIdentity& identity,
                                         net::HttpClient& client, bool sensor) {
  auto fresh = MakeKeyAndCsr(identity.device_id);
  if (!fresh) return tl::unexpected(fresh.error());
  const auto body = device_protocol::WriteRenewRequest(fresh->csr_pem);
  auto answer =
      PostForCertificate(client, "renew", sensor ? "/v1/sensor/renew" : "/v1/renew", body);
  if (!answer) return tl::unexpected(answer.error());
  if (answer->device_id != identity.device_id) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "renew: the gateway answered for device \"" + answer->device_id + "\"");
  }
  auto credentials =
      FromAnswer(*answer, std::move(fresh->key_pem), identity.ca_fingerprint, sensor);
  if (!credentials) return tl::unexpected(Annotate(credentials.error(), "renew"));
  VIGIL_RETURN_IF_ERROR(state.CommitCredentials(*credentials, std::nullopt));
  return pki::DescribeDeviceCertificate(credentials->cert_pem);
}

CertificateState ClassifyCertificate(const pki::DeviceCertificateInfo& info, std::int64_t now_unix,
                                     double renew_when_remaining) {
  if (now_unix >= info.not_after_unix) return CertificateState::kExpired;
  const auto lifetime = static_cast<double>(info.not_after_unix - info.not_before_unix);
  const auto remaining = static_cast<double>(info.not_after_unix - now_unix);
  return remaining < renew_when_remaining * lifetime ? CertificateState::kRenewDue
                                                     : CertificateState::kValid;
}

std::string_view CertificateStateName(CertificateState state) {
  switch (state) {
    case CertificateState::kValid:
      return "ok";
    case CertificateState::kRenewDue:
      return "renew due";
    case CertificateState::kExpired:
      return "expired";
  }
  return "unknown";
}

Error AnswerError(std::string_view what, int status, std::string_view body) {
  const ErrorCode code = status == 400                    ? ErrorCode::kInvalidArgument
                         : status == 401                  ? ErrorCode::kUnauthenticated
                         : status == 403                  ? ErrorCode::kPermissionDenied
                         : status == 404                  ? ErrorCode::kNotFound
                         : status == 409                  ? ErrorCode::kAlreadyExists
                         : status == 429 || status >= 500 ? ErrorCode::kUnavailable
                                                          : ErrorCode::kFailedPrecondition;
  std::string message = std::string(what) + ": the gateway answered " + std::to_string(status);
  if (const auto answer = device_protocol::ParseErrorAnswer(body)) {
    message += ": " + answer->code;
    if (!answer->message.empty()) message += ": " + answer->message;
  }
  return Error{code, std::move(message)};
}

std::chrono::seconds RetryAfter(const net::HttpResponse& response) {
  constexpr std::int64_t kMaxSeconds = 3600;
  const auto text = response.Header("retry-after");
  std::int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || value < 0) {
    return std::chrono::seconds(0);
  }
  return std::chrono::seconds(std::min(value, kMaxSeconds));
}

}  // namespace vigil::agent
