// Service requests on both databases: routing by geography and rules, the Open311 filters,
// paging and default window, status updates, tokens, API keys and the demo seed.
#include "requests/store/request_store.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "db_fixture.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/model/folio.hpp"
#include "requests/store/api_key_store.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/demo_requests.hpp"
#include "requests/store/routing_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

// 2026-11-02T18:00:00Z, a Monday, noon in Mexico City.
constexpr std::int64_t kNow = 1793642400;

// Well inside each alcaldía (INEGI cvegeo).
constexpr GeoPoint kZocalo{-99.1332, 19.4326};      // Cuauhtémoc 09015
constexpr GeoPoint kIztapalapa{-99.0573, 19.3574};  // Iztapalapa 09007
constexpr GeoPoint kCoyoacan{-99.1620, 19.3467};    // Coyoacán 09003
constexpr GeoPoint kMilpaAlta{-99.0237, 19.1926};   // Milpa Alta 09009
constexpr GeoPoint kOutside{-100.3161, 25.6866};    // Monterrey

class RequestStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    locator_ = std::make_unique<AreaLocator>(db());
  }

  RequestStore store() { return RequestStore(db(), *locator_); }

  Service service(const std::string& code) {
    auto found = ServiceStore(db()).find(code);
    EXPECT_TRUE(found && *found) << code;
    return found && *found ? **found : Service{};
  }

  Result<CreatedRequest> file(const std::string& code, std::optional<GeoPoint> point,
                              std::int64_t at = kNow) {
    NewServiceRequest r;
    r.service_code = code;
    r.point = point;
    if (!point) r.address_string = "Calle Falsa 123";
    r.description = "Luminaria apagada";
    r.contact.email = "vecina@example.org";
    r.contact.phone = "+52 55 1234 5678";
    r.channel = "api:test";
    r.requested_at = at;
    return store().create(r, service(code));
  }

  long long count(const std::string& table) {
    long long n = 0;
    db().with_session(
        [&](soci::session& sql) { sql << "SELECT COUNT(*) FROM " + table, soci::into(n); });
    return n;
  }

  std::vector<open311::RequestView> query(
      const std::vector<std::pair<std::string, std::string>>& params, std::int64_t now = kNow) {
    const auto parsed = open311::parse_request_query(params, now);
    EXPECT_TRUE(parsed.ok());
    auto found = store().query(parsed.query, "es-MX");
    EXPECT_TRUE(found) << (found ? "" : found.error().detail);
    return found ? *found : std::vector<open311::RequestView>{};
  }

  std::unique_ptr<AreaLocator> locator_;
};

TEST_P(RequestStoreTest, PointsAreRoutedToTheAlcaldiaThatContainsThem) {
  for (const auto& [point, area] :
       std::vector<std::pair<GeoPoint, std::string>>{{kZocalo, "09015"},
                                                     {kIztapalapa, "09007"},
                                                     {kCoyoacan, "09003"},
                                                     {kMilpaAlta, "09009"}}) {
    auto located = locator_->locate(point);
    ASSERT_TRUE(located);
    ASSERT_TRUE(*located) << point.lon << "," << point.lat;
    EXPECT_EQ(**located, area);
    ASSERT_TRUE(RoutingStore(db()).put({{"*", area, "alcaldia-" + area}}));
    auto created = file("luminaria-apagada", point);
    ASSERT_TRUE(created) << created.error().detail;
    EXPECT_EQ(created->area_code, area);
    EXPECT_EQ(created->agency_code, "alcaldia-" + area);
    EXPECT_EQ(created->folio.size(), kFolioLength);
  }
}

TEST_P(RequestStoreTest, APointOutsideEveryAreaIsRefusedAndNothingIsStored) {
  auto located = locator_->locate(kOutside);
  ASSERT_TRUE(located);
  EXPECT_FALSE(*located);
  auto created = file("bache", kOutside);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().user_key, "requests.location.outside");
  EXPECT_EQ(count("service_requests"), 0);
  EXPECT_EQ(count("service_request_updates"), 0);
}

TEST_P(RequestStoreTest, TheMostSpecificRuleWinsThenTheServicesOwnAgency) {
  // No rule: the catalog's agency.
  auto plain = file("fuga-de-agua", kZocalo);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->agency_code, "sacmex");
  ASSERT_TRUE(RoutingStore(db()).put(
      {{"*", "*", "locatel"}, {"*", "09015", "alcaldia-09015"}, {"fuga-de-agua", "*", "sedema"}}));
  EXPECT_EQ(file("bache", kIztapalapa)->agency_code, "locatel");     // ('*', '*')
  EXPECT_EQ(file("bache", kZocalo)->agency_code, "alcaldia-09015");  // ('*', area)
  EXPECT_EQ(file("fuga-de-agua", kZocalo)->agency_code, "sedema");   // (service, '*')
  ASSERT_TRUE(RoutingStore(db()).put({{"fuga-de-agua", "09015", "sacmex"}}));
  EXPECT_EQ(file("fuga-de-agua", kZocalo)->agency_code, "sacmex");  // (service, area)
  // Given by address only: area rules cannot apply.
  auto by_address = file("bache", std::nullopt);
  ASSERT_TRUE(by_address);
  EXPECT_EQ(by_address->agency_code, "locatel");
  EXPECT_TRUE(by_address->area_code.empty());
  // A rule naming an unknown agency changes nothing.
  EXPECT_FALSE(RoutingStore(db()).put({{"bache", "*", "alcaldia-09015"}, {"x", "*", "nadie"}}));
  EXPECT_EQ(file("bache", kIztapalapa)->agency_code, "locatel");
}

TEST_P(RequestStoreTest, ExpectedDatetimeFollowsTheWorkingCalendar) {
  // fuga-de-agua: 24 working hours (9 a day) from Monday 12:00 local: 6 on Monday, 9 on
  // Tuesday, 9 on Wednesday: due Wednesday 18:00 local.
  auto created = file("fuga-de-agua", kZocalo);
  ASSERT_TRUE(created);
  ASSERT_TRUE(created->expected_at);
  EXPECT_EQ(*created->expected_at, kNow + 2 * 86400 + 6 * 3600);
}

TEST_P(RequestStoreTest, FiltersPagingAndTheDefaultWindow) {
  const std::int64_t day = 86400;
  std::vector<std::string> folios;
  // Ten requests, one a day going back; the last is 100 days old.
  for (int i = 0; i < 10; ++i) {
    const std::string code = i % 2 == 0 ? "bache" : "fuga-de-agua";
    auto created = file(code, kZocalo, kNow - (i == 9 ? 100 : i) * day);
    ASSERT_TRUE(created);
    folios.push_back(created->folio);
  }
  // Default window: 90 days, newest first.
  auto all = query({});
  ASSERT_EQ(all.size(), 9u);
  EXPECT_EQ(all.front().service_request_id, folios[0]);
  EXPECT_EQ(all.back().service_request_id, folios[8]);
  // service_code list.
  EXPECT_EQ(query({{"service_code", "bache"}}).size(), 5u);  // 0, 2, 4, 6, 8
  EXPECT_EQ(query({{"service_code", "bache,fuga-de-agua"}}).size(), 9u);
  // status: close one, then filter.
  RequestUpdateInput update{.folio = folios[1],
                            .status = RequestStatus::kFixed,
                            .description = "Reparada",
                            .actor = StatusActor::kStaff,
                            .actor_name = "api:test",
                            .now = kNow};
  ASSERT_TRUE(store().add_update(update));
  auto closed = query({{"status", "closed"}});
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].service_request_id, folios[1]);
  EXPECT_EQ(closed[0].status_notes, "Reparada");
  EXPECT_EQ(query({{"status", "open"}}).size(), 8u);
  // Dates: both ends included.
  EXPECT_EQ(
      query({{"start_date", "2026-10-31T18:00:00Z"}, {"end_date", "2026-11-01T18:00:00Z"}}).size(),
      2u);
  // updated_after: the newest (created at kNow) and the one just fixed.
  EXPECT_EQ(query({{"updated_after", "2026-11-02T17:59:59Z"}}).size(), 2u);  // folios 0 and 1
  // Paging.
  auto page2 = query({{"page", "2"}, {"page_size", "4"}});
  ASSERT_EQ(page2.size(), 4u);
  EXPECT_EQ(page2[0].service_request_id, folios[4]);
  EXPECT_EQ(query({{"page", "3"}, {"page_size", "4"}}).size(), 1u);
  // service_request_id overrides every other filter, the window included.
  auto by_id =
      query({{"service_request_id", folios[9] + "," + folios[0]}, {"service_code", "nada"}});
  EXPECT_EQ(by_id.size(), 2u);
}

TEST_P(RequestStoreTest, ViewsCarryNoPersonalDataAndPrivatePointsAreBlurred) {
  NewServiceRequest r;
  r.service_code = "ruido";
  r.point = GeoPoint{-99.133211, 19.432611};
  r.description = "Fiesta";
  r.contact.first_name = "Ana";
  r.channel = "web";
  r.is_private = true;
  r.requested_at = kNow;
  auto created = store().create(r, service("ruido"));
  ASSERT_TRUE(created);
  auto found = query({{"service_request_id", created->folio}, {"extensions", "true"}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_DOUBLE_EQ(found[0].location->lat, 19.433);
  EXPECT_DOUBLE_EQ(found[0].location->lon, -99.133);
  EXPECT_TRUE(found[0].description.empty());
  ASSERT_TRUE(found[0].extended_attributes);
  EXPECT_EQ(found[0].extended_attributes->channel, "web");
  EXPECT_EQ(found[0].agency_responsible, "Secretaría del Medio Ambiente");
  EXPECT_EQ(found[0].expected_datetime.has_value(), true);
}

TEST_P(RequestStoreTest, UpdatesFollowTheModelsTransitionsAndRefusalsChangeNothing) {
  auto created = file("bache", kZocalo);
  ASSERT_TRUE(created);
  RequestUpdateInput u{.folio = created->folio,
                       .status = RequestStatus::kReopened,
                       .actor = StatusActor::kStaff,
                       .actor_name = "api:test",
                       .now = kNow + 10};
  auto refused = store().add_update(u);  // open → reopened is no transition
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().user_key, "requests.status.not_allowed");
  EXPECT_EQ(count("service_request_updates"), 1);
  u.status = RequestStatus::kFixed;
  ASSERT_TRUE(store().add_update(u));
  // A note keeps the status.
  u.description = "Nota";
  ASSERT_TRUE(store().add_update(u));
  // Reopen inside the window works; after it does not.
  u.status = RequestStatus::kReopened;
  u.now = kNow + 10 + 31 * 86400;
  auto late = store().add_update(u);
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().user_key, "requests.status.reopen_window_closed");
  u.now = kNow + 20;
  ASSERT_TRUE(store().add_update(u));
  EXPECT_EQ(query({{"service_request_id", created->folio}})[0].status, Open311Status::kOpen);
  u.folio = "ZZZZZZZZ";
  auto missing = store().add_update(u);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  auto updates = store().updates({.service_request_ids = {created->folio}});
  ASSERT_TRUE(updates);
  ASSERT_EQ(updates->size(), 4u);
  EXPECT_EQ((*updates)[1].status, RequestStatus::kFixed);
  EXPECT_EQ((*updates)[2].description, "Nota");
  EXPECT_EQ((*updates)[3].status, RequestStatus::kReopened);
}

// The Open311 list cache (ADR 0008) trusts list_version: every committed change to what a list
// shows moves it, and a change rolled back does not.
TEST_P(RequestStoreTest, ListVersionMovesWithEveryCommittedChangeToWhatListsShow) {
  auto version = [&] {
    auto v = store().list_version();
    EXPECT_TRUE(v) << (v ? "" : v.error().detail);
    return v ? *v : std::int64_t{-1};
  };
  const std::int64_t start = version();
  EXPECT_EQ(version(), start) << "reading changes nothing";
  auto created = file("luminaria-apagada", kZocalo);
  ASSERT_TRUE(created);
  const std::int64_t after_intake = version();
  EXPECT_GT(after_intake, start);

  RequestUpdateInput update;
  update.folio = created->folio;
  update.status = RequestStatus::kAcknowledged;
  update.actor = StatusActor::kStaff;
  update.actor_name = "staff:test";
  update.now = kNow + 60;
  ASSERT_TRUE(store().add_update(update));
  const std::int64_t after_update = version();
  EXPECT_GT(after_update, after_intake);

  // A service's name is in every list entry.
  db().with_session([&](soci::session& sql) {
    sql << "UPDATE services SET name_en = 'Street light out' WHERE code = 'luminaria-apagada'";
  });
  const std::int64_t after_rename = version();
  EXPECT_GT(after_rename, after_update);
  db().with_session([&](soci::session& sql) {
    sql << "UPDATE agencies SET name_en = name_en WHERE code = " + std::string("'sacmex'");
  });
  EXPECT_GT(version(), after_rename);

  const std::int64_t before_rollback = version();
  EXPECT_FALSE(db().transaction([&](soci::session& sql) -> Status {
    sql << "UPDATE service_requests SET status_notes = 'x'";
    return fail(Error::invalid("test.rollback", "rolled back on purpose"));
  }));
  EXPECT_EQ(version(), before_rollback);
  // A failed update (a transition the model refuses) changes nothing either.
  update.status = RequestStatus::kOpen;
  update.actor = StatusActor::kResident;
  EXPECT_FALSE(store().add_update(update));
  EXPECT_EQ(version(), before_rollback);
}

TEST_P(RequestStoreTest, TokensMapToTheirFolio) {
  auto created = file("vehiculo-abandonado", kZocalo);
  ASSERT_TRUE(created);
  auto folio = store().folio_for_token(created->token);
  ASSERT_TRUE(folio && *folio);
  EXPECT_EQ(**folio, created->folio);
  auto unknown = store().folio_for_token("nope");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(*unknown);
}

TEST_P(RequestStoreTest, ApiKeysAuthenticateUntilRevoked) {
  ApiKeyStore keys(db());
  auto issued = keys.add("app-cdmx", kNow);
  ASSERT_TRUE(issued);
  auto again = keys.add("app-cdmx", kNow);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  EXPECT_FALSE(keys.add("Bad Name", kNow));
  auto ok = keys.authenticate(issued->key);
  ASSERT_TRUE(ok && *ok);
  EXPECT_EQ((*ok)->name, "app-cdmx");
  EXPECT_FALSE(*keys.authenticate(issued->key + "x"));
  EXPECT_FALSE(*keys.authenticate(""));
  ASSERT_TRUE(keys.revoke(issued->record.id, kNow + 1));
  EXPECT_FALSE(*keys.authenticate(issued->key));
  EXPECT_EQ(keys.revoke(999, kNow).error().kind, ErrorKind::kNotFound);
  auto listed = keys.list();
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ(*(*listed)[0].revoked_at, kNow + 1);
  // The key itself is nowhere in the table.
  std::string hash;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT key_hash FROM open311_api_keys", soci::into(hash);
  });
  EXPECT_EQ(hash.find(issued->key), std::string::npos);
  EXPECT_EQ(hash.size(), 64u);
}

TEST_P(RequestStoreTest, DemoSeedRoutesAndIsIdempotent) {
  ASSERT_TRUE(seed_demo_requests(db(), kNow));
  const long long seeded = count("service_requests");
  EXPECT_GE(seeded, kDemoRequestCount - 10);
  ASSERT_TRUE(seed_demo_requests(db(), kNow));
  EXPECT_EQ(count("service_requests"), seeded);
  auto key = ApiKeyStore(db()).authenticate(std::string(kDemoApiKey));
  ASSERT_TRUE(key && *key);
  // Water goes to SACMEX, potholes to the alcaldía of the point.
  long long wrong = -1;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT COUNT(*) FROM service_requests WHERE "
           "(service_code = 'fuga-de-agua' AND agency_code <> 'sacmex') OR "
           "(service_code = 'bache' AND agency_code <> 'alcaldia-' || area_code)",
        soci::into(wrong);
  });
  EXPECT_EQ(wrong, 0);
  auto all = query({}, kNow);
  EXPECT_GE(all.size(), 300u);
  std::set<Open311Status> statuses;
  for (const auto& r : all) statuses.insert(r.status);
  EXPECT_EQ(statuses.size(), 2u);
  // Requests filed after the seed follow its rules.
  auto created = file("fuga-de-agua", kMilpaAlta);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->agency_code, "sacmex");
  EXPECT_EQ(file("bache", kMilpaAlta)->agency_code, "alcaldia-09009");
}

ZOCALO_INSTANTIATE_DB_TEST(RequestStoreTest);

}  // namespace
}  // namespace zocalo::requests
