// `vigil sensor --pcap F --data-dir D` feeds D's inventory; `vigil inventory list|show` read it
// back; a data directory held by a running server is refused with a pointer to --server.

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

class InventoryCli : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::WritePcap(pcap(), 1,
                       {testing::DhcpRequestFrame(
                           {{12, "phone-12"}, {60, "Cisco Systems, Inc. IP Phone CP-8841"}})});
  }

  std::string data() const { return (dir_ / "data").string(); }
  std::string pcap() const { return (dir_ / "dhcp.pcap").string(); }

  Outcome Vigil(std::vector<std::string> args) {
    args.insert(args.begin(), VigilBinary());
    return RunProcess(args);
  }

  testing::TempDir dir_;
};

TEST_F(InventoryCli, SensorFeedsTheDataDirectoryAndInventoryReadsItBack) {
  const auto sensed = Vigil({"sensor", "--pcap", pcap(), "--data-dir", data()});
  const auto list = Vigil({"inventory", "list", "--data-dir", data()});
  const auto show = Vigil({"inventory", "show", "mac-001b2c3d4e5f", "--data-dir", data()});

  ASSERT_EQ(sensed.exit_code, 0) << sensed.output;
  EXPECT_NE(sensed.output.find("stored in"), std::string::npos) << sensed.output;
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("mac-001b2c3d4e5f"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("10.0.0.1"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("Cisco"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("phone-12"), std::string::npos) << list.output;
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("IP Phone CP-8841"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("rule dhcp-cisco-ip-phone"), std::string::npos) << show.output;
}

TEST_F(InventoryCli, JsonAndDataDirCombine) {
  const auto sensed = Vigil({"sensor", "--pcap", pcap(), "--json", "--data-dir", data()});
  const auto list = Vigil({"inventory", "list", "--search", "phone", "--data-dir", data()});

  ASSERT_EQ(sensed.exit_code, 0) << sensed.output;
  EXPECT_NE(sensed.output.find("\"type\":\"observation\""), std::string::npos) << sensed.output;
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("1 device"), std::string::npos) << list.output;
}

TEST_F(InventoryCli, UnknownDeviceIsNotFound) {
  ASSERT_EQ(Vigil({"sensor", "--pcap", pcap(), "--data-dir", data()}).exit_code, 0);

  const auto show = Vigil({"inventory", "show", "mac-000000000000", "--data-dir", data()});

  EXPECT_NE(show.exit_code, 0);
  EXPECT_NE(show.output.find("not found"), std::string::npos) << show.output;
}

TEST_F(InventoryCli, DataDirectoryOfARunningServerIsRefused) {
  Child serve({VigilBinary(), "serve", "--data-dir", data(), "--listen", "127.0.0.1:0",
               "--gateway-listen", "127.0.0.1:0"});
  ASSERT_TRUE(serve.WaitFor("Stop with Ctrl-C", std::chrono::seconds(60))) << serve.output();

  const auto sensed = Vigil({"sensor", "--pcap", pcap(), "--data-dir", data()});
  const auto list = Vigil({"inventory", "list", "--data-dir", data()});
  serve.Signal(SIGTERM);
  const int stopped = serve.Wait(std::chrono::seconds(30));

  EXPECT_EQ(sensed.exit_code, 4) << sensed.output;
  EXPECT_NE(sensed.output.find("--server"), std::string::npos) << sensed.output;
  EXPECT_EQ(list.exit_code, 0) << list.output;  // Through the server's control socket.
  EXPECT_NE(list.output.find("0 devices"), std::string::npos) << list.output;
  EXPECT_EQ(stopped, 0) << serve.output();
}

}  // namespace
}  // namespace vigil::cli_test
