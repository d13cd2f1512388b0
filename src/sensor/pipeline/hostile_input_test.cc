// Hostile input through the whole pipeline with every registered dissector: each seed of every
// fuzz target (fuzz/corpus/*_fuzz/) as a raw frame of each link type and as the payload of UDP
// and TCP frames on the protocol's usual port and on a random one, then a seeded stream of
// random and mutated frames. Nothing may crash or hang (the sanitizers watch), and the flow
// table must stay within max_flows throughout.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sensor/pipeline/pipeline.h"
#include "sensor/pipeline/registry.h"
#include "testing/fixtures.h"

namespace vigil::sensor {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

constexpr std::size_t kMaxFlows = 64;

// The port each dissector's traffic usually uses (the probes choose by payload; the port is
// what a real capture would add).
const std::map<std::string, std::pair<std::uint8_t, std::uint16_t>>& UsualPorts() {
  static const std::map<std::string, std::pair<std::uint8_t, std::uint16_t>> ports = {
      {"dhcp_fuzz", {kIpProtoUdp, 67}},   {"dns_fuzz", {kIpProtoUdp, 53}},
      {"nbns_fuzz", {kIpProtoUdp, 137}},  {"ssdp_fuzz", {kIpProtoUdp, 1900}},
      {"snmp_fuzz", {kIpProtoUdp, 161}},  {"bacnet_fuzz", {kIpProtoUdp, 47808}},
      {"tls_fuzz", {kIpProtoTcp, 443}},   {"hl7_fuzz", {kIpProtoTcp, 2575}},
      {"dicom_fuzz", {kIpProtoTcp, 104}}, {"mqtt_fuzz", {kIpProtoTcp, 1883}},
      {"http_fuzz", {kIpProtoTcp, 80}},   {"modbus_fuzz", {kIpProtoTcp, 502}},
      {"telnet_fuzz", {kIpProtoTcp, 23}}, {"ftp_fuzz", {kIpProtoTcp, 21}},
  };
  return ports;
}

void Put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

void Put32(Bytes& b, std::size_t at, std::uint32_t v) {
  Put16(b, at, static_cast<std::uint16_t>(v >> 16));
  Put16(b, at + 2, static_cast<std::uint16_t>(v));
}

// Ethernet, IPv4 from 10.0.0.<src> to 10.0.0.<dst>, then a UDP header or a TCP header (20
// bytes, `flags`, `seq`, `ack`), then `payload`.
Bytes IpFrame(std::uint8_t proto, std::uint8_t src, std::uint8_t dst, std::uint16_t sport,
              std::uint16_t dport, std::span<const std::uint8_t> payload, std::uint8_t flags = 0,
              std::uint32_t seq = 0, std::uint32_t ack = 0) {
  const std::size_t l4 = proto == kIpProtoTcp ? 20 : 8;
  Bytes f(14 + 20 + l4, 0);
  f[5] = dst;
  f[11] = src;
  Put16(f, 12, 0x0800);
  f[14] = 0x45;
  Put16(f, 16, static_cast<std::uint16_t>(20 + l4 + payload.size()));
  f[22] = 64;
  f[23] = proto;
  Put32(f, 26, 0x0a000000u | src);
  Put32(f, 30, 0x0a000000u | dst);
  Put16(f, 34, sport);
  Put16(f, 36, dport);
  if (proto == kIpProtoTcp) {
    Put32(f, 38, seq);
    Put32(f, 42, ack);
    f[46] = 0x50;
    f[47] = flags;
    Put16(f, 48, 65535);
  } else {
    Put16(f, 38, static_cast<std::uint16_t>(8 + payload.size()));
  }
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

class Harness {
 public:
  Harness() : pipeline_(Options(), AllDissectors(), sink_) {}

  static PipelineOptions Options() {
    PipelineOptions options;
    options.flows.max_flows = kMaxFlows;
    options.max_arp_pairs = 256;
    return options;
  }

  void Frame(LinkType link, std::span<const std::uint8_t> bytes) {
    time_ += 10'000'000;  // 10 ms apart: idle timeouts fire over a long stream.
    pipeline_.HandleFrame(link, bytes, static_cast<std::uint32_t>(bytes.size()), time_);
    max_seen_ = std::max(max_seen_, pipeline_.active_flows());
    // The sink only collects; keep its memory flat over a long run.
    if (sink_.observations.size() + sink_.findings.size() + sink_.flows.size() > 4096) {
      sink_.observations.clear();
      sink_.findings.clear();
      sink_.flows.clear();
    }
  }

  // `payload` over UDP both ways between two hosts.
  void Udp(std::uint16_t client_port, std::uint16_t server_port,
           std::span<const std::uint8_t> payload) {
    Frame(LinkType::kEthernet, IpFrame(kIpProtoUdp, 1, 2, client_port, server_port, payload));
    Frame(LinkType::kEthernet, IpFrame(kIpProtoUdp, 2, 1, server_port, client_port, payload));
  }

  // A TCP connection: handshake, `payload` from the client, the same bytes from the server,
  // then FINs.
  void Tcp(std::uint16_t client_port, std::uint16_t server_port,
           std::span<const std::uint8_t> payload) {
    const auto n = static_cast<std::uint32_t>(payload.size());
    const std::span<const std::uint8_t> none;
    auto c = [&](std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                 std::span<const std::uint8_t> data) {
      Frame(LinkType::kEthernet,
            IpFrame(kIpProtoTcp, 3, 4, client_port, server_port, data, flags, seq, ack));
    };
    auto s = [&](std::uint8_t flags, std::uint32_t seq, std::uint32_t ack,
                 std::span<const std::uint8_t> data) {
      Frame(LinkType::kEthernet,
            IpFrame(kIpProtoTcp, 4, 3, server_port, client_port, data, flags, seq, ack));
    };
    c(kTcpSyn, 1000, 0, none);
    s(kTcpSyn | kTcpAck, 5000, 1001, none);
    c(kTcpAck | kTcpPsh, 1001, 5001, payload);
    s(kTcpAck | kTcpPsh, 5001, 1001 + n, payload);
    c(kTcpFin | kTcpAck, 1001 + n, 5001 + n, none);
    s(kTcpFin | kTcpAck, 5001 + n, 1002 + n, none);
  }

  void Finish() { pipeline_.Finish(); }
  std::size_t max_seen() const { return max_seen_; }
  const Pipeline& pipeline() const { return pipeline_; }

 private:
  CollectingSink sink_;
  Pipeline pipeline_;
  std::int64_t time_ = 1'700'000'000'000'000'000;
  std::size_t max_seen_ = 0;
};

Bytes ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

constexpr LinkType kLinkTypes[] = {LinkType::kEthernet, LinkType::kLinuxSll, LinkType::kLinuxSll2,
                                   LinkType::kRawIp,    LinkType::kIpv4,     LinkType::kIpv6};

TEST(HostileInput, EverySeedOfEveryFuzzTargetAsFramesAndPayloads) {
  const fs::path corpus = testing::SourceDir() / "fuzz" / "corpus";
  ASSERT_TRUE(fs::is_directory(corpus)) << corpus;
  std::mt19937 random(20240605);
  Harness h;
  std::size_t seeds = 0;

  for (const auto& folder : fs::directory_iterator(corpus)) {
    const std::string name = folder.path().filename().string();
    if (!folder.is_directory() || !name.ends_with("_fuzz")) continue;
    const auto usual = UsualPorts().find(name);
    for (const auto& file : fs::directory_iterator(folder.path())) {
      if (!file.is_regular_file()) continue;
      const Bytes seed = ReadBytes(file.path());
      if (seed.size() > 65000) continue;  // No frame is that large; payloads are capped anyway.
      ++seeds;
      for (LinkType link : kLinkTypes) h.Frame(link, seed);
      const auto high = static_cast<std::uint16_t>(1024 + random() % 64000);
      const auto other = static_cast<std::uint16_t>(1 + random() % 65535);
      h.Udp(high, other, seed);
      h.Tcp(high, other, seed);
      if (usual != UsualPorts().end()) {
        if (usual->second.first == kIpProtoUdp) h.Udp(high, usual->second.second, seed);
        if (usual->second.first == kIpProtoTcp) h.Tcp(high, usual->second.second, seed);
      }
    }
  }
  h.Finish();

  EXPECT_GT(seeds, 50u) << "the fuzz corpus under " << corpus << " looks empty";
  EXPECT_LE(h.max_seen(), kMaxFlows);
  EXPECT_EQ(h.pipeline().active_flows(), 0u);
}

// A frame that is random bytes, or a valid frame (IPv4 UDP or TCP to a dissector's port) with a
// few bytes flipped, truncated or extended.
Bytes HostileFrame(std::mt19937& random, const std::vector<Bytes>& valid) {
  const auto choice = random() % 4;
  Bytes frame;
  if (choice == 0) {
    frame.resize(random() % 1600);
    for (auto& b : frame) b = static_cast<std::uint8_t>(random());
    return frame;
  }
  frame = valid[random() % valid.size()];
  const auto flips = 1 + random() % 8;
  for (std::uint32_t i = 0; i < flips && !frame.empty(); ++i) {
    frame[random() % frame.size()] = static_cast<std::uint8_t>(random());
  }
  if (choice == 2 && !frame.empty()) frame.resize(random() % frame.size());
  if (choice == 3) {
    const auto extra = random() % 64;
    for (std::uint32_t i = 0; i < extra; ++i) frame.push_back(static_cast<std::uint8_t>(random()));
  }
  return frame;
}

TEST(HostileInput, SeededStreamOfRandomAndMutatedFrames) {
  std::mt19937 random(5);
  const Bytes hl7 = {0x0b, 'M', 'S', 'H', '|', '^',  '~',  '\\',
                     '&',  '|', 'A', '|', 'B', '\r', 0x1c, 0x0d};
  const Bytes dicom = {0x01, 0, 0, 0, 0, 0x44, 0, 1, 0, 0, 'C', 'A', 'L', 'L', 'E', 'D'};
  const Bytes tls = {0x16, 3, 1, 0, 0x2f, 1, 0, 0, 0x2b, 3, 3};
  const Bytes dns = {0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1};
  std::vector<Bytes> valid;
  for (std::uint16_t port : std::initializer_list<std::uint16_t>{53, 67, 137, 161, 1900, 5353}) {
    valid.push_back(IpFrame(kIpProtoUdp, 1, 2, 40000, port, dns));
  }
  for (std::uint16_t port : std::initializer_list<std::uint16_t>{104, 443, 1883, 2575, 80, 502}) {
    for (const Bytes* p : {&hl7, &dicom, &tls}) {
      valid.push_back(IpFrame(kIpProtoTcp, 3, 4, 40001, port, *p, kTcpAck | kTcpPsh, 1, 1));
    }
  }
  Harness h;

  for (int i = 0; i < 20'000; ++i) {
    const Bytes frame = HostileFrame(random, valid);
    // Mostly Ethernet, as on a tap; now and then another link type.
    const LinkType link = random() % 8 == 0 ? kLinkTypes[random() % 6] : LinkType::kEthernet;
    h.Frame(link, frame);
  }
  h.Finish();

  EXPECT_LE(h.max_seen(), kMaxFlows);
  EXPECT_EQ(h.pipeline().active_flows(), 0u);
  EXPECT_EQ(h.pipeline().stats().frames, 20'000u);
}

}  // namespace
}  // namespace vigil::sensor
