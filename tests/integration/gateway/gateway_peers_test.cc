// The device gateway end to end through real peers: `vigil serve` with its gateway on a free
// port, devices played by openssl (keys, CSRs, s_client) and curl (--cert/--key), operators by
// the vigil CLI over the control socket. Includes the durability check: the server is killed
// with SIGKILL while devices post telemetry, and every point acknowledged with a 2xx must be
// in the database after a restart.

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/cli/process.h"
#include "integration/gateway/data_dir_ca.h"
#include "testing/fixtures.h"

namespace vigil {
namespace {

using cli_test::Child;
using cli_test::Outcome;
using cli_test::RunProcess;
using cli_test::VigilBinary;
using nlohmann::json;
using std::chrono::seconds;

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// The rest of the first line of `output` after `label`, trimmed; empty if none.
std::string After(const std::string& output, const std::string& label) {
  const auto at = output.find(label);
  if (at == std::string::npos) return {};
  const auto start = at + label.size();
  const auto end = output.find('\n', start);
  std::string value = output.substr(start, end == std::string::npos ? end : end - start);
  const auto first = value.find_first_not_of(' ');
  return first == std::string::npos ? "" : Trim(value.substr(first));
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class GatewayPeers : public ::testing::Test {
 protected:
  void SetUp() override {
    VIGIL_REQUIRE_TOOL(curl, "curl");
    VIGIL_REQUIRE_TOOL(openssl, "openssl");
    curl_ = curl;
    openssl_ = openssl;
    std::filesystem::create_directories(dir_ / "data");
    std::filesystem::create_directories(dir_ / "device");
    std::ofstream(dir_ / "data" / "vigil.toml") << "[server]\naccess_log = false\n";
    Start();
  }

  void TearDown() override { Stop(); }

  void Stop() {
    if (server_) {
      server_->Signal(SIGTERM);
      EXPECT_EQ(server_->Wait(std::chrono::seconds(60)), 0) << server_->output();
      server_.reset();
    }
  }

  void Start() {
    server_ = std::make_unique<Child>(std::vector<std::string>{VigilBinary(), "serve", "--data-dir",
                                                               data(), "--listen", "127.0.0.1:0",
                                                               "--gateway-listen", "127.0.0.1:0"});
    ASSERT_TRUE(server_->WaitFor("Stop with Ctrl-C", std::chrono::seconds(120)))
        << server_->output();
    gateway_ = After(server_->output(), "gateway on ");
    gateway_ = gateway_.substr(0, gateway_.find(' '));
    fingerprint_ = After(server_->output(), "device CA fingerprint\n");
    ASSERT_FALSE(gateway_.empty()) << server_->output();
  }

  std::string data() const { return (dir_ / "data").string(); }
  std::filesystem::path device(const std::string& name) const { return dir_ / "device" / name; }
  std::string HostPort() const { return gateway_.substr(std::string("https://").size()); }

  Outcome Vigil(std::vector<std::string> args) const {
    args.insert(args.begin(), VigilBinary());
    args.insert(args.end(), {"--data-dir", data()});
    return RunProcess(args, {}, seconds(120));
  }

  std::string AddDevice(const std::string& name) {
    const Outcome added = Vigil({"device", "add", "--name", name, "--type", "infusion_pump",
                                 "--manufacturer", "Acme Medical", "--model", "P-100", "--firmware",
                                 "2.1.0", "--criticality", "life_sustaining"});
    EXPECT_EQ(added.exit_code, 0) << added.output;
    return Trim(added.output);
  }

  std::string Token(const std::string& id) {
    const Outcome token = Vigil({"device", "enroll-token", id});
    EXPECT_EQ(token.exit_code, 0) << token.output;
    return After(token.output, "token:");
  }

  // The device's own key and CSR, made by openssl on "the device".
  std::string MakeCsr(const std::string& prefix) {
    const auto key = device(prefix + ".key").string();
    const auto csr = device(prefix + ".csr").string();
    EXPECT_EQ(RunProcess({openssl_.string(), "req", "-new", "-newkey", "ec", "-pkeyopt",
                          "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj",
                          "/CN=" + prefix})
                  .exit_code,
              0);
    return ReadFile(csr);
  }

  // The root certificate the gateway presents, trusted only if its SHA-256 fingerprint is the
  // one `vigil serve` printed: what an agent does at first contact.
  std::filesystem::path PinnedRoot() {
    const Outcome shown = RunProcess({"sh", "-c",
                                      openssl_.string() + " s_client -connect " + HostPort() +
                                          " -showcerts </dev/null 2>/dev/null"});
    const std::string text = shown.output;
    const auto last = text.rfind("-----BEGIN CERTIFICATE-----");
    const auto end = text.find("-----END CERTIFICATE-----", last);
    EXPECT_NE(last, std::string::npos) << text;
    const auto root = device("root.pem");
    std::ofstream(root) << text.substr(last, end + 25 - last) << "\n";
    const Outcome fp = RunProcess(
        {openssl_.string(), "x509", "-in", root.string(), "-noout", "-fingerprint", "-sha256"});
    std::string hex;
    for (const char c : After(fp.output, "=")) {
      if (c != ':') hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    EXPECT_EQ(hex, fingerprint_) << fp.output;
    return root;
  }

  struct Reply {
    int status = 0;
    std::string body;
  };
  // curl to the gateway; `cert` empty means no client certificate.
  Reply Curl(const std::string& method, const std::string& path, const std::string& body,
             const std::string& cert_prefix = "") {
    std::vector<std::string> args{
        curl_.string(), "-sS",         "--max-time", "20", "--cacert",
        root_.string(), "-X",          method,       "-o", device("reply.txt").string(),
        "-w",           "%{http_code}"};
    if (!cert_prefix.empty()) {
      args.insert(args.end(), {"--cert", device(cert_prefix + ".crt").string(), "--key",
                               device(cert_prefix + ".key").string()});
    }
    if (!body.empty()) {
      std::ofstream(device("body.json")) << body;
      args.insert(args.end(), {"-H", "Content-Type: application/json", "--data-binary",
                               "@" + device("body.json").string()});
    }
    args.push_back(gateway_ + path);
    const Outcome out = RunProcess(args, {}, seconds(30));
    return {.status = std::atoi(out.output.c_str()), .body = ReadFile(device("reply.txt"))};
  }

  // Enrols `prefix` (its key and CSR made here) with a new token of device `id`.
  Reply Enrol(const std::string& id, const std::string& prefix) {
    const std::string csr = MakeCsr(prefix);
    const Reply reply = Curl("POST", "/v1/enroll", json{{"token", Token(id)}, {"csr", csr}}.dump());
    if (reply.status == 200) {
      const json body = json::parse(reply.body);
      std::ofstream(device(prefix + ".crt")) << body.at("certificate").get<std::string>();
    }
    return reply;
  }

  testing::TempDir dir_;
  std::filesystem::path curl_;
  std::filesystem::path openssl_;
  std::filesystem::path root_;
  std::unique_ptr<Child> server_;
  std::string gateway_;
  std::string fingerprint_;
};

TEST_F(GatewayPeers, EnrolReportRevokeWithCurlAndOpenssl) {
  root_ = PinnedRoot();
  const std::string id = AddDevice("ICU pump 7");
  const std::string token = Token(id);
  const std::string csr = MakeCsr("pump");

  const Reply enrolled = Curl("POST", "/v1/enroll", json{{"token", token}, {"csr", csr}}.dump());
  ASSERT_EQ(enrolled.status, 200) << enrolled.body;
  const json issued = json::parse(enrolled.body);
  std::ofstream(device("pump.crt")) << issued.at("certificate").get<std::string>();
  std::ofstream(device("chain.pem")) << issued.at("ca_chain").get<std::string>();
  const Reply again = Curl("POST", "/v1/enroll", json{{"token", token}, {"csr", csr}}.dump());
  const Outcome verified = RunProcess({openssl_.string(), "verify", "-CAfile", root_.string(),
                                       "-untrusted", device("chain.pem").string(), "-purpose",
                                       "sslclient", device("pump.crt").string()});
  const Reply beat =
      Curl("POST", "/v1/heartbeat",
           R"({"firmware_version":"2.1.1","agent_version":"curl","state":"in_use"})", "pump");
  const Reply points = Curl("POST", "/v1/telemetry",
                            R"({"points":[{"name":"battery.percent","value":80,"unit":"%",)"
                            R"("time":"2026-11-28T10:00:00Z"}]})",
                            "pump");
  const Reply anonymous = Curl("POST", "/v1/heartbeat", "{}");
  const Reply malformed = Curl("POST", "/v1/telemetry", "{\"points\":[", "pump");
  const Reply oversized = Curl("POST", "/v1/events", std::string(300 * 1024, ' '), "pump");
  const Outcome shown = Vigil({"device", "show", id});

  EXPECT_EQ(again.status, 401) << again.body;
  EXPECT_NE(verified.output.find("OK"), std::string::npos) << verified.output;
  EXPECT_EQ(beat.status, 200) << beat.body;
  EXPECT_EQ(points.status, 200) << points.body;
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(malformed.status, 400) << malformed.body;
  EXPECT_EQ(oversized.status, 413) << oversized.body;
  EXPECT_NE(shown.output.find("device reports 2.1.1"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("battery.percent"), std::string::npos) << shown.output;

  // Revocation: the next handshake fails, and the CRL names the serial.
  const Outcome revoked = Vigil({"device", "revoke", id, "--reason", "key_compromise"});
  ASSERT_EQ(revoked.exit_code, 0) << revoked.output;
  const std::string serial = After(revoked.output, "revoked certificate");
  const Reply refused = Curl("POST", "/v1/heartbeat", "{}", "pump");
  const Reply crl = Curl("GET", "/v1/crl", "");
  std::ofstream(device("crl.pem")) << crl.body;
  const Outcome crl_text =
      RunProcess({openssl_.string(), "crl", "-in", device("crl.pem").string(), "-noout", "-text"});

  EXPECT_NE(refused.status, 200) << refused.body;
  EXPECT_EQ(crl.status, 200);
  std::string upper;
  for (const char c : serial)
    upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  EXPECT_NE(crl_text.output.find(upper), std::string::npos) << serial << "\n" << crl_text.output;
  EXPECT_NE(crl_text.output.find("Key Compromise"), std::string::npos) << crl_text.output;
}

TEST_F(GatewayPeers, OpensslClientsSeeTheChainAndForeignCertificatesAreRefused) {
  root_ = PinnedRoot();
  // A certificate from another CA, made with openssl alone.
  const auto other_key = device("other-ca.key").string();
  const auto other_ca = device("other-ca.crt").string();
  ASSERT_EQ(RunProcess({openssl_.string(), "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", other_key, "-out", other_ca,
                        "-subj", "/CN=Other CA", "-days", "30"})
                .exit_code,
            0);
  MakeCsr("stranger");
  ASSERT_EQ(RunProcess({openssl_.string(), "x509", "-req", "-in", device("stranger.csr").string(),
                        "-CA", other_ca, "-CAkey", other_key, "-CAcreateserial", "-out",
                        device("stranger.crt").string(), "-days", "30"})
                .exit_code,
            0);

  const Outcome chain =
      RunProcess({"sh", "-c",
                  openssl_.string() + " s_client -connect " + HostPort() + " -CAfile " +
                      root_.string() + " -verify_return_error </dev/null 2>&1"});
  const Reply stranger = Curl("GET", "/v1/config", "", "stranger");
  const std::string id = AddDevice("Ward 5 monitor");
  const Reply enrolled = Enrol(id, "monitor");
  ASSERT_EQ(enrolled.status, 200) << enrolled.body;
  const Outcome mutual = RunProcess(
      {"sh", "-c",
       "printf 'GET /v1/config HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' | " +
           openssl_.string() + " s_client -quiet -connect " + HostPort() + " -CAfile " +
           root_.string() + " -cert " + device("monitor.crt").string() + " -key " +
           device("monitor.key").string() + " 2>&1"});

  EXPECT_NE(chain.output.find("Verify return code: 0 (ok)"), std::string::npos) << chain.output;
  EXPECT_NE(chain.output.find("depth=2"), std::string::npos) << chain.output;  // Root sent too.
  EXPECT_NE(stranger.status, 200) << stranger.body;
  EXPECT_NE(mutual.output.find("heartbeat_seconds"), std::string::npos) << mutual.output;
}

// An expired certificate from Vigil's own device CA, for an enrolled device, is refused in the
// handshake with the certificate_expired alert (RFC 8446 section 6.2), while a certificate issued
// the same way for the same device, but still valid, is accepted. The CA refuses a `now` before
// its intermediate's notBefore, so the expired one is issued at that first second for one minute:
// it ended minutes before `vigil serve` first started.
TEST_F(GatewayPeers, AnExpiredCertificateFromTheDeviceCaIsRefused) {
  root_ = PinnedRoot();
  const std::string id = AddDevice("Theatre pump 3");
  ASSERT_EQ(Enrol(id, "theatre").status, 200);
  const std::string expired_csr = MakeCsr("expired");
  const std::string fresh_csr = MakeCsr("fresh");
  Stop();
  const std::int64_t now = std::time(nullptr);
  auto ca = gateway_test::LoadDataDirCa(data(), now);
  ASSERT_TRUE(ca) << ca.error().message;
  const auto expired =
      ca->ca.IssueDeviceCertificate(expired_csr, id, ca->intermediate_not_before_unix, 60);
  const auto fresh = ca->ca.IssueDeviceCertificate(fresh_csr, id, now, std::int64_t{90} * 86400);
  ASSERT_TRUE(expired) << expired.error().message;
  ASSERT_TRUE(fresh) << fresh.error().message;
  ASSERT_LT(expired->not_after_unix, now);
  std::ofstream(device("expired.crt")) << expired->pem;
  std::ofstream(device("fresh.crt")) << fresh->pem;
  std::ofstream(device("chain.pem")) << ca->ca.chain_pem();
  Start();

  // What makes it fail: at a moment inside its validity the same chain verifies.
  const auto verify = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{openssl_.string(), "verify",     "-CAfile",
                                  root_.string(),    "-untrusted", device("chain.pem").string(),
                                  "-purpose",        "sslclient"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(device("expired.crt").string());
    return RunProcess(args);
  };
  const Outcome valid_then = verify({"-attime", std::to_string(expired->not_after_unix - 30)});
  const Outcome expired_now = verify({});
  const auto curl = [&](const std::string& prefix) {
    return RunProcess(
        {curl_.string(), "-sS", "--max-time", "20", "--cacert", root_.string(), "--cert",
         device(prefix + ".crt").string(), "--key", device(prefix + ".key").string(), "-o",
         "/dev/null", "-w", "%{http_code}", gateway_ + "/v1/config"},
        {}, seconds(30));
  };
  const auto s_client = [&](const std::string& prefix) {
    return RunProcess(
        {"sh", "-c",
         "printf 'GET /v1/config HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n' | " +
             openssl_.string() + " s_client -quiet -connect " + HostPort() + " -CAfile " +
             root_.string() + " -cert " + device(prefix + ".crt").string() + " -key " +
             device(prefix + ".key").string() + " 2>&1"},
        {}, seconds(30));
  };
  const Outcome curl_expired = curl("expired");
  const Outcome curl_fresh = curl("fresh");
  const Outcome curl_enrolled = curl("theatre");
  const Outcome openssl_expired = s_client("expired");
  const Outcome openssl_fresh = s_client("fresh");

  EXPECT_NE(valid_then.output.find(": OK"), std::string::npos) << valid_then.output;
  EXPECT_NE(expired_now.output.find("certificate has expired"), std::string::npos)
      << expired_now.output;
  EXPECT_NE(curl_expired.exit_code, 0) << curl_expired.output;
  EXPECT_TRUE(curl_expired.output.ends_with("000")) << curl_expired.output;  // No HTTP answer.
  EXPECT_NE(curl_expired.output.find("alert certificate expired"), std::string::npos)
      << curl_expired.output;
  EXPECT_EQ(curl_fresh.exit_code, 0) << curl_fresh.output;
  EXPECT_EQ(curl_fresh.output, "200");
  EXPECT_EQ(curl_enrolled.output, "200");
  EXPECT_NE(openssl_expired.output.find("alert certificate expired"), std::string::npos)
      << openssl_expired.output;
  EXPECT_EQ(openssl_expired.output.find("heartbeat_seconds"), std::string::npos)
      << openssl_expired.output;
  EXPECT_NE(openssl_fresh.output.find("heartbeat_seconds"), std::string::npos)
      << openssl_fresh.output;
}

// vigil-agent, the real device program: enrols with a token pinned to the CA fingerprint,
// reports once (heartbeat, system and user metrics), and the server shows what it sent.
TEST_F(GatewayPeers, AgentEnrolsReportsAndIsShutOutWhenRevoked) {
  const std::string agent = (testing::BinaryDir() / "apps/vigil-agent/vigil-agent").string();
  const std::string state = device("agent-state").string();
  const std::string id = AddDevice("Oncology pump 2");
  std::ofstream(device("pump-metrics.json")) << R"({"pump.battery_percent": 87})";

  const Outcome enrolled = RunProcess({agent, "enroll", "--server", gateway_, "--token", Token(id),
                                       "--ca-fingerprint", fingerprint_, "--state-dir", state},
                                      {}, seconds(60));
  const Outcome wrong_pin =
      RunProcess({agent, "enroll", "--server", gateway_, "--token", Token(id), "--ca-fingerprint",
                  std::string(64, 'a'), "--state-dir", device("other-state").string()},
                 {}, seconds(60));
  const Outcome ran = RunProcess({agent, "run", "--once", "--state-dir", state, "--metrics-file",
                                  device("pump-metrics.json").string()},
                                 {}, seconds(60));
  const Outcome status = RunProcess({agent, "status", "--state-dir", state}, {}, seconds(30));
  const Outcome shown = Vigil({"device", "show", id});

  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.output;
  EXPECT_EQ(After(enrolled.output, "device_id:"), id) << enrolled.output;
  EXPECT_NE(wrong_pin.exit_code, 0) << wrong_pin.output;
  EXPECT_EQ(ran.exit_code, 0) << ran.output;
  EXPECT_EQ(After(ran.output, "send_error:"), "none") << ran.output;
  EXPECT_NE(status.output.find(id), std::string::npos) << status.output;
  EXPECT_NE(shown.output.find("agent "), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("pump.battery_percent"), std::string::npos) << shown.output;
  EXPECT_NE(shown.output.find("memory.used_bytes"), std::string::npos) << shown.output;

  ASSERT_EQ(Vigil({"device", "revoke", id}).exit_code, 0);
  const Outcome refused =
      RunProcess({agent, "run", "--once", "--state-dir", state}, {}, seconds(60));
  EXPECT_NE(refused.exit_code, 0) << refused.output;
}

// SIGKILL while four devices post telemetry: every point acknowledged with a 2xx is in the
// database after a restart (counted through `vigil device show`).
TEST_F(GatewayPeers, EveryAcknowledgedPointSurvivesSigkill) {
  root_ = PinnedRoot();
  constexpr int kDevices = 4;
  std::vector<std::string> ids;
  for (int d = 0; d < kDevices; ++d) {
    ids.push_back(AddDevice("pump " + std::to_string(d)));
    ASSERT_EQ(Enrol(ids.back(), "load" + std::to_string(d)).status, 200);
  }
  std::atomic<bool> stop{false};
  std::vector<int> acknowledged(kDevices, 0);
  std::vector<std::thread> senders;
  for (int d = 0; d < kDevices; ++d) {
    senders.emplace_back([&, d] {
      const std::string cert = device("load" + std::to_string(d) + ".crt").string();
      const std::string key = device("load" + std::to_string(d) + ".key").string();
      for (int i = 0; !stop.load() && i < 10000; ++i) {
        const std::string body = R"({"points":[{"name":"seq","value":)" + std::to_string(i) +
                                 R"(,"unit":"count","time":"2026-11-28T10:00:00Z"}]})";
        const Outcome out = RunProcess(
            {curl_.string(), "-sS", "--max-time", "5", "--cacert", root_.string(), "--cert", cert,
             "--key", key, "-o", "/dev/null", "-w", "%{http_code}", "-H",
             "Content-Type: application/json", "--data-binary", body, gateway_ + "/v1/telemetry"},
            {}, seconds(10));
        if (out.output == "200") {
          acknowledged[static_cast<std::size_t>(d)] = i + 1;
        } else {
          break;  // The server is gone: later points were never acknowledged.
        }
      }
    });
  }
  std::this_thread::sleep_for(seconds(4));
  server_->Signal(SIGKILL);
  server_->Wait(seconds(30));
  stop.store(true);
  for (auto& t : senders) t.join();
  server_.reset();

  Start();
  int total = 0;
  for (int d = 0; d < kDevices; ++d) {
    const Outcome shown = Vigil({"device", "show", ids[static_cast<std::size_t>(d)]});
    const std::string line = After(shown.output, "seq (count)");
    const int stored = std::atoi(line.c_str());
    EXPECT_GE(stored, acknowledged[static_cast<std::size_t>(d)]) << shown.output;
    total += acknowledged[static_cast<std::size_t>(d)];
  }
  EXPECT_GT(total, 0) << "no request was acknowledged before the kill";
  std::printf("acknowledged before SIGKILL and found after restart: %d points\n", total);
}

}  // namespace
}  // namespace vigil
