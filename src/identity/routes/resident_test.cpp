#include "identity/resident.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/staff_role_store.hpp"
#include "platform/web/session_store.hpp"

namespace zocalo::identity {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;

TEST(ResidentTest, LocalPathsOnly) {
  for (const char* ok :
       {"/", "/mi-llave", "/oidc/authorize?client_id=a&state=x%20y", "/buscar?q=agua#top"}) {
    EXPECT_TRUE(is_local_path(ok)) << ok;
  }
  for (const char* bad :
       {"", "mi-llave", "//evil.example", "/\\evil.example", "https://evil.example/", "http:/evil",
        "/a b", "/a\r\nLocation: x", "/ok\\..", "\x01"}) {
    EXPECT_FALSE(is_local_path(bad)) << bad;
  }
  EXPECT_FALSE(is_local_path("/" + std::string(2000, 'a')));
}

TEST(ResidentTest, SignInRedirectCarriesTheWayBack) {
  http::Request req;
  req.path = "/mi-llave/sesiones";
  req.raw_query = "antes=5&x=a%20b";
  const http::Response res = sign_in_redirect(req);
  EXPECT_EQ(res.status, 303);
  EXPECT_EQ(res.headers.get("Location").value_or(""),
            "/llave/entrar?siguiente=%2Fmi-llave%2Fsesiones%3Fantes%3D5%26x%3Da%2520b");
}

class SignedInTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    sessions_ = std::make_unique<web::DbSessionStore>(db());
    NewAccount a;
    a.email = "ana@example.mx";
    a.given_name = "Ana";
    auto created = AccountStore(db()).create(a, kNow);
    ASSERT_TRUE(created);
    account_ = *created;
  }

  // A request from a browser holding session `id` (a new browser when empty).
  http::Request browser(const std::string& id = "") {
    http::Request req;
    req.remote_addr = "198.51.100.4";
    req.headers.set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
    req.session = id.empty() ? http::Session(crypto::random_token(32), true, sessions_.get())
                             : http::Session(id, false, sessions_.get());
    return req;
  }

  std::unique_ptr<web::DbSessionStore> sessions_;
  Account account_;
};

TEST_P(SignedInTest, SignInMovesTheSessionAndIsSeenOnTheNextRequest) {
  http::Request first = browser();
  const std::string before = first.session.id();
  auto login = start_login(first, db(), account_, "pwd", {}, kNow);
  ASSERT_TRUE(login) << login.error().detail;
  EXPECT_NE(first.session.id(), before);
  first.session.commit();

  http::Request next = browser(first.session.id());
  auto who = signed_in(next, db(), kNow + 5);
  ASSERT_TRUE(who) << who.error().detail;
  ASSERT_TRUE(*who);
  EXPECT_EQ((*who)->account.id, account_.id);
  EXPECT_EQ((*who)->login.id, login->id);
  EXPECT_EQ((*who)->login.user_agent, "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0");
  EXPECT_TRUE((*who)->roles.empty());

  // The old id (an attacker's fixed session) carries nothing.
  http::Request fixed = browser(before);
  EXPECT_FALSE(*signed_in(fixed, db(), kNow + 5));

  auto audit = AuditLog(db()).list_for_account(account_.id, 10);
  ASSERT_TRUE(audit);
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ(audit->front().event.action, "signin");
  EXPECT_EQ(audit->front().event.ip.value_or(""), "198.51.100.4");
}

TEST_P(SignedInTest, NewBrowsersAndRevokedLoginsAreSignedOut) {
  http::Request fresh = browser();
  EXPECT_FALSE(*signed_in(fresh, db(), kNow));

  http::Request req = browser();
  auto login = start_login(req, db(), account_, "pwd", {}, kNow);
  ASSERT_TRUE(login);
  req.session.commit();
  const std::string id = req.session.id();
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    auto n = LoginSessionStore::revoke_all(sql, account_.id, std::nullopt, kNow + 1);
    return n ? Status{} : fail(n.error());
  }));
  http::Request after = browser(id);
  EXPECT_FALSE(*signed_in(after, db(), kNow + 2));
}

TEST_P(SignedInTest, LockedAccountsAreSignedOut) {
  http::Request req = browser();
  ASSERT_TRUE(start_login(req, db(), account_, "pwd", {}, kNow));
  req.session.commit();
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return AccountStore::set_status(sql, account_.id, AccountStatus::kLocked, kNow + 1);
  }));
  http::Request after = browser(req.session.id());
  EXPECT_FALSE(*signed_in(after, db(), kNow + 2));
}

TEST_P(SignedInTest, StaffRolesComeWithTheResident) {
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return StaffRoleStore::grant(sql, account_.id, {Role::kVerifier, std::nullopt}, 0, kNow);
  }));
  http::Request req = browser();
  ASSERT_TRUE(start_login(req, db(), account_, "pwd otp", {}, kNow));
  req.session.commit();
  http::Request next = browser(req.session.id());
  auto who = signed_in(next, db(), kNow + 1);
  ASSERT_TRUE(who && *who);
  EXPECT_TRUE((*who)->roles.has(Role::kVerifier));
  EXPECT_EQ((*who)->login.amr, "pwd otp");
}

TEST_P(SignedInTest, SignOutEndsTheLoginEverywhereAndAudits) {
  http::Request req = browser();
  ASSERT_TRUE(start_login(req, db(), account_, "pwd", {}, kNow));
  req.session.commit();
  const std::string id = req.session.id();
  http::Request out = browser(id);
  ASSERT_TRUE(end_login(out, db(), kNow + 3));
  out.session.commit();
  http::Request again = browser(id);
  EXPECT_FALSE(*signed_in(again, db(), kNow + 4));
  auto audit = AuditLog(db()).list_for_account(account_.id, 10);
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ(audit->front().event.action, "signout");
  // Signing out with nobody signed in is fine.
  http::Request nobody = browser();
  EXPECT_TRUE(end_login(nobody, db(), kNow + 5));
}

TEST_P(SignedInTest, OtherModulesSeeOnlyVerifiedContacts) {
  auto found = find_residents(db(), "ana@", 10);
  ASSERT_TRUE(found) << found.error().detail;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().account_id, account_.id);
  EXPECT_FALSE(found->front().email);  // not verified yet
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return AccountStore::set_email_verified(sql, account_.id, kNow);
  }));
  auto one = find_resident(db(), account_.id);
  ASSERT_TRUE(one && *one);
  EXPECT_EQ((*one)->email.value_or(""), "ana@example.mx");
  EXPECT_EQ((*one)->loa, LevelOfAssurance::kContactVerified);
  EXPECT_FALSE(*find_resident(db(), 424242));
  auto too_short = find_residents(db(), "a", 10);
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().user_key, "identity.search.prefix");
}

ZOCALO_INSTANTIATE_DB_TEST(SignedInTest);

}  // namespace
}  // namespace zocalo::identity
