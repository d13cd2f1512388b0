#include "crypto/random.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <set>
#include <vector>

namespace vigil::crypto {
namespace {

TEST(RandomBytes, ReturnsRequestedSize) {
  const auto bytes = RandomBytes(37);

  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(bytes->size(), 37u);
}

TEST(RandomBytes, TwoDrawsDiffer) {
  const auto a = RandomBytes(32);
  const auto b = RandomBytes(32);

  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(RandomBytes, EmptyRequestSucceeds) {
  const auto bytes = RandomBytes(0);

  ASSERT_TRUE(bytes);
  EXPECT_TRUE(bytes->empty());
}

TEST(RandomSecret, ReturnsRequestedSize) {
  const auto secret = RandomSecret(32);

  ASSERT_TRUE(secret);
  EXPECT_EQ(secret->size(), 32u);
}

TEST(RandomNonceBytes, SuccessiveDrawsDiffer) {
  std::set<std::vector<std::uint8_t>> seen;

  // More than one 1 KiB buffer's worth, so refills are crossed.
  for (int i = 0; i < 200; ++i) {
    std::vector<std::uint8_t> nonce(12);
    ASSERT_TRUE(RandomNonceBytes(nonce));
    seen.insert(nonce);
  }

  EXPECT_EQ(seen.size(), 200u);
}

TEST(RandomNonceBytes, ForkedChildDrawsOtherBytesThanItsParent) {
  std::array<std::uint8_t, 12> warm{};
  ASSERT_TRUE(RandomNonceBytes(warm));  // The parent's buffer now holds unserved bytes.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);

  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::array<std::uint8_t, 12> child{};
    const bool ok =
        RandomNonceBytes(child).has_value() && ::write(fds[1], child.data(), child.size()) == 12;
    ::_exit(ok ? 0 : 1);
  }
  std::array<std::uint8_t, 12> parent{}, child{};
  ASSERT_TRUE(RandomNonceBytes(parent));
  ASSERT_EQ(::read(fds[0], child.data(), child.size()), 12);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(fds[0]);
  ::close(fds[1]);

  EXPECT_EQ(status, 0);
  EXPECT_NE(parent, child);
}

}  // namespace
}  // namespace vigil::crypto
