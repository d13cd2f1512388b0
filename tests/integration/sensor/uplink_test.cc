// A remote sensor end to end: `vigil serve`, `vigil sensor add` through the control socket,
// `vigil sensor enroll` against the gateway (key made here, root pinned by fingerprint), then
// `vigil sensor --pcap F --server URL` sends what it sees over mutual TLS and `vigil inventory
// list` finds the device in the server's inventory.

#include <gtest/gtest.h>
#include <signal.h>

#include <string>
#include <string_view>

#include "integration/cli/process.h"
#include "testing/fixtures.h"
#include "testing/pcap_writer.h"

namespace vigil::cli_test {
namespace {

using std::chrono::seconds;

// The rest of the line after `label` in `text`, "" if absent.
std::string After(const std::string& text, std::string_view label) {
  const auto at = text.find(label);
  if (at == std::string::npos) return "";
  auto start = text.find_first_not_of(' ', at + label.size());
  return text.substr(start, text.find('\n', start) - start);
}

class SensorUplink : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WritePcap(pcap(), 1, {testing::DhcpRequestFrame({{12, "pump-12"}})});
  }

  std::string data() const { return (dir_ / "data").string(); }
  std::string state() const { return (dir_ / "sensor").string(); }
  std::string pcap() const { return (dir_ / "dhcp.pcap").string(); }

  Outcome Vigil(std::vector<std::string> args) {
    args.insert(args.begin(), VigilBinary());
    return RunProcess(args);
  }

  testing::TempDir dir_;
};

TEST_F(SensorUplink, EnrolledSensorSendsToTheServersInventory) {
  Child serve({VigilBinary(), "serve", "--data-dir", data(), "--listen", "127.0.0.1:0",
               "--gateway-listen", "127.0.0.1:0"});
  ASSERT_TRUE(serve.WaitFor("Stop with Ctrl-C", seconds(60))) << serve.output();
  std::string gateway = After(serve.output(), "gateway on ");
  gateway = gateway.substr(0, gateway.find(' '));
  ASSERT_FALSE(gateway.empty()) << serve.output();

  const auto added = Vigil({"sensor", "add", "ward 3 span", "--data-dir", data()});
  ASSERT_EQ(added.exit_code, 0) << added.output;
  const std::string token = After(added.output, "token:");
  const std::string fingerprint = After(added.output, "ca fingerprint:");
  const std::string sensor_id = After(added.output, "sensor:");
  const auto enrolled = Vigil({"sensor", "enroll", "--server", gateway, "--token", token,
                               "--ca-fingerprint", fingerprint, "--state-dir", state()});
  const auto sent =
      Vigil({"sensor", "--pcap", pcap(), "--server", gateway, "--state-dir", state()});
  const auto listed = Vigil({"sensor", "list", "--data-dir", data()});
  const auto inventory = Vigil({"inventory", "list", "--data-dir", data()});
  const auto again = Vigil({"sensor", "enroll", "--server", gateway, "--token", token,
                            "--ca-fingerprint", fingerprint, "--state-dir", state()});
  serve.Signal(SIGTERM);
  EXPECT_EQ(serve.Wait(seconds(30)), 0) << serve.output();

  ASSERT_EQ(enrolled.exit_code, 0) << enrolled.output;
  EXPECT_NE(enrolled.output.find("enrolled sensor " + sensor_id), std::string::npos)
      << enrolled.output;
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  EXPECT_NE(sent.output.find(" 0 dropped, 0 refused"), std::string::npos) << sent.output;
  EXPECT_EQ(sent.output.find("uplink: 0 records sent"), std::string::npos) << sent.output;
  EXPECT_NE(listed.output.find(sensor_id), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("valid"), std::string::npos) << listed.output;
  ASSERT_EQ(inventory.exit_code, 0) << inventory.output;
  EXPECT_NE(inventory.output.find("mac-001b2c3d4e5f"), std::string::npos) << inventory.output;
  EXPECT_NE(inventory.output.find("pump-12"), std::string::npos) << inventory.output;
  EXPECT_NE(again.exit_code, 0) << "a token works once: " << again.output;
}

TEST_F(SensorUplink, SendingWithoutEnrolmentSaysSo) {
  const auto sent = Vigil(
      {"sensor", "--pcap", pcap(), "--server", "https://127.0.0.1:9", "--state-dir", state()});

  EXPECT_NE(sent.exit_code, 0);
  EXPECT_NE(sent.output.find("not enrolled"), std::string::npos) << sent.output;
  EXPECT_NE(sent.output.find("vigil sensor enroll --server URL"), std::string::npos) << sent.output;
  EXPECT_EQ(sent.output.find("vigil-agent"), std::string::npos) << sent.output;
}

}  // namespace
}  // namespace vigil::cli_test
