#include "platform/jobs/job_signal.hpp"

namespace zocalo::jobs {

JobSignal& JobSignal::process() {
  static JobSignal signal;
  return signal;
}

void JobSignal::notify() {
  {
    std::lock_guard lock(mu_);
    ++generation_;
  }
  cv_.notify_all();
}

std::uint64_t JobSignal::generation() {
  std::lock_guard lock(mu_);
  return generation_;
}

void JobSignal::wait(std::uint64_t seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return generation_ != seen; });
}

}  // namespace zocalo::jobs
