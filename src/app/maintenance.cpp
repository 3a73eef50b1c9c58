#include "app/maintenance.hpp"

#include "identity/store/login_session_store.hpp"
#include "identity/store/one_time_code_store.hpp"
#include "identity/store/throttle_store.hpp"
#include "platform/core/log.hpp"
#include "platform/core/time.hpp"
#include "platform/jobs/job_queue.hpp"

namespace zocalo::app {

Maintenance::Maintenance(db::Database& db, web::DbSessionStore& sessions,
                         MaintenanceOptions options)
    : db_(db), sessions_(sessions), options_(options) {}

Maintenance::~Maintenance() {
  stop();
}

void Maintenance::start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, options_.interval, [this] { return stopping_; })) {
      lock.unlock();
      run_once();
      lock.lock();
    }
  });
}

void Maintenance::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Maintenance::run_once() {
  const auto sessions = sessions_.purge_expired();
  const std::int64_t cutoff = time::now_unix() - options_.keep_finished_jobs.count();
  const auto jobs = jobs::JobQueue::purge_finished(db_, cutoff);
  // Dead logins stay a week so the sessions page can still explain a recent sign-out.
  const std::int64_t now = time::now_unix();
  const auto logins =
      identity::LoginSessionStore(db_).purge_dead(now, options_.keep_dead_logins.count());
  // Sign-in counters and one-time codes are worthless once idle or expired; a day's grace
  // keeps the evidence of an attack visible to an operator for a while.
  const std::int64_t grace = options_.keep_auth_leftovers.count();
  const auto throttles = identity::ThrottleStore(db_).purge(now, grace);
  Result<int> codes = 0;
  const Status codes_purged = db_.transaction([&](soci::session& sql) -> Status {
    codes = identity::OneTimeCodeStore::purge(sql, now, grace);
    return codes ? Status{} : fail(codes.error());
  });
  if (!sessions || !jobs || !logins || !throttles || !codes_purged) {
    // Not fatal: the next round tries again; the log says what failed.
    log::warn("maintenance.failed", {{"sessions", sessions ? "ok" : sessions.error().detail},
                                     {"jobs", jobs ? "ok" : jobs.error().detail},
                                     {"logins", logins ? "ok" : logins.error().detail},
                                     {"throttles", throttles ? "ok" : throttles.error().detail},
                                     {"codes", codes_purged ? "ok" : codes_purged.error().detail}});
    return;
  }
  log::info("maintenance.done",
            {{"sessions_purged", *sessions}, {"jobs_purged", *jobs}, {"logins_purged", *logins}});
}

}  // namespace zocalo::app
