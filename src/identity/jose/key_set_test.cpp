#include "identity/jose/key_set.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <set>
#include <stdexcept>
#include <string>

namespace zocalo::identity::jose {
namespace {

constexpr std::int64_t kDay = 86'400;
constexpr std::int64_t kT0 = 1'700'000'000;
// The longest token lifetime (one hour) plus the verifiers' 60 s leeway.
constexpr std::int64_t kMaxLifetime = 3'600 + 60;

std::set<std::string> published_kids(const KeySet& set, std::int64_t now) {
  std::set<std::string> kids;
  const auto jwks = set.jwks(now);  // the range below must not outlive it
  for (const auto& jwk : jwks.at("keys").as_array()) {
    kids.insert(std::string(jwk.at("kid").as_string()));
  }
  return kids;
}

std::string kid_of(const KeySet& set, Algorithm alg, std::int64_t now) {
  auto key = set.current_signing_key(alg, now);
  return key ? key->kid() : "";
}

VerifyOptions at(std::int64_t now) {
  VerifyOptions o;
  o.now = now;
  return o;
}

TEST(KeySetTest, EmptySetSignsNothingAndPublishesNothing) {
  const KeySet empty;
  EXPECT_FALSE(empty.current_signing_key(Algorithm::kRs256, kT0));
  EXPECT_EQ(boost::json::serialize(empty.jwks(kT0)), R"({"keys":[]})");
}

TEST(KeySetTest, FirstRotationGivesOneSigningKeyPerAlgorithm) {
  const auto set = KeySet().rotate(kT0, kMaxLifetime);
  ASSERT_EQ(set.records().size(), 2u);
  const auto rs = set.current_signing_key(Algorithm::kRs256, kT0);
  const auto es = set.current_signing_key(Algorithm::kEs256, kT0);
  ASSERT_TRUE(rs && es);
  EXPECT_EQ(rs->algorithm(), Algorithm::kRs256);
  EXPECT_EQ(es->algorithm(), Algorithm::kEs256);
  EXPECT_EQ(published_kids(set, kT0), (std::set<std::string>{rs->kid(), es->kid()}));
  // Nothing before its creation.
  EXPECT_FALSE(set.current_signing_key(Algorithm::kRs256, kT0 - 1));
  EXPECT_TRUE(published_kids(set, kT0 - 1).empty());
}

TEST(KeySetTest, JwksHoldsOnlyPublicMembers) {
  const auto set = KeySet().rotate(kT0, kMaxLifetime);
  const auto jwks = set.jwks(kT0);
  for (const auto& jwk : jwks.at("keys").as_array()) {
    for (const char* secret : {"d", "p", "q", "dp", "dq", "qi"}) {
      EXPECT_FALSE(jwk.as_object().contains(secret));
    }
    EXPECT_EQ(jwk.at("use"), "sig");
  }
}

TEST(KeySetTest, RotationTimeline) {
  // Day 0: keys A (RS256) and B (ES256).
  const auto day0 = KeySet().rotate(kT0, kMaxLifetime);
  const auto a = kid_of(day0, Algorithm::kRs256, kT0);
  const auto b = kid_of(day0, Algorithm::kEs256, kT0);
  // A token A signs a second before the rotation, valid for the longest lifetime.
  const std::int64_t t1 = kT0 + 30 * kDay;
  boost::json::object claims = {{"sub", "resident-42"}, {"exp", t1 - 1 + 3'600}};
  const auto old_token = sign_jwt(*day0.current_signing_key(Algorithm::kRs256, t1 - 1), claims);

  // Day 30: rotation brings C and D; A and B stop signing but stay published.
  const auto day30 = day0.rotate(t1, kMaxLifetime);
  const auto c = kid_of(day30, Algorithm::kRs256, t1);
  const auto d = kid_of(day30, Algorithm::kEs256, t1);
  EXPECT_NE(c, a);
  EXPECT_NE(d, b);
  EXPECT_EQ(published_kids(day30, t1), (std::set<std::string>{a, b, c, d}));
  // The JWKS lists the current keys first.
  const auto jwks = day30.jwks(t1);
  const auto& listed = jwks.at("keys").as_array();
  EXPECT_THAT((std::vector<std::string>{std::string(listed[0].at("kid").as_string()),
                                        std::string(listed[1].at("kid").as_string())}),
              ::testing::UnorderedElementsAre(c, d));

  // A's last token still verifies until it expires (leeway included)...
  const std::int64_t last_valid = t1 - 1 + 3'600 + 59;
  auto verified = verify_jwt(old_token, day30.lookup_at(last_valid), at(last_valid));
  EXPECT_TRUE(verified) << verified.error().detail;
  // ...and A leaves the JWKS exactly when no token of it can still be valid.
  const std::int64_t gone = t1 + kMaxLifetime;
  EXPECT_EQ(published_kids(day30, gone - 1), (std::set<std::string>{a, b, c, d}));
  EXPECT_EQ(published_kids(day30, gone), (std::set<std::string>{c, d}));
  auto after = verify_jwt(old_token, day30.lookup_at(gone), at(gone - 3'000));
  ASSERT_FALSE(after);
  EXPECT_THAT(after.error().detail, ::testing::HasSubstr("unknown kid"));

  // Day 60: the next rotation forgets A and B entirely and retires C and D.
  const auto day60 = day30.rotate(kT0 + 60 * kDay, kMaxLifetime);
  EXPECT_EQ(day60.records().size(), 4u);
  for (const auto& r : day60.records()) {
    EXPECT_NE(r.key.kid(), a);
    EXPECT_NE(r.key.kid(), b);
  }
  EXPECT_EQ(published_kids(day60, kT0 + 60 * kDay).size(), 4u);
  EXPECT_NE(kid_of(day60, Algorithm::kRs256, kT0 + 60 * kDay), c);
}

TEST(KeySetTest, RetiredKeyNeverSignsAgain) {
  const auto day0 = KeySet().rotate(kT0, kMaxLifetime);
  const auto a = kid_of(day0, Algorithm::kRs256, kT0);
  const auto later = day0.rotate(kT0 + kDay, kMaxLifetime);
  for (std::int64_t t : {kT0 + kDay, kT0 + kDay + 1, kT0 + kDay + kMaxLifetime - 1}) {
    EXPECT_NE(kid_of(later, Algorithm::kRs256, t), a);
    EXPECT_TRUE(later.verification_key(a, t));
  }
  // Asked about the past, the model still answers with the key that signed then.
  EXPECT_EQ(kid_of(later, Algorithm::kRs256, kT0 + kDay - 1), a);
}

TEST(KeySetTest, PublishAheadListsTheNewKeyBeforeItSigns) {
  const auto day0 = KeySet().rotate(kT0, kMaxLifetime);
  const auto a = kid_of(day0, Algorithm::kRs256, kT0);
  const std::int64_t t1 = kT0 + kDay;
  const std::int64_t ahead = 2 * 3'600;  // longer than relying parties cache the JWKS
  const auto next = day0.rotate(t1, kMaxLifetime, ahead);
  const auto c = kid_of(next, Algorithm::kRs256, t1 + ahead);
  ASSERT_NE(c, a);
  // Published at once, signing only later; the old key signs until the switch.
  EXPECT_TRUE(published_kids(next, t1).contains(c));
  EXPECT_EQ(kid_of(next, Algorithm::kRs256, t1), a);
  EXPECT_EQ(kid_of(next, Algorithm::kRs256, t1 + ahead - 1), a);
  EXPECT_EQ(kid_of(next, Algorithm::kRs256, t1 + ahead), c);
  // The old key's last tokens are covered from the switch, not from the rotation call.
  EXPECT_TRUE(published_kids(next, t1 + ahead + kMaxLifetime - 1).contains(a));
  EXPECT_FALSE(published_kids(next, t1 + ahead + kMaxLifetime).contains(a));
}

TEST(KeySetTest, HalfRetiredRecordFromStorageGetsAnExpiry) {
  KeyRecord stale{SigningKey::generate(Algorithm::kEs256), kT0, kT0, kT0 + 10, std::nullopt};
  const auto kid = stale.key.kid();
  const auto next = KeySet({stale}).rotate(kT0 + 20, kMaxLifetime);
  EXPECT_TRUE(next.verification_key(kid, kT0 + 10 + kMaxLifetime - 1));
  EXPECT_FALSE(next.verification_key(kid, kT0 + 10 + kMaxLifetime));
}

TEST(KeySetTest, NegativeDurationsAreRefused) {
  EXPECT_THROW((void)KeySet().rotate(kT0, -1), std::invalid_argument);
  EXPECT_THROW((void)KeySet().rotate(kT0, kMaxLifetime, -1), std::invalid_argument);
}

}  // namespace
}  // namespace zocalo::identity::jose
