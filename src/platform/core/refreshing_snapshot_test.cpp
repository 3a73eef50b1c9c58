#include "platform/core/refreshing_snapshot.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace zocalo {
namespace {

using namespace std::chrono_literals;

// A loader counting its calls, answering `next` or failing while `failing` is set.
struct CountingLoader {
  std::atomic<int> calls{0};
  std::atomic<int> next{1};
  std::atomic<bool> failing{false};

  RefreshingSnapshot<int>::Loader loader() {
    return [this]() -> Result<int> {
      ++calls;
      if (failing) return fail(Error::unavailable("database down"));
      return next.load();
    };
  }
};

TEST(RefreshingSnapshotTest, LoadsOnceWhileFreshAndPeekNeverLoads) {
  CountingLoader source;
  RefreshingSnapshot<int> snapshot(source.loader(), 3600s, "test.reload_failed");
  EXPECT_EQ(snapshot.peek(), nullptr) << "nothing loaded yet, and peek must not load";
  EXPECT_EQ(source.calls, 0);
  for (int i = 0; i < 5; ++i) {
    auto value = snapshot.get();
    ASSERT_TRUE(value);
    EXPECT_EQ(**value, 1);
  }
  EXPECT_EQ(source.calls, 1);
  ASSERT_NE(snapshot.peek(), nullptr);
  EXPECT_EQ(*snapshot.peek(), 1);
}

TEST(RefreshingSnapshotTest, RefreshReplacesTheCopyAtOnce) {
  CountingLoader source;
  RefreshingSnapshot<int> snapshot(source.loader(), 3600s, "test.reload_failed");
  ASSERT_TRUE(snapshot.get());
  source.next = 2;
  EXPECT_EQ(**snapshot.get(), 1) << "fresh copies are not reloaded";
  ASSERT_TRUE(snapshot.refresh());
  EXPECT_EQ(**snapshot.get(), 2);
  EXPECT_EQ(*snapshot.peek(), 2);
}

TEST(RefreshingSnapshotTest, AStaleCopyIsReloadedAndPeekSaysStale) {
  CountingLoader source;
  RefreshingSnapshot<int> snapshot(source.loader(), 0s, "test.reload_failed");
  ASSERT_TRUE(snapshot.get());
  EXPECT_EQ(snapshot.peek(), nullptr) << "a copy older than max_age is not handed out by peek";
  source.next = 3;
  EXPECT_EQ(**snapshot.get(), 3);
  EXPECT_EQ(source.calls, 2);
}

TEST(RefreshingSnapshotTest, AFailedReloadKeepsThePreviousCopy) {
  CountingLoader source;
  RefreshingSnapshot<int> snapshot(source.loader(), 0s, "test.reload_failed");
  ASSERT_TRUE(snapshot.get());
  source.failing = true;
  auto kept = snapshot.get();
  ASSERT_TRUE(kept) << "a database hiccup must not empty the copy";
  EXPECT_EQ(**kept, 1);
  EXPECT_FALSE(snapshot.refresh());
  EXPECT_EQ(**snapshot.get(), 1);
}

TEST(RefreshingSnapshotTest, FailsOnlyWhenNothingWasEverLoaded) {
  CountingLoader source;
  source.failing = true;
  RefreshingSnapshot<int> snapshot(source.loader(), 3600s, "test.reload_failed");
  auto none = snapshot.get();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().kind, ErrorKind::kUnavailable);
  source.failing = false;
  // A failed load waits max_age before the next try; an explicit refresh does not.
  ASSERT_TRUE(snapshot.refresh());
  EXPECT_EQ(**snapshot.get(), 1);
}

TEST(RefreshingSnapshotTest, ConcurrentReadersShareOneLoad) {
  CountingLoader source;
  RefreshingSnapshot<int> snapshot(source.loader(), 3600s, "test.reload_failed");
  std::vector<std::thread> readers;
  std::atomic<int> answered{0};
  for (int t = 0; t < 8; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 100; ++i)
        if (auto v = snapshot.get(); v && **v == 1) ++answered;
    });
  }
  for (auto& r : readers) r.join();
  EXPECT_EQ(answered, 800);
  EXPECT_EQ(source.calls, 1) << "the first load is waited for, not repeated";
}

}  // namespace
}  // namespace zocalo
