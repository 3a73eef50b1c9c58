#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <thread>

#include "db_fixture.hpp"
#include "platform/jobs/backoff.hpp"
#include "platform/jobs/job_queue.hpp"
#include "platform/jobs/worker.hpp"

namespace zocalo::jobs {
namespace {

using namespace std::chrono_literals;

TEST(BackoffTest, DoublesPerAttemptWithinJitterBounds) {
  EXPECT_EQ(retry_delay_seconds(1, 10s, 3600s, 0.0), 5);
  EXPECT_EQ(retry_delay_seconds(1, 10s, 3600s, 0.999999), 10);
  EXPECT_EQ(retry_delay_seconds(2, 10s, 3600s, 0.0), 10);
  EXPECT_EQ(retry_delay_seconds(3, 10s, 3600s, 0.999999), 40);
}

TEST(BackoffTest, IsCappedEvenForHugeAttemptCounts) {
  EXPECT_EQ(retry_delay_seconds(12, 10s, 3600s, 0.999999), 3600);
  EXPECT_EQ(retry_delay_seconds(1000, 10s, 3600s, 0.0), 1800);
  EXPECT_GE(retry_delay_seconds(1, 1s, 3600s, 0.0), 1);  // never "retry right now"
}

class JobsTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // A little ahead of the wall clock, so jobs enqueued (at wall-clock time) during the test
    // are due even if a second boundary passes.
    now_ = time::now_unix() + 10;
  }
  WorkerOptions manual_options() {
    return {.threads = 1,
            .lease = 60s,
            .reclaim_interval = 0s,
            .backoff_base = 10s,
            .backoff_cap = 3600s,
            .node_id = "test-node",
            .clock = [this] { return now_.load(); }};
  }
  JobState state(long long id) {
    auto s = JobQueue::find(db(), id);
    EXPECT_TRUE(s.ok());
    EXPECT_TRUE(s->has_value());
    return s->value_or(JobState{});
  }

  std::atomic<std::int64_t> now_{0};
};

TEST_P(JobsTest, SuccessfulJobIsDoneWithPayloadDelivered) {
  auto id = JobQueue::enqueue(db(), "test.echo", R"({"to":"vecina@example.mx"})");
  ASSERT_TRUE(id.ok()) << id.error().detail;
  Worker worker(db(), manual_options());
  std::string seen;
  worker.handle("test.echo", [&](const Job& job) -> Status {
    seen = job.payload;
    EXPECT_EQ(job.attempts, 1);
    return {};
  });
  auto ran = worker.run_once();
  ASSERT_TRUE(ran.ok()) << ran.error().detail;
  EXPECT_TRUE(*ran);
  EXPECT_EQ(seen, R"({"to":"vecina@example.mx"})");
  const JobState s = state(*id);
  EXPECT_EQ(s.status, JobStatus::kDone);
  EXPECT_EQ(s.attempts, 1);
  EXPECT_TRUE(s.locked_by.empty());
  EXPECT_EQ(s.finished_at, now_.load());
  EXPECT_FALSE(*worker.run_once());  // nothing left
}

TEST_P(JobsTest, FailedAttemptIsRetriedAfterBackoff) {
  auto id = JobQueue::enqueue(db(), "test.flaky", "{}", {.max_attempts = 5});
  ASSERT_TRUE(id.ok());
  Worker worker(db(), manual_options());
  int calls = 0;
  std::string previous_error;
  worker.handle("test.flaky", [&](const Job& job) -> Status {
    ++calls;
    previous_error = job.last_error;
    if (calls < 3) return fail(Error::unavailable("smtp down #" + std::to_string(calls)));
    return {};
  });

  ASSERT_TRUE(*worker.run_once());
  JobState s = state(*id);
  EXPECT_EQ(s.status, JobStatus::kFailed);
  EXPECT_EQ(s.attempts, 1);
  EXPECT_EQ(s.last_error, "smtp down #1");
  EXPECT_GE(s.run_at, now_ + 5);  // attempt 1: 10 s with equal jitter -> [5, 10]
  EXPECT_LE(s.run_at, now_ + 10);
  EXPECT_FALSE(*worker.run_once()) << "must not run before run_at";

  now_ = s.run_at;
  ASSERT_TRUE(*worker.run_once());
  EXPECT_EQ(previous_error, "smtp down #1");
  s = state(*id);
  EXPECT_EQ(s.attempts, 2);
  EXPECT_GE(s.run_at, now_ + 10);  // attempt 2: 20 s -> [10, 20]
  EXPECT_LE(s.run_at, now_ + 20);

  now_ = s.run_at;
  ASSERT_TRUE(*worker.run_once());
  s = state(*id);
  EXPECT_EQ(s.status, JobStatus::kDone);
  EXPECT_EQ(s.attempts, 3);
  EXPECT_EQ(calls, 3);
}

TEST_P(JobsTest, JobIsDeadAfterMaxAttempts) {
  auto id = JobQueue::enqueue(db(), "test.broken", "{}", {.max_attempts = 3});
  ASSERT_TRUE(id.ok());
  Worker worker(db(), manual_options());
  int calls = 0;
  worker.handle("test.broken", [&](const Job&) -> Status {
    ++calls;
    throw std::runtime_error("boom");
  });
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(*worker.run_once()) << i;
    now_ = state(*id).run_at + 1;
  }
  const JobState s = state(*id);
  EXPECT_EQ(s.status, JobStatus::kDead);
  EXPECT_EQ(s.attempts, 3);
  EXPECT_NE(s.last_error.find("boom"), std::string::npos);
  EXPECT_GT(s.finished_at, 0);
  now_ += 100000;
  EXPECT_FALSE(*worker.run_once());
  EXPECT_EQ(calls, 3);
}

TEST_P(JobsTest, InvalidInputIsNotRetried) {
  auto id = JobQueue::enqueue(db(), "test.bad_address", "{}", {.max_attempts = 5});
  ASSERT_TRUE(id.ok());
  Worker worker(db(), manual_options());
  worker.handle("test.bad_address",
                [](const Job&) -> Status { return fail(Error::invalid("error.email", "no @")); });
  ASSERT_TRUE(*worker.run_once());
  EXPECT_EQ(state(*id).status, JobStatus::kDead);
  EXPECT_EQ(state(*id).attempts, 1);
}

TEST_P(JobsTest, ExpiredLeaseOfACrashedWorkerIsReclaimed) {
  auto id = JobQueue::enqueue(db(), "test.slow", "{}", {.max_attempts = 2});
  ASSERT_TRUE(id.ok());
  // A worker claims the job and "crashes": simulate it with the claim row it would leave.
  const long long until = now_ + 60;
  db().with_session([&](soci::session& sql) {
    sql << "UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'dead-node#1', "
           "locked_until = :u WHERE id = :id",
        soci::use(until), soci::use(*id);
  });
  Worker worker(db(), manual_options());
  int calls = 0;
  worker.handle("test.slow", [&](const Job& job) -> Status {
    ++calls;
    EXPECT_EQ(job.attempts, 2);
    EXPECT_NE(job.last_error.find("lease expired"), std::string::npos);
    return {};
  });
  EXPECT_FALSE(*worker.run_once()) << "the lease still holds";
  EXPECT_EQ(state(*id).locked_by, "dead-node#1");
  now_ = until + 1;
  ASSERT_TRUE(*worker.run_once());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(state(*id).status, JobStatus::kDone);
}

TEST_P(JobsTest, ReclaimedJobWithoutAttemptsLeftIsDead) {
  auto id = JobQueue::enqueue(db(), "test.slow", "{}", {.max_attempts = 1});
  ASSERT_TRUE(id.ok());
  db().with_session([&](soci::session& sql) {
    sql << "UPDATE jobs SET status = 'running', attempts = 1, locked_by = 'x', locked_until = 0 "
           "WHERE id = :id",
        soci::use(*id);
  });
  Worker worker(db(), manual_options());
  auto n = worker.reclaim_expired_leases();
  ASSERT_TRUE(n.ok()) << n.error().detail;
  EXPECT_EQ(*n, 1u);
  EXPECT_EQ(state(*id).status, JobStatus::kDead);
}

TEST_P(JobsTest, LateFinishAfterLeaseWasTakenOverDoesNotOverwrite) {
  auto id = JobQueue::enqueue(db(), "test.slow", "{}", {.max_attempts = 5});
  ASSERT_TRUE(id.ok());
  Worker worker(db(), manual_options());
  worker.handle("test.slow", [&](const Job& job) -> Status {
    // While this handler runs its lease is stolen (as if it had expired and another node took
    // the job over).
    db().with_session([&](soci::session& sql) {
      sql << "UPDATE jobs SET locked_by = 'other-node#9' WHERE id = :id", soci::use(job.id);
    });
    return {};
  });
  ASSERT_TRUE(*worker.run_once());
  const JobState s = state(*id);
  EXPECT_EQ(s.status, JobStatus::kRunning);
  EXPECT_EQ(s.locked_by, "other-node#9");
}

TEST_P(JobsTest, EnqueueInRolledBackTransactionLeavesNothing) {
  long long id = 0;
  const Status st = db().transaction([&](soci::session& sql) -> Status {
    sql << "INSERT INTO settings (key, value) VALUES ('k', 'v')";
    auto r = JobQueue::enqueue(sql, "test.echo", "{}");
    if (!r) return fail(r.error());
    id = *r;
    return fail(Error::conflict("error.conflict", "the module's write failed a rule"));
  });
  ASSERT_FALSE(st.ok());
  EXPECT_GT(id, 0);
  EXPECT_EQ(*JobQueue::waiting_count(db()), 0);
  EXPECT_FALSE(JobQueue::find(db(), id)->has_value());
}

TEST_P(JobsTest, EnqueueCommitsTogetherWithTheCallersWrite) {
  const Status st = db().transaction([&](soci::session& sql) -> Status {
    sql << "INSERT INTO settings (key, value) VALUES ('k', 'v')";
    auto r = JobQueue::enqueue(sql, "test.echo", "{}");
    return r ? Status{} : fail(r.error());
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;
  EXPECT_EQ(*JobQueue::waiting_count(db()), 1);
}

TEST_P(JobsTest, EnqueueRejectsBadOptions) {
  EXPECT_EQ(JobQueue::enqueue(db(), "", "{}").error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(JobQueue::enqueue(db(), "k", "{}", {.max_attempts = 0}).error().kind,
            ErrorKind::kInvalidInput);
}

TEST_P(JobsTest, WorkerClaimsOnlyKindsItHandles) {
  auto mine = JobQueue::enqueue(db(), "test.mine", "{}");
  auto other = JobQueue::enqueue(db(), "test.other", "{}");
  Worker worker(db(), manual_options());
  worker.handle("test.mine", [](const Job&) -> Status { return {}; });
  ASSERT_TRUE(*worker.run_once());
  EXPECT_FALSE(*worker.run_once());
  EXPECT_EQ(state(*mine).status, JobStatus::kDone);
  EXPECT_EQ(state(*other).status, JobStatus::kQueued);
}

TEST_P(JobsTest, PurgeFinishedKeepsWaitingJobs) {
  auto done = JobQueue::enqueue(db(), "test.echo", "{}");
  auto waiting = JobQueue::enqueue(db(), "test.echo", "{}", {.run_at = now_ + 1000});
  Worker worker(db(), manual_options());
  worker.handle("test.echo", [](const Job&) -> Status { return {}; });
  ASSERT_TRUE(*worker.run_once());
  auto purged = JobQueue::purge_finished(db(), now_ + 1);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 1u);
  EXPECT_FALSE(JobQueue::find(db(), *done)->has_value());
  EXPECT_TRUE(JobQueue::find(db(), *waiting)->has_value());
}

TEST_P(JobsTest, TwoWorkersOnOneDatabaseRunEveryJobExactlyOnce) {
  constexpr int kJobs = 200;
  std::vector<long long> ids;
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
                    for (int i = 0; i < kJobs; ++i) {
                      auto id = JobQueue::enqueue(sql, "test.count", "{}");
                      if (!id) return fail(id.error());
                      ids.push_back(*id);
                    }
                    return {};
                  })
                  .ok());

  std::mutex mu;
  std::map<long long, int> runs;
  std::map<std::string, int> by_node;
  auto handler = [&](const std::string& node) {
    return [&, node](const Job& job) -> Status {
      std::lock_guard lock(mu);
      ++runs[job.id];
      ++by_node[node];
      return {};
    };
  };
  auto second_node = open_another(4);
  WorkerOptions a{.threads = 3, .poll_interval = 20ms, .node_id = "node-a"};
  WorkerOptions b{.threads = 3, .poll_interval = 20ms, .node_id = "node-b"};
  Worker worker_a(db(), a);
  Worker worker_b(*second_node, b);
  worker_a.handle("test.count", handler("a"));
  worker_b.handle("test.count", handler("b"));
  worker_a.start();
  worker_b.start();
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (*JobQueue::count(db(), JobStatus::kDone) < kJobs &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  worker_a.stop();
  worker_b.stop();

  EXPECT_EQ(*JobQueue::count(db(), JobStatus::kDone), kJobs);
  std::lock_guard lock(mu);
  ASSERT_EQ(runs.size(), static_cast<std::size_t>(kJobs));
  for (long long id : ids) EXPECT_EQ(runs[id], 1) << "job " << id;
  EXPECT_EQ(by_node["a"] + by_node["b"], kJobs);
}

TEST_P(JobsTest, EnqueueWakesAnIdleWorkerWithoutWaitingForThePoll) {
  std::mutex mu;
  std::condition_variable cv;
  bool ran = false;
  Worker worker(db(), {.threads = 1, .poll_interval = 30s, .node_id = "sleepy"});
  worker.handle("test.wake", [&](const Job&) -> Status {
    std::lock_guard lock(mu);
    ran = true;
    cv.notify_all();
    return {};
  });
  worker.start();
  std::this_thread::sleep_for(100ms);  // let it go idle
  const auto enqueued = std::chrono::steady_clock::now();
  ASSERT_TRUE(JobQueue::enqueue(db(), "test.wake", "{}").ok());
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return ran; }));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - enqueued, 5s);
  worker.stop();  // returns promptly although the poll interval is 30 s
}

TEST_P(JobsTest, StopLetsTheRunningJobFinish) {
  auto id = JobQueue::enqueue(db(), "test.slow", "{}");
  std::promise<void> started;
  Worker worker(db(), {.threads = 1, .poll_interval = 20ms, .node_id = "stopper"});
  worker.handle("test.slow", [&](const Job&) -> Status {
    started.set_value();
    std::this_thread::sleep_for(300ms);
    return {};
  });
  worker.start();
  started.get_future().wait();
  worker.stop();
  EXPECT_EQ(state(*id).status, JobStatus::kDone);
}

ZOCALO_INSTANTIATE_DB_TEST(JobsTest);

}  // namespace
}  // namespace zocalo::jobs
