#pragma once

// Config: every option of vigil.toml with its default (docs/configuration.md lists them).
//
// Precedence, lowest first: built-in defaults, the file (`vigil serve --config F`, else
// `<data dir>/vigil.toml` if present), environment variables (VIGIL_*), command-line flags
// (applied by the caller). Unknown keys are errors, so a typo never silently falls back to a
// default. An invalid file yields kInvalidArgument whose message names the file, line and reason;
// the CLI exits with code 2 for it.
//
// Thread-compatible plain data.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace vigil::config {

struct ServerConfig {
  std::string listen = "127.0.0.1:8443";
  int threads = 2;
  std::string tls_cert;  // Empty: a self-signed certificate in <data dir>/tls/.
  std::string tls_key;
  std::int64_t max_header_bytes = std::int64_t{16} * 1024;
  std::int64_t max_body_bytes = std::int64_t{1024} * 1024;
  int read_timeout_seconds = 10;
  int idle_timeout_seconds = 60;
  bool access_log = true;
  // The dashboard's built assets (web/dist). Empty: the folder compiled in at build time.
  std::string web_root;
};

struct StorageConfig {
  std::string data_dir = "./var/data";
  // Key-encryption key file. Empty: $CREDENTIALS_DIRECTORY/vigil-kek when run by systemd with
  // LoadCredential=, else <data dir>.keys/kek (beside, not inside, the data directory).
  std::string key_file;
};

struct AuditConfig {
  std::int64_t checkpoint_interval = 1000;
  std::string checkpoint_file;  // Empty: <key folder>/audit-checkpoints.jsonl.
};

// Operator sign-in: sessions, lockout, MFA, tokens, first start (docs/configuration.md).
struct IdentityConfig {
  int session_idle_timeout_seconds = 900;        // HIPAA 164.312(a)(2)(iii) automatic logoff.
  int session_absolute_timeout_seconds = 43200;  // 12 hours.
  int sign_in_timeout_seconds = 300;             // To finish MFA after the password.
  int lockout_threshold = 5;                     // Consecutive failures that lock an account.
  int lockout_seconds = 900;
  int failure_delay_seconds = 1;  // Progressive delay from the 3rd failure; 0: none.
  int address_attempts_per_minute = 30;
  int totp_skew_steps = 1;  // Accepted 30-second steps either side of now.
  int token_default_days = 90;
  int token_max_days = 365;
  int hash_workers = 2;  // Threads for Argon2id, off the network threads.
  int hash_queue = 64;   // Sign-ins waiting beyond those; more get 503.
  std::string first_admin = "admin";
  std::string password_dictionary;  // cracklib dictionary prefix; empty: cracklib's default.
};

// The device gateway: its own mutual-TLS port (docs/configuration.md).
struct GatewayConfig {
  bool enabled = true;
  // Devices reach it over the network: hospitals set "0.0.0.0:8444" (or the device VLAN's
  // address). Loopback by default, like the dashboard, so a first start exposes nothing.
  std::string listen = "127.0.0.1:8444";
  int threads = 2;
  // Extra host names and addresses for the gateway's certificate (besides localhost,
  // 127.0.0.1, ::1, this machine's host name and the listen address).
  std::vector<std::string> server_names;
  std::int64_t max_body_bytes = std::int64_t{256} * 1024;
  int requests_per_second = 50;  // Per device, with a burst of twice that.
  int max_points = 1000;         // Per telemetry request.
  int max_events = 500;          // Per events request.
};

// Device records, certificates and what devices report (docs/configuration.md).
struct DevicesConfig {
  int certificate_days = 90;
  int enrollment_token_hours = 24;
  int crl_hours = 24;  // A CRL's validity; it is re-issued at half of it and on each revocation.
  int heartbeat_seconds = 60;
  int telemetry_seconds = 60;
  int telemetry_raw_days = 7;
  int telemetry_rollup_days = 90;
};

// The observed inventory (docs/configuration.md).
struct InventoryConfig {
  int flow_retention_days = 30;
  std::string oui_dir = "/usr/share/ieee-data";  // oui.csv, mam.csv, oui36.csv, iab.csv.
};

struct LogConfig {
  std::string format = "text";  // "text" or "json" (JSON lines).
  std::string level = "info";   // trace, debug, info, warn, error.
};

struct Config {
  ServerConfig server;
  StorageConfig storage;
  AuditConfig audit;
  IdentityConfig identity;
  GatewayConfig gateway;
  DevicesConfig devices;
  InventoryConfig inventory;
  LogConfig log;
};

// Reads `path` over the defaults. kNotFound if it does not exist; kInvalidArgument with
// "<file>:<line>: <reason>" for bad syntax, unknown keys, wrong types or values out of range.
Result<Config> LoadFile(const std::filesystem::path& path, Config base = {});

// Parses TOML text (for tests and for LoadFile); `source` names it in messages.
Result<Config> Parse(std::string_view text, std::string_view source, Config base = {});

// Applies VIGIL_LISTEN, VIGIL_GATEWAY_LISTEN, VIGIL_THREADS, VIGIL_TLS_CERT, VIGIL_TLS_KEY,
// VIGIL_DATA_DIR, VIGIL_KEY_FILE, VIGIL_AUDIT_CHECKPOINT_FILE, VIGIL_LOG_FORMAT, VIGIL_LOG_LEVEL
// from `env`.
Result<Config> ApplyEnvironment(Config config, const std::map<std::string, std::string>& env);

// The process environment as a map (only VIGIL_* and CREDENTIALS_DIRECTORY).
std::map<std::string, std::string> ProcessEnvironment();

// Checks cross-field rules (both or neither of tls_cert/tls_key, known log format...).
Status Validate(const Config& config);

// Paths derived from the configuration, with the defaults above resolved.
std::filesystem::path KeyFolder(const Config& config);
std::filesystem::path KeyFilePath(const Config& config,
                                  const std::map<std::string, std::string>& env);
std::filesystem::path CheckpointFilePath(const Config& config);

}  // namespace vigil::config
