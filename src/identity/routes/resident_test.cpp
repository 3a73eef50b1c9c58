#include "identity/resident.hpp"

#include <gtest/gtest.h>

#include <vector>

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
  const http::Request req = browser();
  const StaffReader operator_ = {.staff_account_id = 77, .purpose = "311.caller_search"};
  auto found = find_residents(req, db(), operator_, "ana@", 10);
  ASSERT_TRUE(found) << found.error().detail;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().account_id, account_.id);
  EXPECT_FALSE(found->front().email);  // not verified yet
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return AccountStore::set_email_verified(sql, account_.id, kNow);
  }));
  auto one = find_resident(req, db(), operator_, account_.id);
  ASSERT_TRUE(one && *one);
  EXPECT_EQ((*one)->email.value_or(""), "ana@example.mx");
  EXPECT_EQ((*one)->loa, LevelOfAssurance::kContactVerified);
  EXPECT_FALSE(*find_resident(req, db(), operator_, 424242));
  auto too_short = find_residents(req, db(), operator_, "a", 10);
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().user_key, "identity.search.prefix");
}

// Principle 5: every read of a resident's data by a person is in the audit log, which the
// resident reads on /mi-llave/activity; a read that finds nobody records nothing.
TEST_P(SignedInTest, EveryStaffReadOfAResidentIsInTheirAuditLog) {
  const http::Request req = browser();
  auto before = AuditLog(db()).list_for_account(account_.id, 100);
  ASSERT_TRUE(before);
  ASSERT_TRUE(find_residents(req, db(), {.staff_account_id = 77, .purpose = "311.caller_search"},
                             "ana@", 10));
  ASSERT_TRUE(find_resident(req, db(), {.staff_account_id = 78, .purpose = "311.caller_opened"},
                            account_.id));
  auto rows = AuditLog(db()).list_for_account(account_.id, 100);
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), before->size() + 2);
  const AuditEvent& opened = (*rows)[0].event;  // newest first
  const AuditEvent& searched = (*rows)[1].event;
  EXPECT_EQ(searched.action, "data.viewed");
  EXPECT_EQ(searched.actor_kind, ActorKind::kStaff);
  EXPECT_EQ(searched.actor_id, "77");
  EXPECT_EQ(searched.detail, R"({"purpose":"311.caller_search"})");
  EXPECT_EQ(searched.ip.value_or(""), "198.51.100.4");
  EXPECT_EQ(opened.actor_id, "78");
  EXPECT_EQ(opened.detail, R"({"purpose":"311.caller_opened"})");

  // Nobody found, nobody recorded; a purpose that is not a plain name is refused unread.
  ASSERT_TRUE(find_residents(req, db(), {.staff_account_id = 77, .purpose = "311.caller_search"},
                             "nadie@", 10));
  ASSERT_TRUE(
      find_resident(req, db(), {.staff_account_id = 77, .purpose = "311.caller_opened"}, 424242));
  const std::string too_long(49, 'a');
  for (const std::string_view bad :
       std::vector<std::string_view>{"", "311 caller", "x\"", "Mayúsculas", too_long}) {
    auto refused = find_resident(req, db(), {.staff_account_id = 77, .purpose = bad}, account_.id);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().user_key, "identity.audit.invalid");
  }
  auto after = AuditLog(db()).list_for_account(account_.id, 100);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->size(), rows->size());
  auto chain = AuditLog(db()).verify();
  ASSERT_TRUE(chain && chain->ok) << (chain ? chain->detail : chain.error().detail);
}

// Another module's staff action: in the caller's transaction, so it commits with the change or
// vanishes with it; an action or detail breaking AuditEvent's rules is refused.
TEST_P(SignedInTest, StaffActionsOfOtherModulesCommitWithTheirChange) {
  const http::Request req = browser();
  const auto rows = [&] {
    long long n = 0;
    EXPECT_TRUE(db().read([&](soci::session& sql) -> Status {
      sql << "SELECT COUNT(*) FROM audit_log WHERE action = '311.service.saved'", soci::into(n);
      return {};
    }));
    return n;
  };
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return record_staff_action(sql, req, 77, "311.service.saved", R"({"service":"bache"})");
  }));
  EXPECT_EQ(rows(), 1);
  const Status rolled_back = db().transaction([&](soci::session& sql) -> Status {
    if (Status s = record_staff_action(sql, req, 77, "311.service.saved", "{}"); !s) return s;
    return fail(Error::invalid("requests.catalog.invalid", "the change itself failed"));
  });
  EXPECT_FALSE(rolled_back);
  EXPECT_EQ(rows(), 1);
  for (const auto& [action, detail] : std::vector<std::pair<std::string, std::string>>{
           {"311 Service", "{}"},
           {"311.service.saved", "[]"},
           {"311.service.saved", R"({"api_token":"x"})"}}) {
    const Status refused = db().transaction(
        [&](soci::session& sql) { return record_staff_action(sql, req, 77, action, detail); });
    ASSERT_FALSE(refused) << action << " " << detail;
    EXPECT_EQ(refused.error().user_key, "identity.audit.invalid");
  }
  EXPECT_EQ(rows(), 1);
}

ZOCALO_INSTANTIATE_DB_TEST(SignedInTest);

}  // namespace
}  // namespace zocalo::identity
