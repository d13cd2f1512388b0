#include "agent/status.h"

#include "agent/enrollment.h"
#include "agent/spool/spool.h"
#include "agent/state_dir.h"
#include "core/time_format.h"
#include "model/device_report.h"
#include "pki/device_certificate.h"

namespace vigil::agent {

Result<std::string> FormatStatus(const std::filesystem::path& state_dir, std::int64_t now_unix) {
  auto state = StateDir::OpenReadOnly(state_dir);
  if (!state) return tl::unexpected(state.error());
  auto identity = state->LoadIdentity();
  if (!identity) return tl::unexpected(identity.error());
  auto credentials = state->LoadCredentials();
  if (!credentials) return tl::unexpected(credentials.error());
  auto certificate = pki::DescribeDeviceCertificate(credentials->cert_pem);
  if (!certificate) {
    return tl::unexpected(Annotate(certificate.error(), state->file("cert.pem").string()));
  }
  auto spool = InspectSpool(state->spool_dir());
  if (!spool && spool.error().code != ErrorCode::kNotFound) return tl::unexpected(spool.error());
  const auto stats = spool.value_or(SpoolStats{});
  const auto contact = state->LoadContact();
  const auto certificate_state =
      ClassifyCertificate(*certificate, now_unix, model::DeviceConfig{}.renew_when_remaining);

  std::string out;
  const auto line = [&out](std::string_view key, const std::string& value) {
    out += std::string(key) + ": " + value + "\n";
  };
  line("device_id", identity->device_id);
  line("server", identity->server_url);
  line("state_dir", state_dir.string());
  line("certificate_serial", certificate->serial_hex);
  line("certificate_not_after", FormatRfc3339(certificate->not_after_unix * 1'000'000'000, 0));
  line("certificate_state", std::string(CertificateStateName(certificate_state)));
  line("spool_records", std::to_string(stats.records));
  line("spool_bytes", std::to_string(stats.bytes));
  line("spool_dropped", std::to_string(stats.dropped_pending));
  line("spool_dropped_total", std::to_string(stats.dropped_total));
  line("spool_rejected_total", std::to_string(stats.rejected_total));
  line("last_contact", contact.last_contact_unix_nanos == 0
                           ? std::string("never")
                           : FormatRfc3339(contact.last_contact_unix_nanos, 0));
  line("quarantined", contact.quarantined ? "yes" : "no");
  if (certificate_state == CertificateState::kExpired) {
    line("action", "re-enrol with a new token: vigil-agent enroll --server " +
                       identity->server_url + " --token T --ca-fingerprint " +
                       identity->ca_fingerprint);
  }
  return out;
}

}  // namespace vigil::agent
