#include "http/listen/listen_address.h"

#include <gtest/gtest.h>

namespace vigil::http {
namespace {

TEST(ParseListenAddress, ReadsIpv4AndPort) {
  const auto listen = ParseListenAddress("127.0.0.1:8443");

  ASSERT_TRUE(listen) << listen.error().message;
  EXPECT_EQ(listen->address.ToString(), "127.0.0.1");
  EXPECT_EQ(listen->port, 8443);
  EXPECT_EQ(listen->ToString(), "127.0.0.1:8443");
}

TEST(ParseListenAddress, ReadsBracketedIpv6) {
  const auto listen = ParseListenAddress("[::1]:8443");

  ASSERT_TRUE(listen) << listen.error().message;
  EXPECT_FALSE(listen->address.is_v4());
  EXPECT_EQ(listen->address.ToString(), "::1");
  EXPECT_EQ(listen->ToString(), "[::1]:8443");
}

TEST(ParseListenAddress, AcceptsPortZeroAndPortMax) {
  EXPECT_EQ(ParseListenAddress("0.0.0.0:0")->port, 0);
  EXPECT_EQ(ParseListenAddress("[::]:65535")->port, 65535);
}

TEST(ParseListenAddress, RejectsMalformedText) {
  const char* const cases[] = {
      "",
      "8443",
      ":8443",
      "127.0.0.1",
      "127.0.0.1:",
      "127.0.0.1:65536",
      "127.0.0.1:-1",
      "127.0.0.1:+80",
      "127.0.0.1:8a",
      "127.0.0.1:123456",
      "::1:8443",
      "[::1]8443",
      "[127.0.0.1]:80",
      "[::1:80",
      "localhost:8443",
      "[]:80",
      "256.0.0.1:80",
      "[fe80::1%eth0]:80",
  };
  for (const char* text : cases) {
    const auto listen = ParseListenAddress(text);

    EXPECT_FALSE(listen) << text;
    if (!listen) {
      EXPECT_EQ(listen.error().code, ErrorCode::kInvalidArgument);
      EXPECT_EQ(listen.error().message.rfind("listen \"", 0), 0u) << listen.error().message;
    }
  }
}

TEST(ParseListenAddress, KeepsControlCharactersOutOfTheMessage) {
  const auto listen = ParseListenAddress("bad\nhost:80");

  ASSERT_FALSE(listen);
  EXPECT_EQ(listen.error().message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace vigil::http
