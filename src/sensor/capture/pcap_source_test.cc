#include "sensor/capture/pcap_source.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "testing/fixtures.h"
#include "testing/pcap_writer.h"

namespace vigil::sensor {
namespace {

using Bytes = testing::FrameBytes;
using testing::WritePcap;

Bytes UdpFrame(std::uint16_t sport) { return testing::UdpFrame(sport, 53, {'x'}); }

std::vector<Frame> ReadAll(PacketSource& source, std::vector<Bytes>* copies = nullptr) {
  std::vector<Frame> frames;
  Frame frame;
  while (true) {
    auto r = source.Next(frame);
    EXPECT_TRUE(r.has_value());
    if (!r || *r == PacketSource::Read::kEnd) break;
    frames.push_back(frame);
    if (copies != nullptr) copies->emplace_back(frame.bytes.begin(), frame.bytes.end());
  }
  return frames;
}

TEST(PcapSource, ReadsAClassicCaptureWithNanosecondTimes) {
  testing::TempDir dir;
  WritePcap(dir / "a.pcap", 1, {UdpFrame(1000), UdpFrame(2000)}, 1'700'000'000, 10);

  auto source = OpenCaptureFile((dir / "a.pcap").string());

  ASSERT_TRUE(source.has_value()) << source.error().message;
  EXPECT_EQ((*source)->link_type(), LinkType::kEthernet);
  std::vector<Bytes> copies;
  auto frames = ReadAll(**source, &copies);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].time_unix_nanos, 1'700'000'000'123'456'789);
  EXPECT_EQ(frames[1].time_unix_nanos, 1'700'000'001'123'456'789);
  EXPECT_EQ(copies[0], UdpFrame(1000));
  EXPECT_EQ(frames[0].wire_length, copies[0].size() + 10);
  EXPECT_EQ((*source)->stats().received, 2u);
}

TEST(PcapSource, AppliesABpfFilter) {
  testing::TempDir dir;
  WritePcap(dir / "a.pcap", 1, {UdpFrame(1000), UdpFrame(2000), UdpFrame(1000)});

  auto source = OpenCaptureFile((dir / "a.pcap").string(), "udp src port 2000");

  ASSERT_TRUE(source.has_value()) << source.error().message;
  EXPECT_EQ(ReadAll(**source).size(), 1u);
}

TEST(PcapSource, ReadsPcapngWrittenByEditcap) {
  auto editcap = testing::FindTool("editcap");
  if (!editcap) {
    if (testing::InCi()) FAIL() << "editcap (wireshark-common) is missing";
    GTEST_SKIP() << "editcap (wireshark-common) is not installed";
  }
  testing::TempDir dir;
  WritePcap(dir / "a.pcap", 1, {UdpFrame(1000)});
  std::string cmd = editcap->string() + " -F pcapng " + (dir / "a.pcap").string() + " " +
                    (dir / "b.pcapng").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0);

  auto source = OpenCaptureFile((dir / "b.pcapng").string());

  ASSERT_TRUE(source.has_value()) << source.error().message;
  std::vector<Bytes> copies;
  ASSERT_EQ(ReadAll(**source, &copies).size(), 1u);
  EXPECT_EQ(copies[0], UdpFrame(1000));
}

TEST(PcapSource, RawIpAndCookedLinkTypesAreAccepted) {
  testing::TempDir dir;
  WritePcap(dir / "raw.pcap", 101, {});   // LINKTYPE_RAW.
  WritePcap(dir / "sll.pcap", 113, {});   // LINKTYPE_LINUX_SLL.
  WritePcap(dir / "sll2.pcap", 276, {});  // LINKTYPE_LINUX_SLL2.

  auto raw = OpenCaptureFile((dir / "raw.pcap").string());
  auto sll = OpenCaptureFile((dir / "sll.pcap").string());
  auto sll2 = OpenCaptureFile((dir / "sll2.pcap").string());

  ASSERT_TRUE(raw && sll && sll2);
  EXPECT_EQ((*raw)->link_type(), LinkType::kRawIp);
  EXPECT_EQ((*sll)->link_type(), LinkType::kLinuxSll);
  EXPECT_EQ((*sll2)->link_type(), LinkType::kLinuxSll2);
}

TEST(PcapSource, ClearErrors) {
  testing::TempDir dir;
  WritePcap(dir / "wifi.pcap", 105, {});  // IEEE 802.11.
  std::ofstream(dir / "text.pcap") << "not a capture at all\n";
  WritePcap(dir / "ok.pcap", 1, {});

  auto missing = OpenCaptureFile((dir / "missing.pcap").string());
  auto wifi = OpenCaptureFile((dir / "wifi.pcap").string());
  auto text = OpenCaptureFile((dir / "text.pcap").string());
  auto filter = OpenCaptureFile((dir / "ok.pcap").string(), "port banana");

  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  ASSERT_FALSE(wifi.has_value());
  EXPECT_EQ(wifi.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(wifi.error().message.find("unsupported link type IEEE802_11"), std::string::npos)
      << wifi.error().message;
  ASSERT_FALSE(text.has_value());
  EXPECT_NE(text.error().message.find("not a pcap or pcapng capture"), std::string::npos);
  ASSERT_FALSE(filter.has_value());
  EXPECT_NE(filter.error().message.find("bpf filter \"port banana\""), std::string::npos);
}

TEST(PcapSource, UnknownInterfaceIsNotFound) {
  auto source = OpenInterface("vigil-no-such0");

  ASSERT_FALSE(source.has_value());
  EXPECT_TRUE(source.error().code == ErrorCode::kNotFound ||
              source.error().code == ErrorCode::kPermissionDenied)
      << source.error().message;
}

}  // namespace
}  // namespace vigil::sensor
