#pragma once

// Test helpers for the identity API end to end, through real peers only: `vigil serve` in its
// own temporary data directory, a person's browser played by curl with a cookie jar, a script
// played by curl without one, and TOTP codes from oathtool (RFC 6238).
//
// Every helper runs child processes with bounded waits. Nothing here is thread-safe: a test
// uses its helpers from one thread.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "integration/cli/process.h"
#include "testing/fixtures.h"

namespace vigil::identity_test {

// The cookie that carries a session (src/http/auth.h).
inline constexpr std::string_view kSessionCookie = "__Host-vigil";

// One HTTP answer as curl saw it.
struct Reply {
  int status = 0;   // 0 when curl itself failed; `raw` then holds its error.
  std::string raw;  // The body as received.
  nlohmann::json body = nlohmann::json::object();            // The body parsed; {} when not JSON.
  std::vector<std::pair<std::string, std::string>> headers;  // Names in lower case.

  // The value of header `name` (lower case), empty if absent.
  std::string Header(std::string_view name) const;
  // The code of a JSON error body ({"error":{"code":...}}), empty if there is none.
  std::string ErrorCode() const;
};

// An HTTP request. `body` goes out as JSON unless it is null; `headers` are "Name: value".
struct Request {
  std::string method = "GET";
  std::string path;
  nlohmann::json body = nullptr;
  std::vector<std::string> headers;
  bool csrf = true;  // Browsers only: send the last CSRF token given on a state change.
};

// curl against one server. A browser keeps its cookies in a jar and remembers the last
// `csrf_token` a reply carried; a script (no jar) sends only what it is told to.
class HttpClient {
 public:
  // `scratch` is a directory of this client's own, for the jar and curl's output files.
  HttpClient(std::filesystem::path curl, std::string base_url, std::filesystem::path scratch,
             bool cookies);

  Reply Send(const Request& request);
  Reply Get(const std::string& path, std::vector<std::string> headers = {});
  Reply Post(const std::string& path, nlohmann::json body = nlohmann::json::object());

  // The session cookie's value in the jar, empty if there is none.
  std::string SessionCookie() const;
  const std::string& csrf_token() const { return csrf_; }

 private:
  std::filesystem::path curl_;
  std::string base_url_;
  std::filesystem::path scratch_;
  bool cookies_;
  std::string csrf_;
};

// `vigil serve` on a free loopback port, with a data directory of its own.
class Server {
 public:
  // Writes `identity_config` (TOML lines) as the [identity] section of <data dir>/vigil.toml,
  // turns access logs off and starts the server. ok() tells whether it came up.
  explicit Server(const std::string& identity_config);
  ~Server() = default;  // The Child kills a server still running.
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  bool ok() const { return !url_.empty(); }
  const std::string& url() const { return url_; }
  // The first admin's one-time password, as serve printed it on its first start.
  const std::string& admin_password() const { return admin_password_; }
  std::string data_dir() const { return (dir_ / "data").string(); }
  // A directory for the test's own files, removed with the server's.
  std::filesystem::path scratch() const { return dir_ / "scratch"; }
  // What serve has printed so far (complete after Stop()).
  const std::string& output() const { return child_->output(); }

  // Runs `vigil ARGS --data-dir D`; while serving, the command goes through its control socket.
  cli_test::Outcome Vigil(std::vector<std::string> args) const;
  // The audit log as `vigil audit export` prints it, one object per entry.
  std::vector<nlohmann::json> AuditEvents() const;
  // SIGTERM, then waits: the exit code (0 for a clean stop), -1 if it had to be killed.
  int Stop();

 private:
  testing::TempDir dir_;
  std::unique_ptr<cli_test::Child> child_;
  std::string url_;
  std::string admin_password_;
};

// The entries of `events` with `action`, oldest first.
std::vector<nlohmann::json> WithAction(const std::vector<nlohmann::json>& events,
                                       std::string_view action);

// The text after "`label`" on the first line of `output` that has it, trimmed; empty if none.
std::string ValueAfter(const std::string& output, std::string_view label);

// The current RFC 6238 time step (30 s) by the system clock, which the server also uses.
std::int64_t TotpStepNow();

// The current TOTP code for a base32 `secret`, as `oathtool --totp -b` prints it.
std::string TotpCode(const std::filesystem::path& oathtool, const std::string& secret);

// A code of a step later than `after_step` that differs from `previous`: waits (at most about
// two steps) for the clock to move on. Empty if it could not get one.
std::string LaterTotpCode(const std::filesystem::path& oathtool, const std::string& secret,
                          std::int64_t after_step, const std::string& previous);

}  // namespace vigil::identity_test
