// Followers' e-mail and SMS (issue 4, items 5 and 7), the stop link, and the notice to a
// colleague a request is assigned to, on both databases: what is queued is read back from the
// jobs table the notifier's worker sends from.
#include "requests/store/follower_links.hpp"

#include <gtest/gtest.h>

#include <string>

#include "db_fixture.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/store/assignment_store.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/request_notifications.hpp"
#include "requests/store/resident_request_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

constexpr std::int64_t kNow = 1'793'642'400;
constexpr GeoPoint kZocalo{-99.133209, 19.432608};

class FollowerLinksTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    areas_ = std::make_unique<AreaLocator>(db());
    // Verified contacts (identity gives only those to other modules); one unverified.
    db().with_session([&](soci::session& sql) {
      sql << "INSERT INTO accounts (subject, email, email_verified_at, phone, phone_verified_at, "
             "given_name, family_name, status, created_at, updated_at) VALUES "
             "('subject-follower-en-000001', 'jane@example.org', 1, '+525511112222', 1, 'Jane', "
             "'Doe', 'active', 1, 1)";
      sql << "INSERT INTO accounts (subject, email, email_verified_at, given_name, family_name, "
             "status, created_at, updated_at) VALUES ('subject-follower-es-000002', "
             "'beto@example.mx', 1, 'Beto', 'Ruiz', 'active', 1, 1)";
      sql << "INSERT INTO accounts (subject, email, given_name, status, created_at, updated_at) "
             "VALUES ('subject-follower-unv-00003', 'sinverificar@example.mx', 'Sin', 'active', "
             "1, 1)";
    });
    jane_ = id_of("jane@example.org");
    beto_ = id_of("beto@example.mx");
    unverified_ = id_of("sinverificar@example.mx");
  }

  long long id_of(const std::string& email) {
    long long id = 0;
    db().with_session([&](soci::session& sql) {
      sql << "SELECT id FROM accounts WHERE email = :e", soci::use(email), soci::into(id);
    });
    return id;
  }

  CreatedRequest file() {
    auto service = ServiceStore(db()).find("banqueta-danada");
    EXPECT_TRUE(service && *service);
    NewServiceRequest r;
    r.service_code = "banqueta-danada";
    r.point = kZocalo;
    r.description = "Banqueta rota";
    r.contact.email = "vecina@example.org";
    r.channel = "web";
    r.requested_at = kNow;
    auto created = ResidentRequestStore(db()).file(*areas_, r, **service, "", "es-MX",
                                                   "https://311.example.mx");
    EXPECT_TRUE(created) << created.error().detail;
    return *created;
  }

  long long count(const std::string& sql_text) {
    long long n = 0;
    db().with_session([&](soci::session& sql) { sql << sql_text, soci::into(n); });
    return n;
  }

  std::vector<std::string> payloads(const std::string& kind) {
    std::vector<std::string> out;
    db().with_session([&](soci::session& sql) {
      soci::rowset<std::string> rows =
          (sql.prepare << "SELECT payload FROM jobs WHERE kind = :k ORDER BY id", soci::use(kind));
      for (const auto& p : rows) out.push_back(p);
    });
    return out;
  }

  Status notify(long long id, RequestEvent event, const std::string& note = "") {
    return db().transaction([&](soci::session& sql) -> Status {
      return RequestNotifications::queue(
          sql, {.request_id = id, .event = event, .public_note = note}, "https://311.example.mx");
    });
  }

  std::string stop_token(long long account) {
    std::string token;
    soci::indicator ind = soci::i_null;
    db().with_session([&](soci::session& sql) {
      sql << "SELECT stop_token FROM service_request_followers WHERE account_id = :a",
          soci::use(account), soci::into(token, ind);
    });
    return ind == soci::i_ok ? token : std::string();
  }

  std::unique_ptr<AreaLocator> areas_;
  long long jane_ = 0, beto_ = 0, unverified_ = 0;
};

TEST_P(FollowerLinksTest, FollowersGetEmailAndSmsInTheirLanguageWithAStopLink) {
  const CreatedRequest r = file();
  ResidentRequestStore store(db());
  for (long long who : {jane_, beto_, unverified_}) ASSERT_TRUE(*store.follow(r.folio, who, kNow));
  FollowerLinks links(db());
  ASSERT_TRUE(links.remember_language(r.folio, jane_, "en"));
  ASSERT_TRUE(links.remember_language(r.folio, beto_, "es-MX"));
  db().with_session([&](soci::session& sql) { sql << "DELETE FROM jobs"; });

  ASSERT_TRUE(notify(r.id, RequestEvent::kStatusChanged, "Cuadrilla <b>en camino</b>"));
  // The reporter (e-mail) + Jane (e-mail) + Beto (e-mail); the unverified one: inbox only.
  const auto emails = payloads("notify.email");
  ASSERT_EQ(emails.size(), 3u);
  EXPECT_EQ(payloads("notify.inbox").size(), 3u);
  const auto sms = payloads("notify.sms");
  ASSERT_EQ(sms.size(), 1u);  // only Jane has a verified phone
  EXPECT_NE(sms[0].find("+525511112222"), std::string::npos) << sms[0];
  EXPECT_NE(sms[0].find("which you follow"), std::string::npos) << sms[0];

  const std::string jane_token = stop_token(jane_);
  const std::string beto_token = stop_token(beto_);
  ASSERT_TRUE(FollowerLinks::is_well_formed(jane_token));
  EXPECT_NE(jane_token, beto_token);
  std::string jane_mail, beto_mail;
  for (const auto& e : emails) {
    if (e.find("jane@example.org") != std::string::npos) jane_mail = e;
    if (e.find("beto@example.mx") != std::string::npos) beto_mail = e;
  }
  EXPECT_NE(jane_mail.find("News on report"), std::string::npos) << jane_mail;
  EXPECT_NE(jane_mail.find("Note from the agency: Cuadrilla <b>en camino</b>"), std::string::npos);
  EXPECT_NE(jane_mail.find("/reportes/dejar-de-seguir?codigo=" + jane_token), std::string::npos);
  EXPECT_NE(jane_mail.find("https://311.example.mx/reportes/" + r.folio), std::string::npos);
  EXPECT_EQ(jane_mail.find("codigo=" + beto_token), std::string::npos);
  EXPECT_EQ(jane_mail.find("clave="), std::string::npos);  // the reporter's private link
  EXPECT_NE(beto_mail.find("Novedades del reporte"), std::string::npos) << beto_mail;
  EXPECT_NE(beto_mail.find("dejar-de-seguir?codigo=" + beto_token), std::string::npos);

  // The same link in the next message (the token is made once).
  ASSERT_TRUE(notify(r.id, RequestEvent::kClosed));
  EXPECT_EQ(stop_token(jane_), jane_token);

  // The link: names the report, stops the follow once, then is spent.
  auto found = links.find(jane_token);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->folio, r.folio);
  EXPECT_TRUE(*links.stop(jane_token));
  EXPECT_FALSE(*links.stop(jane_token));
  EXPECT_FALSE(*links.find(jane_token));
  EXPECT_FALSE(*store.is_following(r.id, jane_));
  EXPECT_TRUE(*store.is_following(r.id, beto_));
  // Malformed tokens are refused without a query.
  EXPECT_FALSE(*links.stop("' OR 1=1 --"));
  EXPECT_FALSE(*links.find(""));
  EXPECT_FALSE(FollowerLinks::is_well_formed(std::string(65, 'a')));

  db().with_session([&](soci::session& sql) { sql << "DELETE FROM jobs"; });
  ASSERT_TRUE(notify(r.id, RequestEvent::kReopened));
  for (const auto& e : payloads("notify.email")) {
    EXPECT_EQ(e.find("jane@example.org"), std::string::npos) << "Jane stopped following";
  }
  // The page's button.
  EXPECT_TRUE(*links.unfollow(r.folio, beto_));
  EXPECT_FALSE(*links.unfollow(r.folio, beto_));
  EXPECT_FALSE(*store.is_following(r.id, beto_));
}

TEST_P(FollowerLinksTest, AColleagueAssignedARequestGetsAnInboxNoticeAndAnEmail) {
  const CreatedRequest r = file();
  db().with_session([&](soci::session& sql) { sql << "DELETE FROM jobs"; });
  AssignmentStore store(db(), "https://311.example.mx");
  std::string agency;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT agency_code FROM service_requests WHERE id = :id", soci::use(r.id),
        soci::into(agency);
  });
  // Beto assigns it to Jane: Jane hears of it, with the staff link.
  ASSERT_TRUE(store.assign({r.folio, agency, beto_, kNow}, jane_, "Asignada a Jane Doe"));
  const auto inbox = payloads("notify.inbox");
  bool jane_told = false;
  for (const auto& p : inbox) {
    if (p.find("account:" + std::to_string(jane_)) != std::string::npos) {
      jane_told = true;
      EXPECT_NE(p.find("/atencion/" + r.folio), std::string::npos) << p;
    }
  }
  EXPECT_TRUE(jane_told);
  bool mailed = false;
  for (const auto& p : payloads("notify.email")) {
    if (p.find("jane@example.org") != std::string::npos) {
      mailed = true;
      EXPECT_NE(p.find("https://311.example.mx/atencion/" + r.folio), std::string::npos) << p;
    }
  }
  EXPECT_TRUE(mailed);
  // Taking it oneself sends oneself nothing.
  db().with_session([&](soci::session& sql) { sql << "DELETE FROM jobs"; });
  ASSERT_TRUE(store.assign({r.folio, agency, beto_, kNow}, beto_, "Asignada a Beto Ruiz"));
  for (const auto& p : payloads("notify.email")) {
    EXPECT_EQ(p.find("beto@example.mx"), std::string::npos) << p;
  }
}

ZOCALO_INSTANTIATE_DB_TEST(FollowerLinksTest);

}  // namespace
}  // namespace zocalo::requests
