#include "pki/revocation_list.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace vigil::pki {
namespace {

TEST(RevocationList, AddsAndLowercases) {
  RevocationList list;

  list.Add("4A0B");
  list.Add("4a0b");

  EXPECT_TRUE(list.IsRevoked("4a0b"));
  EXPECT_FALSE(list.IsRevoked("4A0B"));
  EXPECT_FALSE(list.IsRevoked("4a0c"));
  EXPECT_EQ(list.size(), 1u);
}

TEST(RevocationList, ReplaceDropsOldSerials) {
  RevocationList list;
  list.Add("01");

  list.Replace({"02", "03"});

  EXPECT_FALSE(list.IsRevoked("01"));
  EXPECT_TRUE(list.IsRevoked("02"));
  EXPECT_EQ(list.size(), 2u);
}

TEST(RevocationList, ReplaceIsAtomicForConcurrentReaders) {
  RevocationList list;
  list.Add("ff");
  std::atomic<bool> stop{false};
  std::atomic<long> reads{0};
  std::atomic<long> misses{0};
  std::vector<std::thread> readers;
  for (int i = 0; i < 3; ++i) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        if (!list.IsRevoked("ff")) {
          misses.fetch_add(1);
        }
        reads.fetch_add(1);
      }
    });
  }
  while (reads.load() < 100) {
    std::this_thread::yield();
  }

  for (int i = 0; i < 2000; ++i) {
    list.Add(std::to_string(i));
    if (i % 100 == 0) {
      list.Replace({"ff", std::to_string(i)});
    }
  }
  stop = true;
  for (auto& reader : readers) {
    reader.join();
  }

  EXPECT_EQ(misses.load(), 0);
  EXPECT_TRUE(list.IsRevoked("1999"));
  EXPECT_EQ(list.size(), 101u);
}

}  // namespace
}  // namespace vigil::pki
