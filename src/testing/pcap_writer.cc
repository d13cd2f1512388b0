#include "testing/pcap_writer.h"

#include <algorithm>
#include <fstream>
#include <span>
#include <string_view>

namespace vigil::testing {
namespace {

void Le32(FrameBytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void Le16(FrameBytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v));
  b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void Be16(FrameBytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
void Be32(FrameBytes& b, std::uint32_t v) {
  Be16(b, static_cast<std::uint16_t>(v >> 16));
  Be16(b, static_cast<std::uint16_t>(v));
}

constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kPsh = 0x08, kAck = 0x10;

// Checksums are left zero: readers of these captures (ours, tshark, tcpdump) do not check them.
FrameBytes TcpFrame(bool from_client, std::uint16_t client_port, std::uint16_t server_port,
                    std::uint32_t seq, std::uint32_t ack, std::uint8_t flags,
                    std::span<const std::uint8_t> payload) {
  FrameBytes f = from_client ? FrameBytes{0, 0x1b, 0, 0, 0, 2, 0, 0x1b, 0, 0, 0, 1}
                             : FrameBytes{0, 0x1b, 0, 0, 0, 1, 0, 0x1b, 0, 0, 0, 2};
  f.insert(f.end(), {0x08, 0x00, 0x45, 0});
  Be16(f, static_cast<std::uint16_t>(40 + payload.size()));
  f.insert(f.end(), {0, 0, 0x40, 0, 64, 6, 0, 0});
  const FrameBytes client_ip = {10, 0, 0, 1}, server_ip = {10, 0, 0, 2};
  f.insert(f.end(), (from_client ? client_ip : server_ip).begin(),
           (from_client ? client_ip : server_ip).end());
  f.insert(f.end(), (from_client ? server_ip : client_ip).begin(),
           (from_client ? server_ip : client_ip).end());
  Be16(f, from_client ? client_port : server_port);
  Be16(f, from_client ? server_port : client_port);
  Be32(f, seq);
  Be32(f, ack);
  f.insert(f.end(), {0x50, flags});
  Be16(f, 65535);
  f.insert(f.end(), {0, 0, 0, 0});
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

}  // namespace

void WritePcap(const std::filesystem::path& path, std::uint32_t link_type,
               const std::vector<FrameBytes>& frames, std::uint32_t first_second,
               std::uint32_t cut) {
  FrameBytes b;
  Le32(b, 0xa1b23c4d);
  Le16(b, 2);
  Le16(b, 4);
  Le32(b, 0);
  Le32(b, 0);
  Le32(b, 65535);
  Le32(b, link_type);
  std::uint32_t second = first_second;
  for (const FrameBytes& f : frames) {
    Le32(b, second++);
    Le32(b, 123'456'789);
    Le32(b, static_cast<std::uint32_t>(f.size()));
    Le32(b, static_cast<std::uint32_t>(f.size() + cut));
    b.insert(b.end(), f.begin(), f.end());
  }
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}

FrameBytes UdpFrame(std::uint16_t sport, std::uint16_t dport, const FrameBytes& payload) {
  FrameBytes f = {0, 0x1b, 0, 0, 0, 2, 0, 0x1b, 0, 0, 0, 1, 0x08, 0x00, 0x45, 0};
  Be16(f, static_cast<std::uint16_t>(28 + payload.size()));
  f.insert(f.end(), {0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2});
  Be16(f, sport);
  Be16(f, dport);
  Be16(f, static_cast<std::uint16_t>(8 + payload.size()));
  f.insert(f.end(), {0, 0});
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

FrameBytes DhcpRequestFrame(const std::vector<std::pair<std::uint8_t, std::string>>& options) {
  FrameBytes m(240, 0);
  m[0] = 1;  // BOOTREQUEST
  m[1] = 1;  // Ethernet
  m[2] = 6;
  m[4] = 0x12, m[5] = 0x34, m[6] = 0x56, m[7] = 0x78;  // xid
  m[12] = 10, m[13] = 0, m[14] = 0, m[15] = 1;         // ciaddr
  const std::uint8_t mac[] = {0x00, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f};
  std::copy(std::begin(mac), std::end(mac), m.begin() + 28);
  m[236] = 0x63, m[237] = 0x82, m[238] = 0x53, m[239] = 0x63;  // The magic cookie.
  const auto option = [&](std::uint8_t code, std::string_view value) {
    m.push_back(code);
    m.push_back(static_cast<std::uint8_t>(value.size()));
    m.insert(m.end(), value.begin(), value.end());
  };
  option(53, std::string_view("\x03", 1));
  for (const auto& [code, value] : options) option(code, value);
  m.push_back(255);
  return UdpFrame(68, 67, m);
}

std::vector<FrameBytes> TcpConversation(std::uint16_t client_port, std::uint16_t server_port,
                                        const std::vector<TcpPayload>& payloads) {
  constexpr std::size_t kMss = 1460;
  std::uint32_t client_seq = 1000, server_seq = 5000;
  std::vector<FrameBytes> frames;
  const auto frame = [&](bool from_client, std::uint8_t flags, std::span<const std::uint8_t> data) {
    std::uint32_t& seq = from_client ? client_seq : server_seq;
    frames.push_back(TcpFrame(from_client, client_port, server_port, seq,
                              from_client ? server_seq : client_seq, flags, data));
    seq += static_cast<std::uint32_t>(data.size()) + ((flags & (kSyn | kFin)) != 0 ? 1 : 0);
  };
  frame(true, kSyn, {});
  frames.push_back(
      TcpFrame(false, client_port, server_port, server_seq++, client_seq, kSyn | kAck, {}));
  frame(true, kAck, {});
  for (const TcpPayload& p : payloads) {
    const std::span<const std::uint8_t> all(p.bytes);
    for (std::size_t at = 0; at < all.size(); at += kMss) {
      frame(p.from_client, kPsh | kAck, all.subspan(at, std::min(kMss, all.size() - at)));
    }
  }
  frame(true, kFin | kAck, {});
  frame(false, kFin | kAck, {});
  frame(true, kAck, {});
  return frames;
}

}  // namespace vigil::testing
