#pragma once

// Vigil's own device CA: a root (kept offline in spirit: only its certificate is handed out)
// and an issuing intermediate, both ECDSA P-256, that certify the keys devices generate
// themselves (their CSRs), the gateway's TLS server key, and the list of revoked devices.
//
// CreateDeviceCa makes the material once; the caller seals the keys at rest and hands the PEM
// texts to DeviceCa::Load at each start. A device certificate says only who the device is:
// CN=<device id>, O=<organization>, SAN URI urn:vigil:device:<device id>, EKU clientAuth. What
// the CSR asks for (subject, extensions) is ignored.
//
// Times are seconds since the epoch, passed in (no clock is read here), so tests are hermetic.
//
// Errors: kInvalidArgument for bad input (a CSR: "csr: ..."; a device id, a name, a lifetime,
// a revocation reason); kFailedPrecondition when `now` is outside the intermediate's validity;
// Load: kDataLoss when a PEM text does not parse or the pieces do not belong together (a key
// that is not its certificate's, an intermediate the root did not sign), kInvalidArgument when
// a certificate is not a CA certificate or its key is not ECDSA P-256, kFailedPrecondition
// when `now` is outside either certificate's validity; kInternal if OpenSSL fails on good input.
//
// Thread safety: a loaded DeviceCa is immutable; every const method may be called from many
// threads at once, and copies share the parsed certificates and key. OpenSSL 3 supports
// concurrent signatures with one EVP_PKEY, each through its own EVP_PKEY_CTX (which X509_sign
// makes per call); Load signs once so the key's provider-side copy, made lazily under the key's
// lock, exists before any concurrent use (openssl-threads(7)).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace vigil::pki {

struct CaMaterial {  // PEM texts; keys are unencrypted PKCS#8 (the caller seals them at rest).
  std::string root_cert_pem;
  std::string root_key_pem;
  std::string intermediate_cert_pem;
  std::string intermediate_key_pem;
};

struct CaOptions {
  std::string organization = "Vigil";  // O= of every certificate; 1 to 64 characters.
  std::string site;                    // "" or the hospital's name: OU= of the two CAs.
  std::int64_t root_days = 7300;
  std::int64_t intermediate_days = 3650;  // At most root_days.
};

// A fresh root (CA, pathlen 1) and intermediate (CA, pathlen 0, EKU clientAuth and serverAuth),
// both with fresh P-256 keys, valid from now - 300 s. kInvalidArgument for bad options.
Result<CaMaterial> CreateDeviceCa(const CaOptions& options, std::int64_t now_unix);

struct IssuedCertificate {
  std::string pem;
  std::string serial_hex;          // See pki/serial.h.
  std::string fingerprint_sha256;  // Lowercase hex over the DER certificate.
  std::int64_t not_before_unix = 0;
  std::int64_t not_after_unix = 0;
};

struct IssuedServerCertificate {
  IssuedCertificate certificate;
  std::string key_pem;  // Unencrypted PKCS#8.
};

struct RevokedEntry {
  std::string serial_hex;
  std::int64_t revoked_unix = 0;
  std::string reason;  // One of the names MakeCrlPem accepts.
};

class DeviceCa {
 public:
  struct State;

  // Checks each key matches its certificate, the root is self-signed, the intermediate is
  // signed by the root, both are CA certificates and within their validity at now_unix.
  static Result<DeviceCa> Load(const CaMaterial& material, std::int64_t now_unix);

  // Certifies the key of `csr_pem` (see pki/csr.h for what is accepted) for `device_id`
  // (32 lowercase hex digits): basicConstraints CA:FALSE critical, keyUsage digitalSignature
  // critical, EKU clientAuth, subject and authority key identifiers, a random 16-octet serial,
  // not_before = now - 300, not_after = now + lifetime_seconds clamped to the intermediate's
  // not_after; ECDSA-SHA256 by the intermediate.
  Result<IssuedCertificate> IssueDeviceCertificate(std::string_view csr_pem,
                                                   std::string_view device_id,
                                                   std::int64_t now_unix,
                                                   std::int64_t lifetime_seconds) const;
  // The same for one of Vigil's sensors: SAN URI urn:vigil:sensor:<sensor_id> instead, so the
  // gateway can tell a sensor from a device by its certificate alone.
  Result<IssuedCertificate> IssueSensorCertificate(std::string_view csr_pem,
                                                   std::string_view sensor_id,
                                                   std::int64_t now_unix,
                                                   std::int64_t lifetime_seconds) const;

  // For the gateway's own TLS server: a fresh P-256 key made here, EKU serverAuth, SANs from
  // `dns_names` and `ip_addresses` (text, v4 or v6; at least one name in all), CN = the first
  // DNS name (or the first IP address when there is none).
  Result<IssuedServerCertificate> IssueServerCertificate(std::span<const std::string> dns_names,
                                                         std::span<const std::string> ip_addresses,
                                                         std::int64_t now_unix,
                                                         std::int64_t lifetime_seconds) const;

  // A v2 CRL (RFC 5280 section 5) signed by the intermediate, PEM: cRLNumber and
  // authorityKeyIdentifier, thisUpdate = now, nextUpdate = next_update_unix (> now), entries
  // with their revocation date and reason. Reason names: "unspecified", "key_compromise",
  // "affiliation_changed", "superseded", "cessation_of_operation", "certificate_hold"; the
  // reasonCode extension is left out for "unspecified", as section 5.3.1 asks.
  Result<std::string> MakeCrlPem(std::span<const RevokedEntry> revoked, std::int64_t now_unix,
                                 std::int64_t next_update_unix, std::int64_t crl_number) const;

  const std::string& root_pem() const;
  const std::string& chain_pem() const;  // Intermediate then root (what a leaf is sent with).
  std::string root_fingerprint_sha256() const;  // Lowercase hex, SHA-256 over the root's DER.
  std::int64_t intermediate_not_after_unix() const;

 private:
  explicit DeviceCa(std::shared_ptr<const State> state) : state_(std::move(state)) {}

  std::shared_ptr<const State> state_;
};

}  // namespace vigil::pki
