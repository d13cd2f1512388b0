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

// A DHCPREQUEST (RFC 2131) from 00:1b:2c:3d:4e:5f at 10.0.0.1 with a host name and a vendor
// class that the built-in rules know.
testing::FrameBytes DhcpRequest() {
  testing::FrameBytes m(240, 0);
  m[0] = 1;  // BOOTREQUEST
  m[1] = 1;  // Ethernet
  m[2] = 6;
  m[4] = 0x12, m[5] = 0x34, m[6] = 0x56, m[7] = 0x78;  // xid
  m[12] = 10, m[13] = 0, m[14] = 0, m[15] = 1;         // ciaddr
  const std::uint8_t mac[] = {0x00, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f};
  std::copy(std::begin(mac), std::end(mac), m.begin() + 28);
  m[236] = 0x63, m[237] = 0x82, m[238] = 0x53, m[239] = 0x63;
  auto option = [&](std::uint8_t code, std::string_view value) {
    m.push_back(code);
    m.push_back(static_cast<std::uint8_t>(value.size()));
    m.insert(m.end(), value.begin(), value.end());
  };
  option(53, std::string_view("\x03", 1));
  option(12, "phone-12");
  option(60, "Cisco Systems, Inc. IP Phone CP-8841");
  m.push_back(255);
  return testing::UdpFrame(68, 67, m);
}

class InventoryCli : public ::testing::Test {
 protected:
  void SetUp() override { testing::WritePcap(pcap(), 1, {DhcpRequest()}); }

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
