#include "identity/model/hashing_lane.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace zocalo::identity {
namespace {

// Linux keeps a nice value per thread; lowering our own priority needs no privilege. Best
// effort: where it is refused the lane still bounds how many hashes run at once.
void lower_this_threads_priority() {
  [[maybe_unused]] const int rc =
      setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
}

}  // namespace

HashingLane& HashingLane::shared() {
  static HashingLane lane(std::max(1u, std::thread::hardware_concurrency()));
  return lane;
}

HashingLane::HashingLane(std::size_t threads) {
  threads_.reserve(threads);
  for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i) {
    threads_.emplace_back([this] {
      lower_this_threads_priority();
      loop();
    });
  }
}

HashingLane::~HashingLane() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void HashingLane::post(std::function<void()> job) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void HashingLane::loop() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Finish what was queued before stopping: a caller is waiting for each job.
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    job();
  }
}

}  // namespace zocalo::identity
