#include "platform/core/coalesced_read.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace zocalo {
namespace {

using namespace std::chrono_literals;

TEST(CoalescedReadTest, ACallerAloneReadsEveryTime) {
  int reads = 0;
  CoalescedRead<int> read([&]() -> Result<int> { return ++reads; });
  EXPECT_EQ(*read.get(), 1);
  EXPECT_EQ(*read.get(), 2) << "a finished read that began before this call is not reused";
}

TEST(CoalescedReadTest, ErrorsAreReturned) {
  CoalescedRead<int> read([]() -> Result<int> { return fail(Error::unavailable("away")); });
  auto got = read.get();
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind, ErrorKind::kUnavailable);
}

// Callers that arrive while a read is running wait for it, then share ONE read that starts
// after they all arrived: never the one that began before them (it may miss their writes).
TEST(CoalescedReadTest, CallersArrivingDuringAReadShareTheNextOne) {
  std::atomic<int> reads{0};
  std::atomic<bool> release_first{false};
  CoalescedRead<int> read([&]() -> Result<int> {
    const int n = ++reads;
    if (n == 1) {
      while (!release_first) std::this_thread::sleep_for(1ms);
    }
    return n;
  });
  std::thread first([&] { EXPECT_EQ(*read.get(), 1); });
  while (reads < 1) std::this_thread::sleep_for(1ms);
  constexpr int kLate = 8;
  std::vector<int> seen(kLate, 0);
  std::vector<std::thread> late;
  for (int i = 0; i < kLate; ++i) {
    late.emplace_back([&, i] { seen[i] = *read.get(); });
  }
  std::this_thread::sleep_for(50ms);  // let them queue behind the first read
  release_first = true;
  first.join();
  for (std::thread& t : late) t.join();
  for (int v : seen) EXPECT_GE(v, 2) << "no late caller may take the read that began before it";
  EXPECT_LT(reads.load(), 1 + kLate) << "late callers shared reads";
}

}  // namespace
}  // namespace zocalo
