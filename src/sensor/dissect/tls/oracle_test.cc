// Oracle test: a real `openssl s_client` to `openssl s_server` handshake on loopback, captured by
// tcpdump; the dissector's JA3 and JA3S must equal what tshark computes from the same capture.
// Skips (fails under CI=true) when a tool is missing or tcpdump cannot capture on lo.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <thread>

#include "core/hex.h"
#include "sensor/dissect/stream_feeder.h"
#include "sensor/dissect/testing/dissect_testing.h"
#include "sensor/dissect/tls/dissector.h"
#include "sensor/dissect/tls/tls_builders_test.h"

namespace vigil::sensor::tls {
namespace {

using vigil::testing::ReadFileOrEmpty;
using vigil::testing::TempDir;

// A port free on loopback now (bound to 0, then released).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  bind(fd, reinterpret_cast<sockaddr*>(&address), size);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return ntohs(address.sin_port);
}

bool WaitFor(const std::filesystem::path& file, std::string_view text) {
  for (int i = 0; i < 100; ++i) {
    if (ReadFileOrEmpty(file).find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

struct Oracle {
  std::string ja3, ja3_full, ja3s, ja3s_full;
};

class TlsOracleTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TlsOracleTest, Ja3AndJa3sMatchTshark) {
  VIGIL_REQUIRE_TOOL(tcpdump, "tcpdump");
  VIGIL_REQUIRE_TOOL(tshark, "tshark");
  VIGIL_REQUIRE_TOOL(openssl, "openssl");
  TempDir dir;
  const std::string d = dir.path().string();
  const std::string port = std::to_string(FreePort());
  RunCommand(openssl.string() +
             " req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout " + d +
             "/key.pem -out " + d + "/cert.pem -subj /CN=oracle.test -days 30 2>/dev/null");
  RunCommand(tcpdump.string() + " -i lo --immediate-mode -U -w " + d + "/tls.pcap tcp port " +
             port + " >" + d + "/tcpdump.log 2>&1 & echo $! >" + d + "/tcpdump.pid");
  if (!WaitFor(dir / "tcpdump.log", "listening on")) {
    RunCommand("kill $(cat " + d + "/tcpdump.pid) 2>/dev/null");
    VIGIL_SKIP_OR_FAIL("tcpdump cannot capture on lo: " + ReadFileOrEmpty(dir / "tcpdump.log"));
  }
  RunCommand(openssl.string() + " s_server -accept " + port + " -cert " + d + "/cert.pem -key " +
             d + "/key.pem -naccept 1 -quiet >" + d + "/server.log 2>&1 & echo $! >" + d +
             "/server.pid");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  RunCommand("echo | timeout 10 " + openssl.string() + " s_client -connect 127.0.0.1:" + port +
             " -servername oracle.test " + GetParam() + " >" + d + "/client.log 2>&1");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  RunCommand("kill $(cat " + d + "/tcpdump.pid) $(cat " + d +
             "/server.pid) 2>/dev/null; sleep 0.3");

  std::istringstream fields(
      RunCommand(tshark.string() + " -r " + d +
                 "/tls.pcap -Y 'tls.handshake.type==1||tls.handshake.type==2' -T "
                 "fields -e tls.handshake.ja3 -e tls.handshake.ja3_full "
                 "-e tls.handshake.ja3s -e tls.handshake.ja3s_full 2>/dev/null"));
  Oracle oracle;
  std::string line;
  while (std::getline(fields, line)) {
    std::istringstream columns(line);
    std::string a, b, c, e;
    std::getline(columns, a, '\t');
    std::getline(columns, b, '\t');
    std::getline(columns, c, '\t');
    std::getline(columns, e, '\t');
    if (!a.empty()) oracle.ja3 = a, oracle.ja3_full = b;
    if (!c.empty()) oracle.ja3s = c, oracle.ja3s_full = e;
  }
  ASSERT_FALSE(oracle.ja3.empty())
      << "tshark found no ClientHello in the capture; server: "
      << ReadFileOrEmpty(dir / "server.log") << "\nclient: " << ReadFileOrEmpty(dir / "client.log")
      << "\ncapture: " << RunCommand(tshark.string() + " -r " + d + "/tls.pcap 2>&1");

  // The capture's TCP payloads in order, each direction fed to the dissector.
  std::istringstream payloads(RunCommand(tshark.string() + " -r " + d +
                                         "/tls.pcap -Y 'tcp.len>0' -T fields -e tcp.dstport -e "
                                         "tcp.payload 2>/dev/null"));
  CollectingSink sink;
  auto stream = Info().make_stream();
  StreamFeeder feeder(*stream, {}, sink);
  while (std::getline(payloads, line)) {
    auto tab = line.find('\t');
    std::string hex = line.substr(tab + 1);
    std::erase(hex, ':');
    auto bytes = HexDecode(hex);
    ASSERT_TRUE(bytes) << line;
    feeder.Deliver(
        line.substr(0, tab) == port ? Direction::kClientToServer : Direction::kServerToClient,
        *bytes);
  }

  Oracle ours;
  for (const auto& o : sink.observations) {
    for (const auto& fact : o.facts) {
      if (fact.key == "tls.ja3") ours.ja3 = fact.value;
      if (fact.key == "tls.ja3_full") ours.ja3_full = fact.value;
      if (fact.key == "tls.ja3s") ours.ja3s = fact.value;
      if (fact.key == "tls.ja3s_full") ours.ja3s_full = fact.value;
    }
  }
  ASSERT_FALSE(oracle.ja3s.empty()) << "tshark found no ServerHello in the capture";
  EXPECT_EQ(ours.ja3_full, oracle.ja3_full);
  EXPECT_EQ(ours.ja3, oracle.ja3);
  EXPECT_EQ(ours.ja3s_full, oracle.ja3s_full);
  EXPECT_EQ(ours.ja3s, oracle.ja3s);
}

INSTANTIATE_TEST_SUITE_P(Versions, TlsOracleTest,
                         ::testing::Values("-tls1_2", "-tls1_3", "-tls1_2 -alpn h2,http/1.1"));

}  // namespace
}  // namespace vigil::sensor::tls
