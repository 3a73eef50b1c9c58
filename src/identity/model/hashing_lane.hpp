#pragma once
// Where Argon2id runs. A password hash takes about 80 ms of one core and 64 MiB; a burst of
// sign-ins would otherwise put one on every worker thread, and the I/O threads that answer
// every other page would wait behind them (bench/RESULTS.md: a cheap route's p99 went from
// 0.2 ms to 70 ms during a sign-in storm). So hashes run here instead: one thread per core,
// each at a lower scheduling priority (nice +10), a queue in front. Sign-ins still use every
// core; the rest of the server keeps its latency; at most one hash per core holds its memory.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace zocalo::identity {

class HashingLane {
 public:
  // The process's lane, started on first use with one thread per core.
  static HashingLane& shared();

  explicit HashingLane(std::size_t threads);
  ~HashingLane();
  HashingLane(const HashingLane&) = delete;
  HashingLane& operator=(const HashingLane&) = delete;

  // Runs `work` on a lane thread and waits for its result (exceptions travel back).
  template <class Work>
  std::invoke_result_t<Work&> run(Work&& work) {
    std::packaged_task<std::invoke_result_t<Work&>()> task(std::forward<Work>(work));
    auto done = task.get_future();
    post([&task] { task(); });
    return done.get();
  }

  std::size_t threads() const { return threads_.size(); }

 private:
  void post(std::function<void()> job);
  void loop();

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace zocalo::identity
