#pragma once
// The durable job queue (transactional outbox). A module enqueues inside the transaction that
// makes its change, so the change and its follow-up work (an e-mail, an SMS) commit or vanish
// together; a Worker runs the jobs later, on any node.
#include <soci/soci.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/jobs/job.hpp"

namespace zocalo::jobs {

struct EnqueueOptions {
  std::int64_t run_at = 0;  // unix seconds; 0 = now
  int max_attempts = 5;     // 1 = never retried
};

class JobQueue {
 public:
  // Enqueues on `sql`, which should be the session of a transaction in progress (from
  // Database::transaction): the job exists only if that transaction commits, and this process's
  // workers are woken after the commit. Returns the job id. `kind` must be non-empty and at most
  // 100 bytes; `payload_json` is stored as given (handlers parse it). SOCI errors propagate as
  // exceptions so that the caller's transaction() rolls back and maps them.
  static Result<long long> enqueue(soci::session& sql, std::string_view kind,
                                   std::string_view payload_json,
                                   const EnqueueOptions& options = {});
  // Enqueues in a transaction of its own.
  static Result<long long> enqueue(db::Database& db, std::string_view kind,
                                   std::string_view payload_json,
                                   const EnqueueOptions& options = {});

  static Result<std::optional<JobState>> find(db::Database& db, long long id);
  // Jobs waiting to run (queued, or failed and waiting for a retry).
  static Result<long long> waiting_count(db::Database& db);
  static Result<long long> count(db::Database& db, JobStatus status);
  // Deletes done and dead jobs finished before `before` (unix seconds); returns how many.
  static Result<std::size_t> purge_finished(db::Database& db, std::int64_t before);
};

}  // namespace zocalo::jobs
