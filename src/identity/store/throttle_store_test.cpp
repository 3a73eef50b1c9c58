#include "identity/store/throttle_store.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"

namespace zocalo::identity {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;

class ThrottleStoreTest : public testing::DbTest {};

TEST_P(ThrottleStoreTest, WaitsGrowExponentiallyAfterTheFreeFailures) {
  ThrottleStore store(db());
  const std::string bucket = identifier_bucket("ana@example.mx");
  for (int i = 1; i <= 4; ++i) {
    auto n = store.record_failure(kThrottleAccount, bucket, kAccountThrottle, kNow);
    ASSERT_TRUE(n) << n.error().detail;
    EXPECT_EQ(*n, i);
  }
  EXPECT_EQ(*store.wait_seconds(kThrottleAccount, bucket, kAccountThrottle, kNow), 0);
  ASSERT_EQ(*store.record_failure(kThrottleAccount, bucket, kAccountThrottle, kNow), 5);
  EXPECT_EQ(*store.wait_seconds(kThrottleAccount, bucket, kAccountThrottle, kNow), 1);
  ASSERT_EQ(*store.record_failure(kThrottleAccount, bucket, kAccountThrottle, kNow + 1), 6);
  EXPECT_EQ(*store.wait_seconds(kThrottleAccount, bucket, kAccountThrottle, kNow + 1), 2);
  EXPECT_EQ(*store.wait_seconds(kThrottleAccount, bucket, kAccountThrottle, kNow + 3), 0);
  // Another scope or bucket is untouched.
  EXPECT_EQ(*store.wait_seconds(kThrottleIp, bucket, kIpThrottle, kNow + 1), 0);
  EXPECT_EQ(*store.wait_seconds(kThrottleAccount, identifier_bucket("b@example.mx"),
                                kAccountThrottle, kNow + 1),
            0);
}

TEST_P(ThrottleStoreTest, WaitIsCappedAndForgottenAfterIdling) {
  ThrottleStore store(db());
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(store.record_failure(kThrottleIp, "192.0.2.1", kIpThrottle, kNow));
  }
  EXPECT_EQ(*store.wait_seconds(kThrottleIp, "192.0.2.1", kIpThrottle, kNow), 900);
  // Idle past forget_after: counting starts again.
  const std::int64_t later = kNow + kIpThrottle.forget_after + 1;
  EXPECT_EQ(*store.wait_seconds(kThrottleIp, "192.0.2.1", kIpThrottle, later), 0);
  EXPECT_EQ(*store.record_failure(kThrottleIp, "192.0.2.1", kIpThrottle, later), 1);
}

TEST_P(ThrottleStoreTest, ClearForgetsOneBucketAndEveryNodeSeesTheCount) {
  ThrottleStore store(db());
  auto other_node = open_another();
  ThrottleStore elsewhere(*other_node);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(store.record_failure("ip", "a", kAccountThrottle, kNow));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(elsewhere.record_failure("ip", "a", kAccountThrottle, kNow));
  }
  EXPECT_EQ(*store.wait_seconds("ip", "a", kAccountThrottle, kNow), 2);  // 6 failures in all
  ASSERT_TRUE(store.record_failure("ip", "b", kAccountThrottle, kNow));
  ASSERT_TRUE(
      db().transaction([&](soci::session& sql) { return ThrottleStore::clear(sql, "ip", "a"); }));
  EXPECT_EQ(*store.wait_seconds("ip", "a", kAccountThrottle, kNow), 0);
  EXPECT_EQ(*store.record_failure("ip", "a", kAccountThrottle, kNow), 1);
  EXPECT_EQ(*store.record_failure("ip", "b", kAccountThrottle, kNow), 2);
}

TEST_P(ThrottleStoreTest, RejectsBadKeysAndPurgesOldRows) {
  ThrottleStore store(db());
  EXPECT_FALSE(store.record_failure("", "a", kAccountThrottle, kNow));
  EXPECT_FALSE(store.record_failure("ip", std::string(129, 'a'), kAccountThrottle, kNow));
  EXPECT_FALSE(store.wait_seconds("ip", "", kAccountThrottle, kNow));
  ASSERT_TRUE(store.record_failure("ip", "old", kAccountThrottle, kNow - 100'000));
  ASSERT_TRUE(store.record_failure("ip", "new", kAccountThrottle, kNow));
  auto purged = store.purge(kNow, 86'400);
  ASSERT_TRUE(purged) << purged.error().detail;
  EXPECT_EQ(*purged, 1);
  EXPECT_EQ(*store.record_failure("ip", "new", kAccountThrottle, kNow), 2);
}

ZOCALO_INSTANTIATE_DB_TEST(ThrottleStoreTest);

}  // namespace
}  // namespace zocalo::identity
