#include "app/maintenance.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "platform/core/time.hpp"
#include "platform/jobs/job_queue.hpp"
#include "platform/jobs/worker.hpp"

namespace zocalo::app {
namespace {

class MaintenanceTest : public testing::DbTest {};

constexpr std::int64_t kDay = 24 * 3600;

TEST_P(MaintenanceTest, PurgesExpiredSessionsAndOldFinishedJobsButKeepsTheRest) {
  const std::int64_t now = time::now_unix();
  // A session last used 40 days ago is long expired; one used now is live.
  web::DbSessionStore old_sessions(db(), {.clock = [&] { return now - 40 * kDay; }});
  old_sessions.save("old-session-id-old-session-id-old-session-id", {{"k", "v"}});
  web::DbSessionStore sessions(db());
  sessions.save("new-session-id-new-session-id-new-session-id", {{"k", "v"}});

  // A job finished 40 days ago, one finished now, one still queued.
  auto old_job = jobs::JobQueue::enqueue(db(), "test.kind", "{}", {.run_at = now - 40 * kDay});
  ASSERT_TRUE(old_job);
  {
    jobs::Worker worker(
        db(), {.threads = 1, .node_id = "test", .clock = [&] { return now - 40 * kDay; }});
    worker.handle("test.kind", [](const jobs::Job&) { return Status{}; });
    ASSERT_TRUE(*worker.run_once());
  }
  auto recent_job = jobs::JobQueue::enqueue(db(), "test.kind", "{}");
  ASSERT_TRUE(recent_job);
  {
    jobs::Worker worker(db(), {.threads = 1, .node_id = "test"});
    worker.handle("test.kind", [](const jobs::Job&) { return Status{}; });
    ASSERT_TRUE(*worker.run_once());
  }
  auto queued_job = jobs::JobQueue::enqueue(db(), "other.kind", "{}");
  ASSERT_TRUE(queued_job);

  Maintenance(db(), sessions).run_once();

  EXPECT_FALSE(sessions.load("old-session-id-old-session-id-old-session-id").has_value());
  EXPECT_TRUE(sessions.load("new-session-id-new-session-id-new-session-id").has_value());
  EXPECT_FALSE(jobs::JobQueue::find(db(), *old_job)->has_value());
  EXPECT_TRUE(jobs::JobQueue::find(db(), *recent_job)->has_value());
  EXPECT_TRUE(jobs::JobQueue::find(db(), *queued_job)->has_value());
}

TEST_P(MaintenanceTest, StopsPromptlyWhenStartedWithALongInterval) {
  web::DbSessionStore sessions(db());
  Maintenance m(db(), sessions, {.interval = std::chrono::hours(1)});
  m.start();
  m.stop();  // must not wait an hour: returning at all is the assertion
  SUCCEED();
}

ZOCALO_INSTANTIATE_DB_TEST(MaintenanceTest);

}  // namespace
}  // namespace zocalo::app
