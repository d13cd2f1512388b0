#include "crypto/secret.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace vigil::crypto {
namespace {

const std::vector<std::uint8_t> kBytes = {1, 2, 3, 4};

TEST(SecretBytes, MoveLeavesSourceEmpty) {
  SecretBytes source(kBytes);

  SecretBytes target(std::move(source));

  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state.
  EXPECT_EQ(std::vector<std::uint8_t>(target.span().begin(), target.span().end()), kBytes);
}

TEST(SecretBytes, MoveAssignReplacesContents) {
  SecretBytes source(kBytes);
  SecretBytes target(std::vector<std::uint8_t>{9, 9});

  target = std::move(source);

  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state.
  EXPECT_EQ(target.size(), kBytes.size());
  EXPECT_EQ(target.data()[3], 4);
}

TEST(SecretBytes, CloneCopiesBytesIndependently) {
  SecretBytes original(kBytes);

  SecretBytes copy = original.Clone();
  copy.data()[0] = 42;

  EXPECT_EQ(original.data()[0], 1);
  EXPECT_EQ(copy.size(), original.size());
}

TEST(SecretBytes, ViewShowsTheBytesAsText) {
  const std::vector<std::uint8_t> text = {'k', 'e', 'y'};

  const SecretBytes secret(text);

  EXPECT_EQ(secret.view(), "key");
}

}  // namespace
}  // namespace vigil::crypto
