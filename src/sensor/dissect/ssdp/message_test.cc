#include "sensor/dissect/ssdp/message.h"

#include <gtest/gtest.h>

#include <string_view>

#include "sensor/decode/byte_reader.h"

namespace vigil::sensor::ssdp {
namespace {

std::span<const std::uint8_t> Bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

constexpr std::string_view kNotify =
    "NOTIFY * HTTP/1.1\r\n"
    "HOST: 239.255.255.250:1900\r\n"
    "CACHE-CONTROL: max-age=1800\r\n"
    "location:  http://10.0.4.20:49152/description.xml \r\n"
    "NT: urn:schemas-upnp-org:device:MediaRenderer:1\r\n"
    "NTS: ssdp:alive\r\n"
    "SERVER: Linux/4.9 UPnP/1.0 Monitor/2.1\r\n"
    "USN: uuid:1234::urn:schemas-upnp-org:device:MediaRenderer:1\r\n"
    "\r\n";

TEST(ParseSsdp, ReadsANotify) {
  const auto message = ParseSsdp(Bytes(kNotify));

  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, Kind::kNotify);
  EXPECT_EQ(message->location, "http://10.0.4.20:49152/description.xml");
  EXPECT_EQ(message->nt, "urn:schemas-upnp-org:device:MediaRenderer:1");
  EXPECT_EQ(message->nts, "ssdp:alive");
  EXPECT_EQ(message->server, "Linux/4.9 UPnP/1.0 Monitor/2.1");
  EXPECT_EQ(message->usn, "uuid:1234::urn:schemas-upnp-org:device:MediaRenderer:1");
}

TEST(ParseSsdp, ReadsASearchWithoutHeaders) {
  const auto message = ParseSsdp(Bytes("M-SEARCH * HTTP/1.1\r\n\r\n"));

  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, Kind::kSearch);
  EXPECT_TRUE(message->st.empty());
}

TEST(ParseSsdp, ReadsAResponseWithBareLineFeedsAndNoFinalNewline) {
  const auto message =
      ParseSsdp(Bytes("HTTP/1.1 200 OK\nST: upnp:rootdevice\nUSN: uuid:9::upnp:rootdevice"));

  ASSERT_TRUE(message);
  EXPECT_EQ(message->kind, Kind::kResponse);
  EXPECT_EQ(message->st, "upnp:rootdevice");
  EXPECT_EQ(message->usn, "uuid:9::upnp:rootdevice");
}

TEST(ParseSsdp, RejectsOtherStartLinesAndBareResponses) {
  EXPECT_FALSE(ParseSsdp(Bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")));
  EXPECT_FALSE(ParseSsdp(Bytes("HTTP/1.1 200 OK\r\nServer: x\r\n\r\n")));
  EXPECT_FALSE(ParseSsdp(Bytes("HTTP/1.1 2000\r\nST: x\r\n\r\n")));
  EXPECT_FALSE(ParseSsdp(Bytes("")));
}

TEST(LooksLikeSsdp, WantsAStartLineAndForResponsesStOrUsn) {
  EXPECT_TRUE(LooksLikeSsdp(Bytes(kNotify)));
  EXPECT_TRUE(LooksLikeSsdp(Bytes("M-SEARCH * HTTP/1.1\r\n\r\n")));
  EXPECT_TRUE(LooksLikeSsdp(Bytes("HTTP/1.1 200 OK\r\nExt:\r\nst: upnp:rootdevice\r\n\r\n")));
  EXPECT_FALSE(LooksLikeSsdp(Bytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")));
  EXPECT_FALSE(LooksLikeSsdp(Bytes("NOTIFY")));
}

TEST(DeviceType, FindsTheDeviceUrn) {
  EXPECT_EQ(DeviceType("uuid:1::urn:schemas-upnp-org:device:InternetGatewayDevice:1"),
            "urn:schemas-upnp-org:device:InternetGatewayDevice:1");
  EXPECT_EQ(DeviceType("urn:schemas-upnp-org:service:ContentDirectory:1"), "");
  EXPECT_EQ(DeviceType("upnp:rootdevice"), "");
}

}  // namespace
}  // namespace vigil::sensor::ssdp
