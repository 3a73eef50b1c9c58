#pragma once
// Runs queued jobs: N threads, each claiming one due job at a time under a lease, so several
// processes (nodes) can share one queue and a crashed worker's job is picked up again.
//
// Delivery is at least once: a worker that dies after the handler's side effect but before
// recording "done" leaves the job to be retried when its lease expires. Handlers therefore
// tolerate a repeat (the side effects here are notifications, where a rare duplicate is
// acceptable; anything stricter must deduplicate on the job id).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/core/time.hpp"
#include "platform/db/database.hpp"
#include "platform/jobs/job.hpp"

namespace zocalo::jobs {

using JobHandler = std::function<Status(const Job&)>;

struct WorkerOptions {
  std::size_t threads = 2;
  // How long an idle thread sleeps before looking again (jobs from other nodes are found by
  // polling; this process's own enqueues wake it at once).
  std::chrono::milliseconds poll_interval{500};
  // A claimed job belongs to this worker until now + lease; longer-running handlers would be
  // run twice, so keep it above the slowest handler's timeout.
  std::chrono::seconds lease{300};
  // How often to look for expired leases (jobs of crashed workers). 0 = before every claim.
  std::chrono::seconds reclaim_interval{30};
  std::chrono::seconds backoff_base{10};
  std::chrono::seconds backoff_cap{3600};
  // Names this worker in jobs.locked_by; default "<hostname>:<pid>:<random>".
  std::string node_id;
  // Unix seconds; replaceable so tests can move time forward.
  std::function<std::int64_t()> clock = time::now_unix;
};

class Worker {
 public:
  explicit Worker(db::Database& db, WorkerOptions options = {});
  ~Worker();  // stop()
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Registers the handler for `kind`. Call before start(); a worker claims only the kinds it has
  // handlers for, so nodes may run different sets. A handler's error (or exception) counts as a
  // failed attempt, retried with backoff; an ErrorKind::kInvalidInput error is permanent and
  // the job goes straight to dead.
  void handle(const std::string& kind, JobHandler handler);

  // Starts the threads. Also publishes the zocalo_jobs_queued gauge.
  void start();
  // Asks the threads to stop and waits: a job already running finishes and is recorded.
  void stop();

  // Claims and runs at most one due job on the calling thread. true when a job ran (whatever
  // its outcome), false when none was due; an error when the database failed.
  Result<bool> run_once();
  // Puts running jobs whose lease has expired back in the queue (or marks them dead when they
  // have used up their attempts); returns how many.
  Result<std::size_t> reclaim_expired_leases();

  const std::string& node_id() const { return options_.node_id; }

 private:
  Result<std::optional<Job>> claim(const std::string& lock_name);
  Status finish(const Job& job, const std::string& lock_name, const Status& outcome);
  void loop(std::size_t index);
  void refresh_gauge();

  db::Database& db_;
  WorkerOptions options_;
  std::map<std::string, JobHandler> handlers_;
  std::vector<std::string> kinds_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> claims_{0};
  std::atomic<std::int64_t> next_reclaim_{0};
  std::shared_ptr<std::atomic<double>> queued_gauge_;
};

}  // namespace zocalo::jobs
