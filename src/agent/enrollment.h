#pragma once

// The agent's side of enrolment and renewal (docs/formats/device-protocol.md).
//
// Enrol: a fresh key made here (it never leaves the device), a CSR, POST /v1/enroll with the
// one-time token over TLS that trusts only the root whose SHA-256 the operator gave
// (--ca-fingerprint); the answer's chain must end in that root and its leaf must name the
// device id of the answer; a mutual-TLS client is built from the result before anything is
// saved (so a certificate that is not for our key is refused); then the state directory's
// credentials and agent.json are committed together.
//
// Renew: the same with POST /v1/renew over mutual TLS with the current certificate; the root
// must still be the enrolled one. A sensor renews through POST /v1/sensor/renew, and the new
// certificate must name it as a sensor.
//
// Errors: kInvalidArgument for a bad fingerprint, URL or answer; kUnauthenticated when the
// chain's root is not the pinned one; what the client returns for transport failures; for a
// non-2xx answer, AnswerError's mapping (the gateway's error message is quoted).
// Thread safety: none needed (one call at a time on the agent's thread).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agent/state_dir.h"
#include "core/result.h"
#include "device_protocol/messages.h"
#include "model/device_report.h"
#include "net/http_client.h"
#include "pki/device_certificate.h"
#include "pki/mutual_tls.h"

namespace vigil::agent {

// Makes the HTTP client for `base_url` with `tls` (HttpsClient in the app, fakes in tests).
using ClientFactory = std::function<Result<std::unique_ptr<net::HttpClient>>(
    const std::string& base_url, const pki::ClientTlsSettings& tls)>;

struct EnrollOptions {
  std::string server_url;
  std::string token;
  std::string ca_fingerprint;  // Hex, colons allowed.
  std::string common_name;     // CSR subject, for humans; the CA ignores it.
  // Enrolling one of Vigil's sensors (`vigil sensor enroll`): its certificate names it
  // urn:vigil:sensor:<id>, and AgentIdentity::device_id holds that id.
  bool sensor = false;
};

Result<AgentIdentity> Enroll(StateDir& state, const EnrollOptions& options,
                             const ClientFactory& make_client);

// `client` must present the current certificate (mutual TLS). `sensor`: renewing one of
// Vigil's sensors (as EnrollOptions::sensor).
Result<pki::DeviceCertificateInfo> Renew(StateDir& state, const AgentIdentity& identity,
                                         net::HttpClient& client, bool sensor = false);

// The TLS settings for talking to the gateway with `credentials` (mutual TLS, trusted root).
pki::ClientTlsSettings MutualTlsSettings(const Credentials& credentials);

enum class CertificateState { kValid, kRenewDue, kExpired };

// kExpired from not_after on; kRenewDue once less than `renew_when_remaining` of the lifetime
// (not_after - not_before) is left (default: the gateway's default, a third).
CertificateState ClassifyCertificate(
    const pki::DeviceCertificateInfo& info, std::int64_t now_unix,
    double renew_when_remaining = model::DeviceConfig{}.renew_when_remaining);
std::string_view CertificateStateName(CertificateState state);  // "ok", "renew due", "expired".

// The error for a non-2xx answer to `what` ("enroll"): 400 kInvalidArgument, 401
// kUnauthenticated, 403 kPermissionDenied, 404 kNotFound, 409 kAlreadyExists, 429 and 5xx
// kUnavailable, other statuses kFailedPrecondition; the message quotes the gateway's error.
Error AnswerError(std::string_view what, int status, std::string_view body);

// The Retry-After of an answer in seconds (RFC 9110 section 10.2.3, the delay-seconds form;
// at most an hour), 0 when absent or not a number.
std::chrono::seconds RetryAfter(const net::HttpResponse& response);

}  // namespace vigil::agent
