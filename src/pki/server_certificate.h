#pragma once

// The HTTPS server's own certificate: a self-signed ECDSA P-256 certificate and its key, created
// on first start so `vigil serve` speaks TLS out of the box, or files the operator put in place
// (for example a certificate issued by the hospital's CA, with its chain after it).
//
// Files are PEM. The key is an unencrypted PKCS#8 key written with mode 0600 and O_EXCL: nothing
// is ever overwritten. The certificate is written with mode 0644.
//
// Errors: kNotFound when a file to load is missing; kInvalidArgument when a file is not PEM, is
// corrupt, holds an encrypted key, or the key does not match the certificate; kAlreadyExists when
// a file to create exists; kFailedPrecondition when only one of the pair exists; kUnavailable for
// other I/O failures. Messages name the file: "tls: /var/lib/vigil/tls/server.key: ...".
//
// Thread safety: all functions are free functions with no shared state; concurrent calls on the
// same paths race on the file system like any two processes would.

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace vigil::pki {

struct ServerCertificateFiles {
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
};

// <dir>/tls/server.crt and <dir>/tls/server.key.
ServerCertificateFiles DefaultServerCertificateFiles(const std::filesystem::path& dir);

struct SelfSignedOptions {
  std::string common_name = "vigil";
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ip_addresses = {"127.0.0.1", "::1"};
  std::chrono::seconds validity = std::chrono::hours(24 * 365);
};

// What a loaded or created certificate says about itself.
struct CertificateInfo {
  std::string subject;  // RFC 2253, e.g. "O=Vigil,CN=vigil".
  std::string issuer;
  std::vector<std::string> dns_names;     // subjectAltName dNSName entries.
  std::vector<std::string> ip_addresses;  // subjectAltName iPAddress entries, canonical text.
  TimePoint not_before;
  TimePoint not_after;
  std::string sha256_fingerprint;  // Lowercase hex of SHA-256 over the DER certificate.
  std::string key_type;            // "EC P-256", "RSA 3072", ...
  bool server_auth = false;        // True if the EKU allows TLS server use (or there is none).
};

// Creates a fresh P-256 key and a self-signed certificate for it (SHA-256 signature, random
// 127-bit serial, CA:FALSE, keyUsage digitalSignature, EKU serverAuth, the subjectAltNames of
// `options`), valid from five minutes before `now` for `options.validity`. kInvalidArgument for
// an empty common name, a DNS name with characters outside [A-Za-z0-9.*-], or an IP address
// that does not parse. On failure no file is left behind.
Result<CertificateInfo> CreateSelfSignedServerCertificate(const ServerCertificateFiles& files,
                                                          const SelfSignedOptions& options,
                                                          TimePoint now);

// Loads the certificate (the first one in the file; a chain may follow) and the key, and checks
// that the key belongs to the certificate.
Result<CertificateInfo> LoadServerCertificate(const ServerCertificateFiles& files);

// The files under `dir` (DefaultServerCertificateFiles): when neither exists, creates `dir/tls`
// (mode 0700) and a self-signed certificate with default options; when both exist, loads and
// checks them. kFailedPrecondition when only one exists. The second form uses the system clock.
Result<ServerCertificateFiles> EnsureServerCertificate(const std::filesystem::path& dir,
                                                       TimePoint now);
Result<ServerCertificateFiles> EnsureServerCertificate(const std::filesystem::path& dir);

}  // namespace vigil::pki
