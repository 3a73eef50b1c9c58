#include "identity/jose/verified_token_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace zocalo::identity::jose {
namespace {

boost::json::object claims(std::string_view sub) {
  return {{"sub", sub}, {"exp", 2000}};
}

TEST(VerifiedTokenCacheTest, RemembersAVerifiedTokenUntilItExpires) {
  VerifiedTokenCache cache(10);
  EXPECT_FALSE(cache.find("a.b.c", 1000));
  cache.remember("a.b.c", claims("ana"), 2000, 1000);
  const auto hit = cache.find("a.b.c", 1999);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->at("sub").as_string(), "ana");
  EXPECT_FALSE(cache.find("a.b.c", 2000)) << "exp is exclusive, as verify_jwt with no leeway";
}

TEST(VerifiedTokenCacheTest, OnlyTheVeryTokenHits) {
  VerifiedTokenCache cache(10);
  cache.remember("header.claims.signature", claims("ana"), 2000, 1000);
  EXPECT_FALSE(cache.find("header.claims.signaturX", 1000)) << "another signature";
  EXPECT_FALSE(cache.find("header.claims.", 1000));
  EXPECT_FALSE(cache.find("header.claims.signature ", 1000));
  EXPECT_TRUE(cache.find("header.claims.signature", 1000));
}

TEST(VerifiedTokenCacheTest, ExpiredTokensAreNotRemembered) {
  VerifiedTokenCache cache(10);
  cache.remember("t", claims("ana"), 1000, 1000);
  EXPECT_EQ(cache.size(), 0u);
  VerifiedTokenCache off(0);
  off.remember("t", claims("ana"), 2000, 1000);
  EXPECT_EQ(off.size(), 0u);
  EXPECT_FALSE(off.find("t", 1000));
}

TEST(VerifiedTokenCacheTest, StaysBoundedUnderAFloodOfDistinctTokens) {
  VerifiedTokenCache cache(100);
  for (int i = 0; i < 10'000; ++i) {
    cache.remember("token-" + std::to_string(i), claims("x"), 2000, 1000);
    ASSERT_LE(cache.size(), 100u);
  }
  EXPECT_TRUE(cache.find("token-9999", 1000)) << "the newest is kept";
}

TEST(VerifiedTokenCacheTest, AFullCacheDropsExpiredEntriesFirst) {
  VerifiedTokenCache cache(4);
  cache.remember("old-1", claims("a"), 1100, 1000);
  cache.remember("old-2", claims("b"), 1100, 1000);
  cache.remember("live-1", claims("c"), 5000, 1000);
  cache.remember("live-2", claims("d"), 5000, 1000);
  cache.remember("new", claims("e"), 5000, 1200);  // old-1 and old-2 expired by now
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.find("live-1", 1200));
  EXPECT_TRUE(cache.find("live-2", 1200));
  EXPECT_TRUE(cache.find("new", 1200));
}

}  // namespace
}  // namespace zocalo::identity::jose
