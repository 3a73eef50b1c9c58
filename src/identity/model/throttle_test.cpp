#include "identity/model/throttle.hpp"

#include <gtest/gtest.h>

namespace zocalo::identity {
namespace {

TEST(ThrottleTest, FreeFailuresThenDoublingUpToTheCap) {
  EXPECT_EQ(backoff_seconds(kAccountThrottle, 0), 0);
  EXPECT_EQ(backoff_seconds(kAccountThrottle, 4), 0);
  EXPECT_EQ(backoff_seconds(kAccountThrottle, 5), 1);
  EXPECT_EQ(backoff_seconds(kAccountThrottle, 6), 2);
  EXPECT_EQ(backoff_seconds(kAccountThrottle, 10), 32);
  EXPECT_EQ(backoff_seconds(kAccountThrottle, 14), 512);
  EXPECT_EQ(backoff_seconds(kAccountThrottle, 15), 900);  // 1024 capped at 15 minutes
  EXPECT_EQ(backoff_seconds(kAccountThrottle, 100), 900);
  EXPECT_EQ(backoff_seconds(kAccountThrottle, 1'000'000), 900);
}

TEST(ThrottleTest, IpRuleAllowsMoreBeforeWaiting) {
  EXPECT_EQ(backoff_seconds(kIpThrottle, 19), 0);
  EXPECT_EQ(backoff_seconds(kIpThrottle, 20), 1);
}

TEST(ThrottleTest, IdentifierBucketIsAHashNotTheIdentifier) {
  const std::string bucket = identifier_bucket("ana@example.mx");
  EXPECT_EQ(bucket.size(), 64u);
  EXPECT_EQ(bucket.find("ana"), std::string::npos);
  EXPECT_EQ(bucket, identifier_bucket("ana@example.mx"));
  EXPECT_NE(bucket, identifier_bucket("ana@example.com"));
}

}  // namespace
}  // namespace zocalo::identity
