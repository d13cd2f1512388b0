#include "integration/identity/api_client.h"

#include <signal.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace vigil::identity_test {
namespace {

using std::chrono::seconds;

constexpr std::int64_t kTotpPeriodSeconds = 30;

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The headers of the last response in a file written by `curl -D` (earlier blocks are
// interim responses such as 100 Continue).
std::vector<std::pair<std::string, std::string>> ParseHeaders(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> headers;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("HTTP/")) {
      headers.clear();
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    headers.emplace_back(Lower(line.substr(0, colon)), Trim(line.substr(colon + 1)));
  }
  return headers;
}

bool ChangesState(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

std::string Reply::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

std::string Reply::ErrorCode() const {
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return {};
  return body["error"].value("code", "");
}

HttpClient::HttpClient(std::filesystem::path curl, std::string base_url,
                       std::filesystem::path scratch, bool cookies)
    : curl_(std::move(curl)),
      base_url_(std::move(base_url)),
      scratch_(std::move(scratch)),
      cookies_(cookies) {
  std::filesystem::create_directories(scratch_);
}

Reply HttpClient::Send(const Request& request) {
  const std::filesystem::path body_file = scratch_ / "body";
  const std::filesystem::path header_file = scratch_ / "headers";
  const std::string jar = (scratch_ / "cookies.txt").string();
  std::filesystem::remove(body_file);
  std::filesystem::remove(header_file);
  // Generous limits: under ASan an Argon2id check takes up to a few hundred milliseconds and a
  // loaded two-core machine may queue it behind others.
  std::vector<std::string> argv = {curl_.string(),
                                   "-sS",
                                   "-k",
                                   "--max-time",
                                   "60",
                                   "-o",
                                   body_file.string(),
                                   "-D",
                                   header_file.string(),
                                   "-w",
                                   "%{http_code}",
                                   "-X",
                                   request.method};
  if (cookies_) {
    argv.insert(argv.end(), {"-b", jar, "-c", jar});
  }
  for (const std::string& header : request.headers) {
    argv.insert(argv.end(), {"-H", header});
  }
  if (cookies_ && request.csrf && !csrf_.empty() && ChangesState(request.method)) {
    argv.insert(argv.end(), {"-H", "X-CSRF-Token: " + csrf_});
  }
  if (!request.body.is_null()) {
    argv.insert(argv.end(),
                {"-H", "Content-Type: application/json", "--data-binary", request.body.dump()});
  }
  argv.push_back(base_url_ + request.path);

  const cli_test::Outcome run = cli_test::RunProcess(argv, {}, seconds(90));

  Reply reply;
  if (run.exit_code != 0 || run.output.size() < 3) {
    reply.raw = "curl failed (" + std::to_string(run.exit_code) + "): " + run.output;
    return reply;
  }
  reply.status = std::atoi(run.output.substr(run.output.size() - 3).c_str());
  reply.raw = testing::ReadFileOrEmpty(body_file);
  reply.body = nlohmann::json::parse(reply.raw, nullptr, /*allow_exceptions=*/false);
  if (reply.body.is_discarded()) reply.body = nlohmann::json::object();
  reply.headers = ParseHeaders(testing::ReadFileOrEmpty(header_file));
  if (reply.body.is_object() && reply.body.contains("csrf_token") &&
      reply.body["csrf_token"].is_string()) {
    csrf_ = reply.body["csrf_token"].get<std::string>();
  }
  return reply;
}

Reply HttpClient::Get(const std::string& path, std::vector<std::string> headers) {
  return Send({.method = "GET",
               .path = path,
               .body = nullptr,
               .headers = std::move(headers),
               .csrf = true});
}

Reply HttpClient::Post(const std::string& path, nlohmann::json body) {
  return Send(
      {.method = "POST", .path = path, .body = std::move(body), .headers = {}, .csrf = true});
}

std::string HttpClient::SessionCookie() const {
  // Netscape cookie file: domain, subdomains, path, secure, expiry, name, value (tab-separated).
  std::istringstream lines(testing::ReadFileOrEmpty(scratch_ / "cookies.txt"));
  std::string value;
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::istringstream columns(line);
    for (std::string field; std::getline(columns, field, '\t');) fields.push_back(field);
    if (fields.size() == 7 && fields[5] == kSessionCookie) value = Trim(fields[6]);
  }
  return value;
}

Server::Server(const std::string& identity_config) {
  std::filesystem::create_directories(dir_ / "data");
  std::filesystem::create_directories(scratch());
  {
    std::ofstream toml(dir_ / "data" / "vigil.toml");
    toml << "[server]\naccess_log = false\n\n[identity]\n" << identity_config << "\n";
  }
  child_ = std::make_unique<cli_test::Child>(
      std::vector<std::string>{cli_test::VigilBinary(), "serve", "--data-dir", data_dir(),
                               "--listen", "127.0.0.1:0", "--gateway-listen", "127.0.0.1:0"});
  // First start makes keys, a certificate and the admin's Argon2id hash: slow under ASan.
  if (!child_->WaitFor("Stop with Ctrl-C", seconds(120))) return;
  admin_password_ = ValueAfter(child_->output(), "one-time password:");
  url_ = ValueAfter(child_->output(), " is serving ");
}

cli_test::Outcome Server::Vigil(std::vector<std::string> args) const {
  args.insert(args.begin(), cli_test::VigilBinary());
  args.insert(args.end(), {"--data-dir", data_dir()});
  return cli_test::RunProcess(args, {}, seconds(120));
}

std::vector<nlohmann::json> Server::AuditEvents() const {
  const cli_test::Outcome exported = Vigil({"audit", "export"});
  std::vector<nlohmann::json> events;
  std::istringstream lines(exported.output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() != '{') continue;
    nlohmann::json event = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!event.is_discarded()) events.push_back(std::move(event));
  }
  return events;
}

int Server::Stop() {
  child_->Signal(SIGTERM);
  return child_->Wait(seconds(60));
}

std::vector<nlohmann::json> WithAction(const std::vector<nlohmann::json>& events,
                                       std::string_view action) {
  std::vector<nlohmann::json> found;
  for (const auto& event : events) {
    if (event.value("action", "") == action) found.push_back(event);
  }
  return found;
}

std::string ValueAfter(const std::string& output, std::string_view label) {
  const auto at = output.find(label);
  if (at == std::string::npos) return {};
  const auto start = at + label.size();
  return Trim(std::string_view(output).substr(start, output.find('\n', start) - start));
}

std::int64_t TotpStepNow() {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<seconds>(now).count() / kTotpPeriodSeconds;
}

std::string TotpCode(const std::filesystem::path& oathtool, const std::string& secret) {
  const cli_test::Outcome run =
      cli_test::RunProcess({oathtool.string(), "--totp", "-b", secret}, {}, seconds(30));
  if (run.exit_code != 0) return {};
  return Trim(run.output);
}

std::string LaterTotpCode(const std::filesystem::path& oathtool, const std::string& secret,
                          std::int64_t after_step, const std::string& previous) {
  using std::chrono::milliseconds;
  const auto deadline = std::chrono::steady_clock::now() + seconds(2 * kTotpPeriodSeconds + 15);
  while (std::chrono::steady_clock::now() < deadline) {
    if (TotpStepNow() <= after_step) {
      // Sleep to just past the next step boundary, no longer.
      const auto now = std::chrono::duration_cast<milliseconds>(
          std::chrono::system_clock::now().time_since_epoch());
      const milliseconds period = seconds(kTotpPeriodSeconds);
      const milliseconds next_boundary = (now / period + 1) * period;
      std::this_thread::sleep_for(next_boundary - now + milliseconds(200));
      continue;
    }
    const std::string code = TotpCode(oathtool, secret);
    // Two steps share a code one time in a million: then the next step's code is needed.
    if (!code.empty() && code != previous) return code;
    after_step = TotpStepNow();
  }
  return {};
}

}  // namespace vigil::identity_test
