#pragma once
// An in-memory copy of something stored (signing keys, the OpenID Provider's clients) shared by
// every request thread, reloaded at most every `max_age`: the database sees one read per
// interval instead of one per request, and a change made on another node reaches this one
// within `max_age` without a restart.
//
// get() reloads a stale copy on the calling thread; only one thread reloads while the others
// keep answering from the previous copy. A failed reload keeps the previous copy (logged, and
// tried again after another `max_age`): a database hiccup must not empty what every request
// needs. peek() never loads, so threads that must not block on the database (the HTTP I/O
// threads) can ask for a fresh copy and hand the work to the worker pool when there is none.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "platform/core/log.hpp"
#include "platform/core/result.hpp"

namespace zocalo {

template <class T>
class RefreshingSnapshot {
 public:
  using Loader = std::function<Result<T>()>;

  // `reload_failed_event` names the warning logged when a reload fails.
  RefreshingSnapshot(Loader loader, std::chrono::seconds max_age, std::string reload_failed_event)
      : loader_(std::move(loader)),
        max_age_(max_age),
        reload_failed_event_(std::move(reload_failed_event)) {}

  // The current copy, loaded first when there is none or it is too old. Fails only when no
  // copy was ever loaded and loading fails.
  Result<std::shared_ptr<const T>> get() {
    std::shared_ptr<const T> current;
    {
      std::lock_guard lock(mu_);
      current = value_;
      if (current && Clock::now() - loaded_at_ < max_age_) return current;
    }
    std::unique_lock reload(reload_mu_, std::defer_lock);
    if (current) {
      // Stale: someone else is already reloading; answer from the previous copy meanwhile.
      if (!reload.try_lock()) return current;
    } else {
      reload.lock();  // nothing to answer with yet: wait for the first load
    }
    {
      std::lock_guard lock(mu_);  // the thread we waited for may have just reloaded
      if (value_ && Clock::now() - loaded_at_ < max_age_) return value_;
    }
    if (Status st = refresh(); !st) {
      std::lock_guard lock(mu_);
      if (!value_) return fail(st.error());
      return value_;
    }
    std::lock_guard lock(mu_);
    return value_;
  }

  // The current copy when it is younger than `max_age`, else null. Never loads.
  std::shared_ptr<const T> peek() const {
    std::lock_guard lock(mu_);
    if (value_ && Clock::now() - loaded_at_ < max_age_) return value_;
    return nullptr;
  }

  // Loads now, whatever the age (after this node changed what is stored, so that it sees its
  // own change at once). On failure the previous copy stays.
  Status refresh() {
    auto loaded = loader_();
    std::lock_guard lock(mu_);
    // Success or not, wait another max_age before the next try: a failing database is not
    // asked again on every request.
    loaded_at_ = Clock::now();
    if (!loaded) {
      log::warn(reload_failed_event_,
                {{"error", loaded.error().user_key}, {"detail", loaded.error().detail}});
      return fail(loaded.error());
    }
    value_ = std::make_shared<const T>(std::move(*loaded));
    return {};
  }

 private:
  using Clock = std::chrono::steady_clock;

  const Loader loader_;
  const std::chrono::seconds max_age_;
  const std::string reload_failed_event_;

  std::mutex reload_mu_;   // held by the one thread reloading; never while holding mu_
  mutable std::mutex mu_;  // guards the two below
  std::shared_ptr<const T> value_;
  Clock::time_point loaded_at_{};
};

}  // namespace zocalo
