#include "net/base_url.h"

#include <gtest/gtest.h>

namespace vigil::net {
namespace {

TEST(ParseBaseUrl, ReadsHostAndPort) {
  const auto url = ParseBaseUrl("https://gateway.hospital.example:8444");

  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "gateway.hospital.example");
  EXPECT_EQ(url->port, 8444);
  EXPECT_EQ(url->ToString(), "https://gateway.hospital.example:8444");
}

TEST(ParseBaseUrl, DefaultsToPort443AndAcceptsATrailingSlash) {
  const auto url = ParseBaseUrl("https://10.0.0.5/");

  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "10.0.0.5");
  EXPECT_EQ(url->port, 443);
}

TEST(ParseBaseUrl, ReadsBracketedIpv6) {
  const auto url = ParseBaseUrl("https://[::1]:8444");

  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->Authority(), "[::1]:8444");
}

TEST(ParseBaseUrl, RejectsWhatIsNotABase) {
  for (const char* bad :
       {"", "http://host", "https://", "https://:8444", "https://host:", "https://host:0",
        "https://host:65536", "https://host:84a", "https://host/path", "https://user@host",
        "https://[::1", "https://[10.0.0.1]:1", "https://[::1]x", "https://host:8444/v1",
        "https://ho st"}) {
    const auto url = ParseBaseUrl(bad);
    EXPECT_FALSE(url) << bad;
    if (!url) {
      EXPECT_EQ(url.error().code, ErrorCode::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace vigil::net
