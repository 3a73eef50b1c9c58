// The resident's store on both databases: filing with the intake notices, duplicates near a
// point, the public view without personal data, following, lists, and the closure answers.
#include "requests/store/resident_request_store.hpp"

#include <gtest/gtest.h>

#include <string>

#include "db_fixture.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/request_notifications.hpp"
#include "requests/store/request_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;
constexpr GeoPoint kZocalo{-99.133209, 19.432608};

class ResidentRequestStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    auto service = ServiceStore(db()).find("banqueta-danada");
    ASSERT_TRUE(service && *service);
    service_ = **service;
    areas_ = std::make_unique<AreaLocator>(db());
    db().with_session([&](soci::session& sql) {
      sql << "INSERT INTO accounts (subject, email, given_name, status, created_at, updated_at) "
             "VALUES ('subject-of-a-test-account-1', 'ana@example.mx', 'Ana', 'active', 1, 1)";
    });
  }

  NewServiceRequest report(std::optional<GeoPoint> point, const std::string& email = "") {
    NewServiceRequest r;
    r.service_code = service_.code;
    r.point = point;
    r.description = "Banqueta rota <script>";
    r.address_string = "Calle 5 de Mayo 10";
    r.contact.email = email;
    r.contact.phone = email.empty() ? "" : "55 1234 5678";
    r.contact.first_name = "Ana";
    r.channel = "web";
    r.requested_at = kNow;
    return r;
  }

  long long count(const std::string& sql_text) {
    long long n = 0;
    db().with_session([&](soci::session& sql) { sql << sql_text, soci::into(n); });
    return n;
  }

  Service service_;
  std::unique_ptr<AreaLocator> areas_;
};

TEST_P(ResidentRequestStoreTest, FilingQueuesTheIntakeNoticesInTheReportersLanguage) {
  ResidentRequestStore store(db());
  auto created = store.file(*areas_, report(kZocalo, "vecina@example.org"), service_, "", "en",
                            "https://311.example.mx/");
  ASSERT_TRUE(created) << created.error().detail;
  EXPECT_EQ(created->area_code, "09015");  // Cuauhtémoc
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_requests WHERE locale = 'en'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'notify.email'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'notify.sms'"), 1);
  std::string payload;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT payload FROM jobs WHERE kind = 'notify.email'", soci::into(payload);
  });
  EXPECT_NE(payload.find("We received your report"), std::string::npos) << payload;
  EXPECT_NE(payload.find("https://311.example.mx/reportes/" + created->folio), std::string::npos);
  EXPECT_NE(payload.find("clave="), std::string::npos);  // the reporter's private link
  std::string sms;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT payload FROM jobs WHERE kind = 'notify.sms'", soci::into(sms);
  });
  EXPECT_NE(sms.find("+525512345678"), std::string::npos) << sms;
  EXPECT_EQ(sms.find("clave="), std::string::npos);
}

TEST_P(ResidentRequestStoreTest, OutsideTheCityStoresNothingAndAnAddressUsesTheChosenArea) {
  ResidentRequestStore store(db());
  auto outside = store.file(*areas_, report(GeoPoint{-100.3161, 25.6866}, "a@example.org"),
                            service_, "", "es-MX", "https://311.example.mx");
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().user_key, "requests.location.outside");
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_requests"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 0);

  auto by_address = store.file(*areas_, report(std::nullopt), service_, "09007", "es-MX",
                               "https://311.example.mx");
  ASSERT_TRUE(by_address) << by_address.error().detail;
  EXPECT_EQ(by_address->area_code, "09007");
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 0);  // no contact, no message
}

TEST_P(ResidentRequestStoreTest, NearbyOpenRequestsOfTheSameServiceOnly) {
  ResidentRequestStore store(db());
  const GeoPoint thirty{kZocalo.lon, kZocalo.lat + 30.0 / 111'195.0};
  const GeoPoint ninety{kZocalo.lon, kZocalo.lat + 90.0 / 111'195.0};
  auto near = store.file(*areas_, report(thirty), service_, "", "es-MX", "https://x.mx");
  auto far = store.file(*areas_, report(ninety), service_, "", "es-MX", "https://x.mx");
  ASSERT_TRUE(near && far);
  auto found = store.nearby_open(service_.code, kZocalo, 50);
  ASSERT_TRUE(found) << found.error().detail;
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().folio, near->folio);
  EXPECT_NEAR(found->front().distance_m, 30.0, 0.5);
  EXPECT_EQ(store.nearby_open(service_.code, kZocalo, 100)->size(), 2u);
  EXPECT_TRUE(store.nearby_open("bache", kZocalo, 100)->empty());
  // A closed request is no longer offered.
  ASSERT_TRUE(RequestStore(db(), *areas_)
                  .add_update({.folio = near->folio,
                               .status = RequestStatus::kFixed,
                               .actor = StatusActor::kStaff,
                               .actor_name = "staff:1",
                               .now = kNow + 10}));
  EXPECT_TRUE(store.nearby_open(service_.code, kZocalo, 50)->empty());
}

TEST_P(ResidentRequestStoreTest, ThePublicViewHasNoPersonalDataAndBlursPrivateRequests) {
  ResidentRequestStore store(db());
  NewServiceRequest secret = report(kZocalo, "vecina@example.org");
  secret.is_private = true;
  auto created = store.file(*areas_, secret, service_, "", "es-MX", "https://x.mx");
  ASSERT_TRUE(created);
  auto found = store.find(created->folio);
  ASSERT_TRUE(found && *found);
  const PublicRequest& r = **found;
  EXPECT_TRUE(r.is_private);
  EXPECT_TRUE(r.description.empty());
  EXPECT_TRUE(r.address.empty());
  ASSERT_TRUE(r.point);
  EXPECT_DOUBLE_EQ(r.point->lat, 19.433);
  EXPECT_DOUBLE_EQ(r.point->lon, -99.133);
  EXPECT_EQ(r.updates.size(), 1u);
  EXPECT_FALSE(*store.find("ZZZZZZZZ"));
}

TEST_P(ResidentRequestStoreTest, FollowingListsAndTheReporterAnswersAClosure) {
  ResidentRequestStore store(db());
  const long long ana = count("SELECT id FROM accounts WHERE email = 'ana@example.mx'");
  NewServiceRequest mine = report(kZocalo, "ana@example.mx");
  mine.contact.account_id = std::to_string(ana);
  auto created = store.file(*areas_, mine, service_, "", "es-MX", "https://x.mx");
  auto other =
      store.file(*areas_, report(std::nullopt), service_, "09007", "es-MX", "https://x.mx");
  ASSERT_TRUE(created && other);
  EXPECT_TRUE(*store.follow(other->folio, ana, kNow));
  EXPECT_FALSE(*store.follow(other->folio, ana, kNow));
  EXPECT_EQ(store.follow("ZZZZZZZZ", ana, kNow).error().kind, ErrorKind::kNotFound);
  auto lists = store.mine(ana);
  ASSERT_TRUE(lists);
  ASSERT_EQ(lists->reported.size(), 1u);
  EXPECT_EQ(lists->reported[0].folio, created->folio);
  ASSERT_EQ(lists->followed.size(), 1u);
  EXPECT_EQ(lists->followed[0].folio, other->folio);

  PublicListFilter filter;
  filter.area_code = "09007";
  auto listed = store.list(filter);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->rows.size(), 1u);
  EXPECT_EQ(listed->rows[0].folio, other->folio);
  filter = {};
  filter.page_size = 1;
  EXPECT_TRUE(store.list(filter)->has_more);
  // Each filter given narrows the list; those not given do not (the WHERE clause is built from
  // the filters present).
  filter = {};
  filter.service_code = service_.code;
  filter.status = RequestStatus::kOpen;
  EXPECT_EQ(store.list(filter)->rows.size(), 2u);
  filter.area_code = "09007";
  ASSERT_EQ(store.list(filter)->rows.size(), 1u);
  filter.status = RequestStatus::kFixed;
  EXPECT_TRUE(store.list(filter)->rows.empty());
  filter = {};
  filter.service_code = "otro-servicio";
  EXPECT_TRUE(store.list(filter)->rows.empty());

  // Only the reporter answers, only once closed, and a reopen reaches the agency.
  const ReporterProof me{ana, ""};
  const ReporterProof stranger{std::nullopt, "not-the-token"};
  EXPECT_EQ(
      store.answer_closure(created->folio, stranger, true, "x", kNow, "https://x.mx").error().kind,
      ErrorKind::kForbidden);
  EXPECT_EQ(
      store.answer_closure(created->folio, me, false, "ok", kNow, "https://x.mx").error().kind,
      ErrorKind::kConflict);
  ASSERT_TRUE(RequestStore(db(), *areas_)
                  .add_update({.folio = created->folio,
                               .status = RequestStatus::kFixed,
                               .actor = StatusActor::kStaff,
                               .actor_name = "staff:1",
                               .now = kNow + 100}));
  const long long jobs_before = count("SELECT COUNT(*) FROM jobs");
  ASSERT_TRUE(
      store.answer_closure(created->folio, me, true, "Sigue rota", kNow + 200, "https://x.mx"));
  auto after = store.find(created->folio);
  EXPECT_EQ((*after)->status, RequestStatus::kReopened);
  EXPECT_EQ((*after)->updates.back().description, "Sigue rota");
  EXPECT_GT(count("SELECT COUNT(*) FROM jobs"), jobs_before);
  // The token of the intake e-mail proves the reporter too; past the window it is refused.
  std::string token;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT token FROM service_requests WHERE folio = :f", soci::use(other->folio),
        soci::into(token);
  });
  EXPECT_TRUE(*store.is_reporter(other->folio, {std::nullopt, token}));
  EXPECT_FALSE(*store.is_reporter(other->folio, {ana, ""}));
  ASSERT_TRUE(RequestStore(db(), *areas_)
                  .add_update({.folio = other->folio,
                               .status = RequestStatus::kFixed,
                               .actor = StatusActor::kStaff,
                               .actor_name = "staff:1",
                               .now = kNow}));
  const auto late = store.answer_closure(other->folio, {std::nullopt, token}, true, "x",
                                         kNow + 31 * 24 * 3600, "https://x.mx");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().user_key, "requests.status.reopen_window_closed");
  EXPECT_TRUE(store.answer_closure(other->folio, {std::nullopt, token}, false, "bien",
                                   kNow + 31 * 24 * 3600, "https://x.mx"));
}

TEST_P(ResidentRequestStoreTest, ClosureNoticesReachTheReporterAndEveryFollower) {
  ResidentRequestStore store(db());
  const long long ana = count("SELECT id FROM accounts WHERE email = 'ana@example.mx'");
  NewServiceRequest mine = report(kZocalo, "vecina@example.org");
  mine.contact.phone = "12";  // not a dialable number: no SMS, and no failure either
  auto created = store.file(*areas_, mine, service_, "", "es-MX", "https://311.example.mx");
  ASSERT_TRUE(created) << created.error().detail;
  ASSERT_TRUE(*store.follow(created->folio, ana, kNow));
  db().with_session([&](soci::session& sql) { sql << "DELETE FROM jobs"; });
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    return RequestNotifications::queue(
        sql, {.request_id = created->id, .event = RequestEvent::kClosed, .public_note = "{folio}"},
        "https://311.example.mx");
  }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'notify.email'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'notify.sms'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs WHERE kind = 'notify.inbox'"), 1);  // Ana follows
  std::string email, inbox;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT payload FROM jobs WHERE kind = 'notify.email'", soci::into(email);
    sql << "SELECT payload FROM jobs WHERE kind = 'notify.inbox'", soci::into(inbox);
  });
  EXPECT_NE(email.find("se cerró"), std::string::npos) << email;
  EXPECT_NE(email.find("clave="), std::string::npos);  // the reporter's way to reopen
  EXPECT_NE(inbox.find("account:" + std::to_string(ana)), std::string::npos) << inbox;
  EXPECT_EQ(inbox.find("clave="), std::string::npos);  // never to followers
  EXPECT_NE(inbox.find("/reportes/" + created->folio), std::string::npos);
  // The agency's note is quoted as written, never expanded as a placeholder.
  EXPECT_NE(email.find("Nota de la dependencia: {folio}"), std::string::npos) << email;
  // Unknown request: an error, nothing queued.
  db().with_session([&](soci::session& sql) { sql << "DELETE FROM jobs"; });
  EXPECT_FALSE(db().transaction([&](soci::session& sql) -> Status {
    return RequestNotifications::queue(sql, {.request_id = 999'999}, "https://311.example.mx");
  }));
  EXPECT_EQ(count("SELECT COUNT(*) FROM jobs"), 0);
}

ZOCALO_INSTANTIATE_DB_TEST(ResidentRequestStoreTest);

}  // namespace
}  // namespace zocalo::requests
