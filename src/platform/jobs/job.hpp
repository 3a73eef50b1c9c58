#pragma once
// A row of the `jobs` table as a handler sees it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zocalo::jobs {

// queued -> running -> done
//                   -> failed (retry at run_at) -> running -> ...
//                   -> dead (max_attempts used up)
enum class JobStatus { kQueued, kRunning, kDone, kFailed, kDead };

std::string_view to_string(JobStatus status);
std::optional<JobStatus> parse_job_status(std::string_view text);

struct Job {
  long long id = 0;
  std::string kind;     // "notify.email"
  std::string payload;  // JSON text, as enqueued
  int attempts = 0;     // including the one running now
  int max_attempts = 0;
  std::int64_t run_at = 0;
  std::int64_t created_at = 0;
  std::string last_error;  // why the previous attempt failed; empty on the first
  bool last_attempt() const { return attempts >= max_attempts; }
};

// What JobQueue::find reports about a job, for tests, the admin console and the CLI.
struct JobState {
  long long id = 0;
  std::string kind;
  JobStatus status = JobStatus::kQueued;
  int attempts = 0;
  int max_attempts = 0;
  std::int64_t run_at = 0;
  std::string locked_by;
  std::int64_t locked_until = 0;
  std::string last_error;
  std::int64_t finished_at = 0;
};

}  // namespace zocalo::jobs
