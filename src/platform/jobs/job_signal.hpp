#pragma once
// Wakes this process's idle workers when this process enqueues a job, so a notification queued
// by a request goes out at once instead of at the next poll. Jobs enqueued by other nodes are
// found by polling.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace zocalo::jobs {

class JobSignal {
 public:
  static JobSignal& process();

  void notify();
  std::uint64_t generation();
  // Waits until notify() is called after `seen` was read, or `timeout` passes.
  void wait(std::uint64_t seen, std::chrono::milliseconds timeout);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t generation_ = 0;
};

}  // namespace zocalo::jobs
