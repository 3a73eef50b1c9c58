#pragma once
// Housekeeping every `serve` node does on a timer: expired sessions and long-finished jobs are
// deleted. Each statement is idempotent, so several nodes doing it at once is harmless.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "platform/db/database.hpp"
#include "platform/web/session_store.hpp"

namespace zocalo::app {

struct MaintenanceOptions {
  std::chrono::seconds interval{std::chrono::minutes(10)};
  // Finished jobs stay this long for operators to inspect (done and dead alike).
  std::chrono::seconds keep_finished_jobs{std::chrono::hours(24 * 30)};
  // Signed-out, expired or idle logins (identity's login_sessions) are deleted after this.
  std::chrono::seconds keep_dead_logins{std::chrono::hours(24 * 7)};
  // Idle sign-in throttle counters and expired one-time codes are deleted after this.
  std::chrono::seconds keep_auth_leftovers{std::chrono::hours(24)};
};

class Maintenance {
 public:
  Maintenance(db::Database& db, web::DbSessionStore& sessions, MaintenanceOptions options = {});
  ~Maintenance();  // stop()
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

  void start();
  void stop();
  // One round, now (also what the timer runs).
  void run_once();

 private:
  db::Database& db_;
  web::DbSessionStore& sessions_;
  MaintenanceOptions options_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace zocalo::app
