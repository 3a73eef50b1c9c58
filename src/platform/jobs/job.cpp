#include "platform/jobs/job.hpp"

namespace zocalo::jobs {

std::string_view to_string(JobStatus status) {
  switch (status) {
    case JobStatus::kQueued:
      return "queued";
    case JobStatus::kRunning:
      return "running";
    case JobStatus::kDone:
      return "done";
    case JobStatus::kFailed:
      return "failed";
    case JobStatus::kDead:
      return "dead";
  }
  return "queued";
}

std::optional<JobStatus> parse_job_status(std::string_view text) {
  for (JobStatus s : {JobStatus::kQueued, JobStatus::kRunning, JobStatus::kDone, JobStatus::kFailed,
                      JobStatus::kDead}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

}  // namespace zocalo::jobs
