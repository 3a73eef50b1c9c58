#include "platform/jobs/job_queue.hpp"

#include <string>

#include "platform/core/time.hpp"
#include "platform/db/kept_statement.hpp"
#include "platform/jobs/job_signal.hpp"

namespace zocalo::jobs {

namespace {

// Every notice of every module goes through here, inside its caller's transaction.
struct InsertJob {
  static constexpr std::string_view kSql =
      "INSERT INTO jobs (kind, payload, status, attempts, max_attempts, run_at, created_at) "
      "VALUES (:kind, :payload, 'queued', 0, :max_attempts, :run_at, :now) RETURNING id";
  std::string kind;
  std::string payload;
  int max_attempts = 0;
  long long run_at = 0;
  long long now = 0;
  long long id = 0;
  void bind(soci::statement& st) {
    st.exchange(soci::use(kind));
    st.exchange(soci::use(payload));
    st.exchange(soci::use(max_attempts));
    st.exchange(soci::use(run_at));
    st.exchange(soci::use(now));
    st.exchange(soci::into(id));
  }
};

}  // namespace

Result<long long> JobQueue::enqueue(soci::session& sql, std::string_view kind,
                                    std::string_view payload_json, const EnqueueOptions& options) {
  if (kind.empty() || kind.size() > 100) {
    return fail(Error::invalid("error.invalid", "job kind must be 1..100 bytes"));
  }
  if (options.max_attempts < 1) {
    return fail(Error::invalid("error.invalid", "max_attempts must be at least 1"));
  }
  auto insert = db::kept<InsertJob>(sql);
  InsertJob& job = insert->values;
  job.kind = kind;
  job.payload = payload_json;
  job.now = time::now_unix();
  job.run_at = options.run_at > 0 ? options.run_at : job.now;
  job.max_attempts = options.max_attempts;
  if (!insert->run()) return fail(Error::internal("jobs: INSERT returned no id"));
  db::Database::after_commit([] { JobSignal::process().notify(); });
  return job.id;
}

Result<long long> JobQueue::enqueue(db::Database& db, std::string_view kind,
                                    std::string_view payload_json, const EnqueueOptions& options) {
  long long id = 0;
  const Status st = db.transaction([&](soci::session& sql) -> Status {
    auto r = enqueue(sql, kind, payload_json, options);
    if (!r) return fail(r.error());
    id = *r;
    return {};
  });
  if (!st) return fail(st.error());
  return id;
}

Result<std::optional<JobState>> JobQueue::find(db::Database& db, long long id) {
  std::optional<JobState> out;
  const Status st = db.read([&](soci::session& sql) -> Status {
    JobState s;
    std::string status, locked_by, last_error;
    long long locked_until = 0, finished_at = 0, run_at = 0;
    soci::indicator i_by = soci::i_null, i_until = soci::i_null, i_err = soci::i_null,
                    i_fin = soci::i_null;
    sql << "SELECT id, kind, status, attempts, max_attempts, run_at, locked_by, locked_until, "
           "last_error, finished_at FROM jobs WHERE id = :id",
        soci::use(id), soci::into(s.id), soci::into(s.kind), soci::into(status),
        soci::into(s.attempts), soci::into(s.max_attempts), soci::into(run_at),
        soci::into(locked_by, i_by), soci::into(locked_until, i_until),
        soci::into(last_error, i_err), soci::into(finished_at, i_fin);
    if (!sql.got_data()) return {};
    const auto parsed = parse_job_status(status);
    if (!parsed)
      return fail(Error::internal("job " + std::to_string(id) + " has status " + status));
    s.status = *parsed;
    s.run_at = run_at;
    if (i_by == soci::i_ok) s.locked_by = locked_by;
    if (i_until == soci::i_ok) s.locked_until = locked_until;
    if (i_err == soci::i_ok) s.last_error = last_error;
    if (i_fin == soci::i_ok) s.finished_at = finished_at;
    out = std::move(s);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

Result<long long> JobQueue::waiting_count(db::Database& db) {
  long long n = 0;
  const Status st = db.read([&](soci::session& sql) -> Status {
    // Same predicate as the jobs_claimable partial index, so the count is an index scan.
    sql << "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'failed')", soci::into(n);
    return {};
  });
  if (!st) return fail(st.error());
  return n;
}

Result<long long> JobQueue::count(db::Database& db, JobStatus status) {
  long long n = 0;
  const std::string s(to_string(status));
  const Status st = db.read([&](soci::session& sql) -> Status {
    sql << "SELECT COUNT(*) FROM jobs WHERE status = :s", soci::use(s), soci::into(n);
    return {};
  });
  if (!st) return fail(st.error());
  return n;
}

Result<std::size_t> JobQueue::purge_finished(db::Database& db, std::int64_t before) {
  std::size_t removed = 0;
  const long long cutoff = before;
  const Status st = db.transaction([&](soci::session& sql) -> Status {
    soci::statement del =
        (sql.prepare << "DELETE FROM jobs WHERE status IN ('done', 'dead') AND finished_at < :t",
         soci::use(cutoff));
    del.execute(true);
    removed = static_cast<std::size_t>(del.get_affected_rows());
    return {};
  });
  if (!st) return fail(st.error());
  return removed;
}

}  // namespace zocalo::jobs
