#pragma once
// One read shared by the callers that arrive while it is starting: a caller takes the result
// of a read that began after it arrived (so it sees everything committed before it asked), or
// starts one. Under load, N concurrent callers cost about one read per round trip instead of
// N (ADR 0008: the Open311 list cache reads its data version on every call; on PostgreSQL that
// is a round trip).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

#include "platform/core/result.hpp"

namespace zocalo {

template <class T>
class CoalescedRead {
 public:
  using Read = std::function<Result<T>()>;

  explicit CoalescedRead(Read read) : read_(std::move(read)) {}
  CoalescedRead(const CoalescedRead&) = delete;
  CoalescedRead& operator=(const CoalescedRead&) = delete;

  Result<T> get() {
    const auto arrived = Clock::now();
    std::unique_lock lock(mutex_);
    for (;;) {
      if (last_ && last_->started >= arrived) return last_->result;
      if (!running_) break;
      std::shared_ptr<Round> round = running_;
      done_.wait(lock, [&round] { return round->finished; });
      // A round that started before this caller arrived may have missed a commit it must see.
      if (round->started >= arrived) return round->result;
    }
    auto round = std::make_shared<Round>();
    round->started = Clock::now();
    running_ = round;
    lock.unlock();
    Result<T> result = fail(Error::internal("coalesced read threw"));
    try {
      result = read_();
    } catch (...) {
      finish(round, result);
      throw;
    }
    finish(round, result);
    return result;
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Round {
    Clock::time_point started;
    bool finished = false;
    Result<T> result = fail(Error::internal("coalesced read unfinished"));
  };

  void finish(const std::shared_ptr<Round>& round, const Result<T>& result) {
    {
      std::lock_guard lock(mutex_);
      round->result = result;
      round->finished = true;
      running_.reset();
      last_ = round;
    }
    done_.notify_all();
  }

  const Read read_;
  std::mutex mutex_;
  std::condition_variable done_;
  std::shared_ptr<Round> running_;  // the read in progress, if any
  std::shared_ptr<Round> last_;     // the last finished read
};

}  // namespace zocalo
