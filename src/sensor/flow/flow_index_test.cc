#include "sensor/flow/flow_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <vector>

namespace vigil::sensor {
namespace {

struct Item {
  FlowKey key;
};

FlowKey Key(std::uint32_t n) {
  bool low = false;
  return FlowKey::Make(0, 17, IpAddress::V4(n), 1, IpAddress::V4(0x0a000001), 2, low);
}

TEST(FlowIndex, FindsWhatWasInsertedAndNotWhatWasErased) {
  std::vector<std::unique_ptr<Item>> items;
  FlowIndex<Item> index;
  for (std::uint32_t n = 0; n < 5000; ++n) {
    items.push_back(std::make_unique<Item>(Item{Key(n)}));
    index.Insert(items.back().get(), FlowIndex<Item>::Hash(items.back()->key));
  }

  for (std::uint32_t n = 0; n < 5000; n += 2) index.Erase(Key(n), FlowIndex<Item>::Hash(Key(n)));

  EXPECT_EQ(index.size(), 2500u);
  for (std::uint32_t n = 0; n < 5000; ++n) {
    Item* found = index.Find(Key(n), FlowIndex<Item>::Hash(Key(n)));
    if (n % 2 == 0) {
      EXPECT_EQ(found, nullptr) << n;
    } else {
      ASSERT_NE(found, nullptr) << n;
      EXPECT_EQ(found->key, Key(n));
    }
  }
  EXPECT_EQ(index.All().size(), 2500u);
}

// Hashes chosen to collide and to wrap around the end of the slot array, erased in a random
// order: backward-shift deletion must keep every remaining member reachable.
TEST(FlowIndex, CollidingRunsSurviveRandomErasure) {
  std::mt19937 random(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<std::unique_ptr<Item>> items;
    std::map<std::uint32_t, std::uint64_t> hashes;
    FlowIndex<Item> index;
    for (std::uint32_t n = 0; n < 300; ++n) {
      std::uint64_t hash = ((random() % 8) + 1020) | 1;  // Near the end of 1024 slots.
      hash += std::uint64_t{random() % 4} << 32;         // Same slot, different hash.
      items.push_back(std::make_unique<Item>(Item{Key(n)}));
      index.Insert(items.back().get(), hash);
      hashes[n] = hash;
    }
    std::vector<std::uint32_t> order;
    for (auto& [n, h] : hashes) order.push_back(n);
    std::shuffle(order.begin(), order.end(), random);
    for (std::size_t i = 0; i < order.size(); ++i) {
      index.Erase(Key(order[i]), hashes[order[i]]);
      for (std::size_t j = i + 1; j < order.size(); j += 17) {
        ASSERT_NE(index.Find(Key(order[j]), hashes[order[j]]), nullptr) << round << " " << i;
      }
    }
    EXPECT_EQ(index.size(), 0u);
  }
}

}  // namespace
}  // namespace vigil::sensor
