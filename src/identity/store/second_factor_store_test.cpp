#include "identity/store/second_factor_store.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "identity/store/account_store.hpp"

namespace zocalo::identity {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;

class SecondFactorStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    NewAccount a;
    a.email = "ana@example.mx";
    a.given_name = "Ana";
    auto created = AccountStore(db()).create(a, kNow);
    ASSERT_TRUE(created) << created.error().detail;
    id_ = created->id;
  }
  SecondFactors load() {
    SecondFactors out;
    const Status st = db().transaction([&](soci::session& sql) -> Status {
      auto f = SecondFactorStore::load(sql, id_);
      if (!f) return fail(f.error());
      out = *f;
      return {};
    });
    EXPECT_TRUE(st) << st.error().detail;
    return out;
  }
  Status tx(const std::function<Status(soci::session&)>& fn) { return db().transaction(fn); }
  bool tx_bool(const std::function<Result<bool>(soci::session&)>& fn) {
    bool out = false;
    const Status st = db().transaction([&](soci::session& sql) -> Status {
      auto r = fn(sql);
      if (!r) return fail(r.error());
      out = *r;
      return {};
    });
    EXPECT_TRUE(st) << st.error().detail;
    return out;
  }
  long long id_ = 0;
};

TEST_P(SecondFactorStoreTest, NoRowMeansNoFactors) {
  const SecondFactors f = load();
  EXPECT_FALSE(f.has_totp());
  EXPECT_FALSE(f.required());
  EXPECT_EQ(f.recovery_codes_left(), 0);
}

TEST_P(SecondFactorStoreTest, EnrolmentNeedsThePendingSecretAndSetsTheStep) {
  ASSERT_TRUE(
      tx([&](auto& sql) { return SecondFactorStore::set_pending_totp(sql, id_, "v1.A", kNow); }));
  EXPECT_FALSE(load().has_totp());
  EXPECT_EQ(load().pending_totp_secret, std::optional<std::string>("v1.A"));
  // A newer pending secret replaces the one an old tab shows.
  ASSERT_TRUE(
      tx([&](auto& sql) { return SecondFactorStore::set_pending_totp(sql, id_, "v1.B", kNow); }));
  const Status stale = tx([&](auto& sql) {
    return SecondFactorStore::confirm_totp(sql, id_, "v1.A", 100, {"h1"}, kNow);
  });
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().user_key, "identity.totp.no_pending");
  ASSERT_TRUE(tx([&](auto& sql) {
    return SecondFactorStore::confirm_totp(sql, id_, "v1.B", 100, {"h1", "h2"}, kNow);
  }));
  const SecondFactors f = load();
  EXPECT_TRUE(f.has_totp());
  EXPECT_TRUE(f.required());
  EXPECT_EQ(f.totp_secret, std::optional<std::string>("v1.B"));
  EXPECT_EQ(f.totp_last_step, std::optional<std::int64_t>(100));
  EXPECT_FALSE(f.pending_totp_secret);
  EXPECT_EQ(f.recovery_codes_left(), 2);
}

TEST_P(SecondFactorStoreTest, StepsAreClaimedOnceAndOnlyForward) {
  // No TOTP: nothing to claim.
  EXPECT_FALSE(
      tx_bool([&](auto& sql) { return SecondFactorStore::claim_totp_step(sql, id_, 5, kNow); }));
  ASSERT_TRUE(
      tx([&](auto& sql) { return SecondFactorStore::set_pending_totp(sql, id_, "v1.A", kNow); }));
  ASSERT_TRUE(tx(
      [&](auto& sql) { return SecondFactorStore::confirm_totp(sql, id_, "v1.A", 100, {}, kNow); }));
  EXPECT_FALSE(
      tx_bool([&](auto& sql) { return SecondFactorStore::claim_totp_step(sql, id_, 100, kNow); }));
  EXPECT_FALSE(
      tx_bool([&](auto& sql) { return SecondFactorStore::claim_totp_step(sql, id_, 99, kNow); }));
  EXPECT_TRUE(
      tx_bool([&](auto& sql) { return SecondFactorStore::claim_totp_step(sql, id_, 101, kNow); }));
  EXPECT_FALSE(
      tx_bool([&](auto& sql) { return SecondFactorStore::claim_totp_step(sql, id_, 101, kNow); }));
  ASSERT_TRUE(tx([&](auto& sql) { return SecondFactorStore::remove_totp(sql, id_, kNow); }));
  EXPECT_FALSE(load().has_totp());
  EXPECT_FALSE(load().totp_last_step);
}

TEST_P(SecondFactorStoreTest, RecoveryCodesAreUsedOnce) {
  ASSERT_TRUE(tx([&](auto& sql) {
    return SecondFactorStore::set_recovery_codes(sql, id_, {"a", "b", "c"}, kNow);
  }));
  EXPECT_EQ(load().recovery_codes_left(), 3);
  EXPECT_TRUE(
      tx_bool([&](auto& sql) { return SecondFactorStore::use_recovery_code(sql, id_, 1, kNow); }));
  EXPECT_FALSE(
      tx_bool([&](auto& sql) { return SecondFactorStore::use_recovery_code(sql, id_, 1, kNow); }));
  EXPECT_FALSE(
      tx_bool([&](auto& sql) { return SecondFactorStore::use_recovery_code(sql, id_, 7, kNow); }));
  const SecondFactors f = load();
  EXPECT_EQ(f.recovery_codes_left(), 2);
  EXPECT_EQ(f.recovery_codes[1], "");
  EXPECT_EQ(f.recovery_codes[2], "c");
}

TEST_P(SecondFactorStoreTest, SmsSwitch) {
  ASSERT_TRUE(
      tx([&](auto& sql) { return SecondFactorStore::set_sms_enabled(sql, id_, true, kNow); }));
  EXPECT_TRUE(load().sms_enabled);
  EXPECT_TRUE(load().required());
  ASSERT_TRUE(
      tx([&](auto& sql) { return SecondFactorStore::set_sms_enabled(sql, id_, false, kNow); }));
  EXPECT_FALSE(load().required());
}

ZOCALO_INSTANTIATE_DB_TEST(SecondFactorStoreTest);

}  // namespace
}  // namespace zocalo::identity
