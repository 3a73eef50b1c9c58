#include "identity/store/login_session_store.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "identity/model/account.hpp"
#include "identity/store/account_store.hpp"

namespace zocalo::identity {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;

class LoginSessionStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    account_ = make_account("ana@example.mx");
  }

  long long make_account(const std::string& email) {
    NewAccount a;
    a.email = email;
    a.given_name = "Ana";
    auto created = AccountStore(db()).create(a, kNow);
    EXPECT_TRUE(created) << created.error().detail;
    return created ? created->id : 0;
  }

  LoginSession login(long long account, std::int64_t at = kNow, std::string amr = "pwd") {
    LoginSession out;
    NewLoginSession n;
    n.account_id = account;
    n.amr = std::move(amr);
    n.user_agent = "Mozilla/5.0 (Linux; Android 10) Chrome/120";
    n.ip = "203.0.113.7";
    n.idle_timeout = 3600;
    n.lifetime = 86400;
    const Status st = db().transaction([&](soci::session& sql) -> Status {
      auto created = LoginSessionStore::create(sql, n, at);
      if (!created) return fail(created.error());
      out = *created;
      return {};
    });
    EXPECT_TRUE(st) << st.error().detail;
    return out;
  }

  long long account_ = 0;
};

TEST_P(LoginSessionStoreTest, CreatedLoginIsFoundAliveWithEverything) {
  const LoginSession made = login(account_);
  EXPECT_EQ(made.id.size(), 43u);
  auto found = LoginSessionStore(db()).find_alive(made.id, kNow + 10);
  ASSERT_TRUE(found);
  ASSERT_TRUE(*found);
  EXPECT_EQ((*found)->account_id, account_);
  EXPECT_EQ((*found)->auth_time, kNow);
  EXPECT_EQ((*found)->amr, "pwd");
  EXPECT_EQ((*found)->user_agent, "Mozilla/5.0 (Linux; Android 10) Chrome/120");
  EXPECT_EQ((*found)->ip, "203.0.113.7");
  EXPECT_EQ((*found)->expires_at, kNow + 86400);
  EXPECT_FALSE((*found)->revoked_at);
}

TEST_P(LoginSessionStoreTest, IdleAndExpiredAndUnknownLoginsAreNotAlive) {
  LoginSessionStore store(db());
  const LoginSession made = login(account_);
  EXPECT_FALSE(*store.find_alive(made.id, kNow + 3600));  // idle for the whole timeout
  EXPECT_FALSE(*store.find_alive("nope", kNow));
  EXPECT_FALSE(*store.find_alive(std::string(43, 'A'), kNow));
  // Activity keeps it alive, but never past its absolute end.
  ASSERT_TRUE(store.touch(made, kNow + 3000));
  EXPECT_TRUE(*store.find_alive(made.id, kNow + 3600));
  LoginSession seen = **store.find_alive(made.id, kNow + 3600);
  for (std::int64_t t = kNow + 6000; t < kNow + 86400; t += 3000) {
    ASSERT_TRUE(store.touch(seen, t));
    seen.last_seen_at = t;
  }
  EXPECT_FALSE(*store.find_alive(made.id, kNow + 86400));
}

TEST_P(LoginSessionStoreTest, TouchWritesAtMostOncePerMinute) {
  LoginSessionStore store(db());
  const LoginSession made = login(account_);
  ASSERT_TRUE(store.touch(made, kNow + 30));
  EXPECT_EQ((*store.find_alive(made.id, kNow + 31))->last_seen_at, kNow);
  ASSERT_TRUE(store.touch(made, kNow + 61));
  EXPECT_EQ((*store.find_alive(made.id, kNow + 62))->last_seen_at, kNow + 61);
}

TEST_P(LoginSessionStoreTest, ListsOnlyTheAccountsAliveLoginsNewestFirst) {
  LoginSessionStore store(db());
  const LoginSession first = login(account_, kNow);
  const LoginSession second = login(account_, kNow + 100);
  const long long other = make_account("bea@example.mx");
  login(other, kNow + 50);
  auto listed = store.list_alive(account_, kNow + 200);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, second.id);
  EXPECT_EQ((*listed)[1].id, first.id);
}

TEST_P(LoginSessionStoreTest, RevokeEndsOneLoginOfItsOwnerOnly) {
  LoginSessionStore store(db());
  const LoginSession made = login(account_);
  const long long other = make_account("bea@example.mx");
  Status st = db().transaction(
      [&](soci::session& sql) { return LoginSessionStore::revoke(sql, other, made.id, kNow); });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(*store.find_alive(made.id, kNow + 1));
  st = db().transaction([&](soci::session& sql) {
    return LoginSessionStore::revoke(sql, account_, made.id, kNow + 1);
  });
  ASSERT_TRUE(st) << st.error().detail;
  EXPECT_FALSE(*store.find_alive(made.id, kNow + 2));
}

TEST_P(LoginSessionStoreTest, RevokeAllKeepsTheCurrentLoginWhenAsked) {
  LoginSessionStore store(db());
  const LoginSession here = login(account_);
  const LoginSession phone = login(account_);
  const LoginSession laptop = login(account_);
  const long long other = make_account("bea@example.mx");
  const LoginSession theirs = login(other);
  int revoked = 0;
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    auto n = LoginSessionStore::revoke_all(sql, account_, here.id, kNow + 5);
    if (!n) return fail(n.error());
    revoked = *n;
    return {};
  }));
  EXPECT_EQ(revoked, 2);
  EXPECT_TRUE(*store.find_alive(here.id, kNow + 6));
  EXPECT_FALSE(*store.find_alive(phone.id, kNow + 6));
  EXPECT_FALSE(*store.find_alive(laptop.id, kNow + 6));
  EXPECT_TRUE(*store.find_alive(theirs.id, kNow + 6));
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    auto n = LoginSessionStore::revoke_all(sql, account_, std::nullopt, kNow + 7);
    if (!n) return fail(n.error());
    revoked = *n;
    return {};
  }));
  EXPECT_EQ(revoked, 1);
  EXPECT_FALSE(*store.find_alive(here.id, kNow + 8));
}

TEST_P(LoginSessionStoreTest, ReauthenticationMovesAuthTimeAndAmr) {
  LoginSessionStore store(db());
  const LoginSession made = login(account_);
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return LoginSessionStore::reauthenticated(sql, made.id, "pwd otp", kNow + 500);
  }));
  auto found = *store.find_alive(made.id, kNow + 501);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->auth_time, kNow + 500);
  EXPECT_EQ(found->amr, "pwd otp");
}

TEST_P(LoginSessionStoreTest, BadInputIsRefusedAndLongUserAgentsAreCut) {
  NewLoginSession n;
  n.account_id = account_;
  n.amr = "";
  Status st = db().transaction([&](soci::session& sql) -> Status {
    auto created = LoginSessionStore::create(sql, n, kNow);
    return created ? Status{} : fail(created.error());
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().user_key, "identity.login.invalid");
  n.amr = "pwd";
  n.idle_timeout = 0;
  st = db().transaction([&](soci::session& sql) -> Status {
    auto created = LoginSessionStore::create(sql, n, kNow);
    return created ? Status{} : fail(created.error());
  });
  ASSERT_FALSE(st);
  n.idle_timeout = 60;
  n.user_agent = std::string(150, 'x') + std::string(100, '\xff');
  LoginSession made;
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    auto created = LoginSessionStore::create(sql, n, kNow);
    if (!created) return fail(created.error());
    made = *created;
    return {};
  }));
  EXPECT_LE(made.user_agent.size(), kMaxUserAgentBytes);
  EXPECT_EQ((*LoginSessionStore(db()).find_alive(made.id, kNow))->user_agent, made.user_agent);
}

TEST_P(LoginSessionStoreTest, PurgeDeletesOnlyLongDeadRows) {
  LoginSessionStore store(db());
  const LoginSession old = login(account_, kNow);
  const LoginSession fresh = login(account_, kNow + 86400 * 3);
  auto purged = store.purge_dead(kNow + 86400 * 3, 86400);
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 1);
  EXPECT_TRUE(*store.find_alive(fresh.id, kNow + 86400 * 3));
  (void)old;
}

ZOCALO_INSTANTIATE_DB_TEST(LoginSessionStoreTest);

}  // namespace
}  // namespace zocalo::identity
