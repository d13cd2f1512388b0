#include "agent/metrics/proc_text.h"

#include <gtest/gtest.h>

namespace vigil::agent {
namespace {

constexpr std::string_view kStat =
    "cpu  2487374 80930 711156 716229 7576 0 28643 0 0 0\n"
    "cpu0 1235998 31222 354706 372255 2016 0 19600 0 0 0\n"
    "intr 123 0 0\n"
    "ctxt 9876\n";

constexpr std::string_view kMeminfo =
    "MemTotal:       24683620 kB\n"
    "MemFree:        23197092 kB\n"
    "MemAvailable:   24192388 kB\n"
    "Buffers:          134824 kB\n"
    "Cached:           897948 kB\n"
    "HugePages_Total:       0\n";

constexpr std::string_view kNetDev =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
    "drop fifo colls carrier compressed\n"
    "    lo: 28673083418 86593312    0    0    0     0          0         0 28673083418 "
    "86593312    0    0    0     0       0          0\n"
    "  eth0: 675710838   33175    0    0    0     0          0         0  2073881   23889    0 "
    "   0    0     0       0          0\n";

TEST(ParseProcStat, SumsBusyAndIdleOfTheAggregateLine) {
  const auto cpu = ParseProcStat(kStat);

  ASSERT_TRUE(cpu) << cpu.error().message;
  EXPECT_EQ(cpu->busy, 2487374u + 80930u + 711156u + 0u + 28643u + 0u);
  EXPECT_EQ(cpu->idle, 716229u + 7576u);
}

TEST(ParseProcStat, AcceptsOldKernelsWithFourCounters) {
  const auto cpu = ParseProcStat("cpu 10 0 5 85\n");

  ASSERT_TRUE(cpu) << cpu.error().message;
  EXPECT_EQ(cpu->busy, 15u);
  EXPECT_EQ(cpu->idle, 85u);
}

TEST(ParseProcStat, RejectsMissingOrMalformedCpuLine) {
  EXPECT_FALSE(ParseProcStat("cpu0 1 2 3 4\nintr 5\n"));
  EXPECT_FALSE(ParseProcStat("cpu 1 2 x 4\n"));
  EXPECT_FALSE(ParseProcStat("cpu 1 2\n"));
  EXPECT_FALSE(ParseProcStat(""));
}

TEST(CpuPercent, IsBusyShareOfTheDelta) {
  const CpuTimes before{.busy = 100, .idle = 300};
  const CpuTimes after{.busy = 130, .idle = 370};

  EXPECT_DOUBLE_EQ(CpuPercent(before, after), 30.0);
}

TEST(CpuPercent, StaysWithinAHundredForHugeCounters) {
  // Found by proc_text_fuzz: rounding to double made this 100.00000000000001.
  const auto cpu = ParseProcStat("cpu 1 5 777777777777777750 80\n");

  ASSERT_TRUE(cpu);
  EXPECT_LE(CpuPercent({}, *cpu), 100.0);
}

TEST(CpuPercent, IsNegativeWithoutProgressOrWhenCountersGoBack) {
  const CpuTimes sample{.busy = 100, .idle = 300};

  EXPECT_LT(CpuPercent(sample, sample), 0);
  EXPECT_LT(CpuPercent(sample, {.busy = 90, .idle = 400}), 0);
}

TEST(ParseMeminfo, ReadsTotalAndAvailableInBytes) {
  const auto memory = ParseMeminfo(kMeminfo);

  ASSERT_TRUE(memory) << memory.error().message;
  EXPECT_EQ(memory->total_bytes, 24683620ull * 1024);
  EXPECT_EQ(memory->available_bytes, 24192388ull * 1024);
  EXPECT_EQ(memory->used_bytes(), (24683620ull - 24192388ull) * 1024);
}

TEST(ParseMeminfo, EstimatesAvailableOnOldKernels) {
  const auto memory =
      ParseMeminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 20 kB\nCached: 30 kB\n");

  ASSERT_TRUE(memory) << memory.error().message;
  EXPECT_EQ(memory->available_bytes, 150u * 1024);
}

TEST(ParseMeminfo, RejectsMissingTotalAndBadNumbers) {
  EXPECT_FALSE(ParseMeminfo("MemAvailable: 100 kB\n"));
  EXPECT_FALSE(ParseMeminfo("MemTotal: lots kB\nMemAvailable: 1 kB\n"));
  EXPECT_FALSE(ParseMeminfo("MemTotal: 1000 kB\n"));
  EXPECT_FALSE(ParseMeminfo("MemTotal: 99999999999999999999 kB\nMemAvailable: 1 kB\n"));
}

TEST(ParseNetDev, ReadsEveryInterfaceAfterTheHeaders) {
  const auto interfaces = ParseNetDev(kNetDev);

  ASSERT_TRUE(interfaces) << interfaces.error().message;
  ASSERT_EQ(interfaces->size(), 2u);
  EXPECT_EQ((*interfaces)[0].name, "lo");
  EXPECT_EQ((*interfaces)[1].name, "eth0");
  EXPECT_EQ((*interfaces)[1].rx_bytes, 675710838u);
  EXPECT_EQ((*interfaces)[1].tx_bytes, 2073881u);
}

TEST(ParseNetDev, ReadsNamesGluedToTheirCounters) {
  const auto interfaces = ParseNetDev("eth0:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n");

  ASSERT_TRUE(interfaces) << interfaces.error().message;
  ASSERT_EQ(interfaces->size(), 1u);
  EXPECT_EQ((*interfaces)[0].rx_bytes, 1u);
  EXPECT_EQ((*interfaces)[0].tx_bytes, 9u);
}

TEST(ParseNetDev, RejectsTruncatedRows) {
  const auto interfaces = ParseNetDev("  eth0: 1 2 3\n");

  ASSERT_FALSE(interfaces);
  EXPECT_NE(interfaces.error().message.find("eth0"), std::string::npos);
}

TEST(ParseUptime, ReadsTheFirstNumber) {
  const auto uptime = ParseUptime("20279.12 7162.30\n");

  ASSERT_TRUE(uptime) << uptime.error().message;
  EXPECT_DOUBLE_EQ(*uptime, 20279.12);
}

TEST(ParseUptime, RejectsGarbage) {
  EXPECT_FALSE(ParseUptime(""));
  EXPECT_FALSE(ParseUptime("-5 1\n"));
  EXPECT_FALSE(ParseUptime("nan 1\n"));
  EXPECT_FALSE(ParseUptime("1e999 1\n"));
}

TEST(ParseLoadavg, ReadsThreeAverages) {
  const auto load = ParseLoadavg("0.47 0.88 1.46 2/93 27529\n");

  ASSERT_TRUE(load) << load.error().message;
  EXPECT_DOUBLE_EQ(load->one, 0.47);
  EXPECT_DOUBLE_EQ(load->five, 0.88);
  EXPECT_DOUBLE_EQ(load->fifteen, 1.46);
}

TEST(ParseLoadavg, RejectsFewerThanThree) { EXPECT_FALSE(ParseLoadavg("0.47 0.88\n")); }

}  // namespace
}  // namespace vigil::agent
