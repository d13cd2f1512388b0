// A live capture: frames replayed with tcpreplay onto one end of a veth pair are captured by
// `vigil sensor --interface` on the other end, inside a network namespace the test creates, and
// the sensor reports the same devices and flows as it does reading the file.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "integration/cli/process.h"
#include "testing/fixtures.h"
#include "testing/pcap_writer.h"

namespace vigil {
namespace {

using cli_test::Child;
using cli_test::RunProcess;
using cli_test::VigilBinary;
using namespace std::chrono_literals;

testing::FrameBytes Arp(std::uint8_t mac, std::uint8_t ip) {
  return {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x1b, 0,    0,    0,  mac, 0x08, 0x06,
          0,    1,    8,    0,    6,    4,    0,    1,    0x02, 0x1b, 0,  0,   0,    mac,
          10,   0,    0,    ip,   0,    0,    0,    0,    0,    0,    10, 0,   0,    254};
}

// A test network: a namespace with one end of a veth pair; the other end stays here.
class VethPair {
 public:
  VethPair() {
    std::string id = std::to_string(::getpid() % 100000);
    ns_ = "vigil-sensor-" + id;
    host_ = "vsa" + id;
    inside_ = "vsb" + id;
    ok_ = Sh("ip netns add " + ns_) &&
          Sh("ip link add " + host_ + " type veth peer name " + inside_ + " netns " + ns_);
    // No IPv6 on the pair, so the kernel's own router solicitations stay out of the capture.
    ok_ = ok_ && Sh("sysctl -qw net.ipv6.conf." + host_ + ".disable_ipv6=1") &&
          Sh("ip netns exec " + ns_ + " sysctl -qw net.ipv6.conf." + inside_ + ".disable_ipv6=1") &&
          Sh("ip link set " + host_ + " up") && Sh("ip -n " + ns_ + " link set " + inside_ + " up");
  }
  ~VethPair() {
    Sh("ip link del " + host_);
    Sh("ip netns del " + ns_);
  }
  bool ok() const { return ok_; }
  const std::string& ns() const { return ns_; }
  const std::string& host() const { return host_; }
  const std::string& inside() const { return inside_; }

 private:
  static bool Sh(const std::string& cmd) {
    return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
  }
  std::string ns_, host_, inside_;
  bool ok_ = false;
};

// What must agree between the file and the live capture: ARP pairs and flows by their ends and
// packet counts (times differ).
std::set<std::string> Facts(const std::string& output) {
  std::set<std::string> facts;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] != '{') continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    if (j["type"] == "observation") {
      facts.insert("observation " + j["protocol"].get<std::string>() + " " + j["subject"].dump() +
                   " " + j["facts"].dump());
    } else if (j["type"] == "flow") {
      facts.insert("flow " + j["client"].dump() + " " + j["server"].dump() + " " +
                   j["client_packets"].dump() + "/" + j["server_packets"].dump());
    }
  }
  return facts;
}

TEST(LiveCapture, ReportsTheSameDevicesAsTheFile) {
  if (::geteuid() != 0) GTEST_SKIP() << "creating a network namespace needs root";
  for (const char* tool : {"ip", "tcpreplay"}) {
    if (!testing::FindTool(tool)) {
      if (testing::InCi()) FAIL() << tool << " is missing (scripts/install-deps installs it)";
      GTEST_SKIP() << tool << " is not installed";
    }
  }
  VethPair net;
  if (!net.ok()) GTEST_SKIP() << "cannot create a network namespace and veth pair here";
  testing::TempDir dir;
  std::vector<testing::FrameBytes> frames = {Arp(1, 11), Arp(2, 12), Arp(3, 13)};
  for (std::uint16_t i = 0; i < 5; ++i) {
    frames.push_back(testing::UdpFrame(static_cast<std::uint16_t>(40000 + i % 2), 6661, {'x'}));
  }
  testing::WritePcap(dir / "replay.pcap", 1, frames);
  auto from_file =
      RunProcess({VigilBinary(), "sensor", "--pcap", (dir / "replay.pcap").string(), "--json"});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.output;

  Child sensor({"ip", "netns", "exec", net.ns(), VigilBinary(), "sensor", "--interface",
                net.inside(), "--json"});
  ASSERT_TRUE(sensor.WaitFor("capturing on " + net.inside(), 20s)) << sensor.output();
  auto replay = RunProcess(
      {"tcpreplay", "-q", "--pps=200", "-i", net.host(), (dir / "replay.pcap").string()});
  ASSERT_EQ(replay.exit_code, 0) << replay.output;
  std::this_thread::sleep_for(500ms);  // Let the last frames through the capture buffer.
  sensor.Signal(SIGTERM);
  ASSERT_EQ(sensor.Wait(20s), 0) << sensor.output();

  std::set<std::string> live = Facts(sensor.output());
  std::set<std::string> file = Facts(from_file.output);
  EXPECT_EQ(live, file) << "live:\n" << sensor.output() << "\nfile:\n" << from_file.output;
  EXPECT_EQ(file.size(), 5u);  // Three ARP pairs, two flows.
  EXPECT_NE(sensor.output().find(R"("kernel_dropped":0)"), std::string::npos);
}

}  // namespace
}  // namespace vigil
