#include "identity/model/hashing_lane.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

namespace zocalo::identity {
namespace {

TEST(HashingLaneTest, RunsWorkOnItsOwnLowPriorityThreadsAndReturnsTheResult) {
  HashingLane lane(2);
  const auto caller = std::this_thread::get_id();
  const auto [ran_on, nice] = lane.run([] {
    errno = 0;
    const int n = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
    return std::pair(std::this_thread::get_id(), n);
  });
  EXPECT_NE(ran_on, caller);
  EXPECT_GE(nice, 10);
}

TEST(HashingLaneTest, NeverRunsMoreJobsAtOnceThanItHasThreads) {
  HashingLane lane(2);
  std::atomic<int> running{0};
  std::atomic<int> most{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      lane.run([&] {
        const int now = ++running;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        --running;
        return 0;
      });
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(most.load(), 2);
}

TEST(HashingLaneTest, ExceptionsReachTheCaller) {
  HashingLane lane(1);
  EXPECT_THROW(lane.run([]() -> int { throw std::runtime_error("boom"); }), std::runtime_error);
  EXPECT_EQ(lane.run([] { return 7; }), 7);  // the thread survived
}

}  // namespace
}  // namespace zocalo::identity
