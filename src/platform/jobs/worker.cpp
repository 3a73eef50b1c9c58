#include "platform/jobs/worker.hpp"

#include <unistd.h>

#include <random>
#include <stdexcept>

#include "platform/core/crypto.hpp"
#include "platform/core/log.hpp"
#include "platform/core/metrics.hpp"
#include "platform/jobs/backoff.hpp"
#include "platform/jobs/job_queue.hpp"
#include "platform/jobs/job_signal.hpp"

namespace zocalo::jobs {
namespace {

std::string default_node_id() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "node") + ":" + std::to_string(getpid()) + ":" +
         crypto::hex_encode(crypto::random_bytes(4));
}

double unit_random() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// Error texts are stored for operators; bound them so a handler cannot bloat the table.
std::string bounded(std::string s) {
  constexpr std::size_t kMax = 2000;
  if (s.size() > kMax) s.resize(kMax);
  return s;
}

std::string label(const std::string& kind) {
  return "kind=\"" + kind + "\"";
}

}  // namespace

Worker::Worker(db::Database& db, WorkerOptions options)
    : db_(db),
      options_(std::move(options)),
      queued_gauge_(std::make_shared<std::atomic<double>>(0)) {
  if (options_.node_id.empty()) options_.node_id = default_node_id();
  if (options_.threads == 0) options_.threads = 1;
}

Worker::~Worker() {
  stop();
}

void Worker::handle(const std::string& kind, JobHandler handler) {
  if (!threads_.empty()) throw std::logic_error("Worker::handle after start()");
  if (handlers_.emplace(kind, std::move(handler)).second)
    kinds_.push_back(kind);
  else
    handlers_[kind] = std::move(handler);
}

void Worker::start() {
  if (!threads_.empty()) return;
  stopping_ = false;
  // The gauge reads a value the worker refreshes, never the database at scrape time: the
  // registry outlives this worker and its Database.
  std::weak_ptr<std::atomic<double>> weak = queued_gauge_;
  metrics::Registry::global().gauge("zocalo_jobs_queued",
                                    "Jobs waiting to run (queued or retrying).", [weak] {
                                      auto v = weak.lock();
                                      return v ? v->load() : 0.0;
                                    });
  refresh_gauge();
  for (std::size_t i = 0; i < options_.threads; ++i) threads_.emplace_back([this, i] { loop(i); });
  log::info("jobs.worker_started",
            {{"node", options_.node_id}, {"threads", options_.threads}, {"kinds", kinds_.size()}});
}

void Worker::stop() {
  if (threads_.empty()) return;
  stopping_ = true;
  JobSignal::process().notify();
  for (auto& t : threads_) t.join();
  threads_.clear();
  log::info("jobs.worker_stopped", {{"node", options_.node_id}});
}

void Worker::refresh_gauge() {
  if (auto n = JobQueue::waiting_count(db_)) queued_gauge_->store(static_cast<double>(*n));
}

void Worker::loop(std::size_t index) {
  auto last_gauge = std::chrono::steady_clock::now();
  while (!stopping_) {
    const std::uint64_t seen = JobSignal::process().generation();
    auto ran = run_once();
    if (index == 0 && std::chrono::steady_clock::now() - last_gauge > std::chrono::seconds(5)) {
      refresh_gauge();
      last_gauge = std::chrono::steady_clock::now();
    }
    if (!ran) {
      log::warn("jobs.poll_failed", {{"node", options_.node_id}, {"detail", ran.error().detail}});
    } else if (*ran) {
      continue;  // there may be more: look again at once
    }
    if (stopping_) break;
    JobSignal::process().wait(seen, options_.poll_interval);
  }
}

Result<bool> Worker::run_once() {
  if (kinds_.empty()) return false;
  const std::int64_t now = options_.clock();
  if (now >= next_reclaim_.load()) {
    next_reclaim_ = now + options_.reclaim_interval.count();
    auto reclaimed = reclaim_expired_leases();
    if (!reclaimed) return fail(reclaimed.error());
  }
  // One name per claim, so finishing can tell "still mine" from "reclaimed and re-claimed".
  const std::string lock_name = options_.node_id + "#" + std::to_string(++claims_);
  auto claimed = claim(lock_name);
  if (!claimed) return fail(claimed.error());
  if (!*claimed) return false;
  const Job& job = **claimed;

  const auto started = std::chrono::steady_clock::now();
  Status outcome;
  try {
    outcome = handlers_.at(job.kind)(job);
  } catch (const std::exception& e) {
    outcome = fail(Error::internal(std::string("handler threw: ") + e.what()));
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const Status recorded = finish(job, lock_name, outcome);
  if (!recorded) return fail(recorded.error());
  if (outcome) {
    log::info("jobs.done", {{"job", static_cast<std::int64_t>(job.id)},
                            {"kind", job.kind},
                            {"attempt", job.attempts},
                            {"seconds", seconds}});
  }
  return true;
}

Result<std::optional<Job>> Worker::claim(const std::string& lock_name) {
  std::optional<Job> out;
  const long long now = options_.clock();
  const long long until = now + options_.lease.count();
  std::string sql_text =
      "SELECT id, kind, payload, attempts, max_attempts, run_at, created_at, last_error "
      "FROM jobs WHERE status IN ('queued', 'failed') AND run_at <= :now AND kind IN (";
  for (std::size_t i = 0; i < kinds_.size(); ++i) {
    sql_text += (i ? ", :k" : ":k") + std::to_string(i);
  }
  sql_text += ") ORDER BY run_at, id LIMIT 1";
  // PostgreSQL: skip rows another worker is claiming right now instead of queueing behind it.
  // SQLite needs nothing: BEGIN IMMEDIATE already made this the only writer.
  if (db_.is_postgres()) sql_text += " FOR UPDATE SKIP LOCKED";

  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    Job job;
    long long run_at = 0, created_at = 0;
    std::string last_error;
    soci::indicator err_ind = soci::i_null;
    soci::statement select(sql);
    select.exchange(soci::into(job.id));
    select.exchange(soci::into(job.kind));
    select.exchange(soci::into(job.payload));
    select.exchange(soci::into(job.attempts));
    select.exchange(soci::into(job.max_attempts));
    select.exchange(soci::into(run_at));
    select.exchange(soci::into(created_at));
    select.exchange(soci::into(last_error, err_ind));
    select.exchange(soci::use(now, "now"));
    for (std::size_t i = 0; i < kinds_.size(); ++i) {
      select.exchange(soci::use(kinds_[i], "k" + std::to_string(i)));
    }
    select.alloc();
    select.prepare(sql_text);
    select.define_and_bind();
    if (!select.execute(true)) return {};

    sql << "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = :by, "
           "locked_until = :until WHERE id = :id",
        soci::use(lock_name), soci::use(until), soci::use(job.id);
    // Counting the attempt at claim time means a job that crashes its worker every time still
    // runs out of attempts instead of looping forever.
    job.attempts += 1;
    job.run_at = run_at;
    job.created_at = created_at;
    if (err_ind == soci::i_ok) job.last_error = last_error;
    out = std::move(job);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

Status Worker::finish(const Job& job, const std::string& lock_name, const Status& outcome) {
  const long long now = options_.clock();
  std::string status = "done";
  long long run_at = job.run_at;
  std::string error_text;
  if (!outcome) {
    error_text =
        bounded(outcome.error().detail.empty() ? outcome.error().user_key : outcome.error().detail);
    // Invalid input (a malformed address, a payload that will never parse) cannot succeed
    // later, so it is not retried.
    if (job.last_attempt() || outcome.error().kind == ErrorKind::kInvalidInput) {
      status = "dead";
    } else {
      status = "failed";
      run_at = now + retry_delay_seconds(job.attempts, options_.backoff_base, options_.backoff_cap,
                                         unit_random());
    }
  }
  long long affected = 0;
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    soci::indicator err_ind = error_text.empty() ? soci::i_null : soci::i_ok;
    soci::indicator fin_ind = status == "failed" ? soci::i_null : soci::i_ok;
    // The locked_by guard: if the lease expired and another worker took the job over, that
    // worker's outcome is the one that counts.
    soci::statement update =
        (sql.prepare
             << "UPDATE jobs SET status = :status, run_at = :run_at, locked_by = NULL, "
                "locked_until = NULL, last_error = :err, finished_at = :fin, "
                "finished_by = :node WHERE id = :id AND status = 'running' AND locked_by = :by",
         soci::use(status), soci::use(run_at), soci::use(error_text, err_ind),
         soci::use(now, fin_ind), soci::use(options_.node_id, fin_ind), soci::use(job.id),
         soci::use(lock_name));
    update.execute(true);
    affected = update.get_affected_rows();
    return {};
  });
  if (!st) return st;

  auto& registry = metrics::Registry::global();
  if (affected == 0) {
    log::warn(
        "jobs.lease_lost",
        {{"job", static_cast<std::int64_t>(job.id)}, {"kind", job.kind}, {"outcome", status}});
    return {};
  }
  if (status == "done") {
    registry.add("zocalo_jobs_done_total", "Jobs that completed.", label(job.kind));
  } else {
    registry.add("zocalo_jobs_failed_total", "Job attempts that failed.", label(job.kind));
    if (status == "dead") {
      registry.add("zocalo_jobs_dead_total", "Jobs that used up their attempts.", label(job.kind));
      log::error("jobs.dead", {{"job", static_cast<std::int64_t>(job.id)},
                               {"kind", job.kind},
                               {"attempts", job.attempts},
                               {"detail", error_text}});
    } else {
      log::warn("jobs.failed", {{"job", static_cast<std::int64_t>(job.id)},
                                {"kind", job.kind},
                                {"attempt", job.attempts},
                                {"retry_at", static_cast<std::int64_t>(run_at)},
                                {"detail", error_text}});
    }
  }
  return {};
}

Result<std::size_t> Worker::reclaim_expired_leases() {
  const long long now = options_.clock();
  const std::string reason = "lease expired: the worker stopped or crashed mid-job";
  std::size_t reclaimed = 0;
  // CAST: PostgreSQL types a parameter inside CASE as text unless told.
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    soci::statement update =
        (sql.prepare
             << "UPDATE jobs SET "
                "status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'failed' END, "
                "finished_at = CASE WHEN attempts >= max_attempts "
                "THEN CAST(:now1 AS BIGINT) ELSE NULL END, "
                "run_at = :now2, locked_by = NULL, locked_until = NULL, last_error = :why "
                "WHERE status = 'running' AND locked_until < :now3",
         soci::use(now, "now1"), soci::use(now, "now2"), soci::use(reason, "why"),
         soci::use(now, "now3"));
    update.execute(true);
    reclaimed = static_cast<std::size_t>(update.get_affected_rows());
    return {};
  });
  if (!st) return fail(st.error());
  if (reclaimed > 0) log::warn("jobs.leases_reclaimed", {{"count", reclaimed}});
  return reclaimed;
}

}  // namespace zocalo::jobs
