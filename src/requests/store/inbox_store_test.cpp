// The staff inbox and the operator's caller lookup on both databases: agency scope, filters,
// sorts, paging, counts, overdue flags and the full view of one request.
#include "requests/store/inbox_store.hpp"

#include <gtest/gtest.h>

#include <string>

#include "db_fixture.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/request_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

// 2026-11-02T18:00:00Z, a Monday, noon in Mexico City.
constexpr std::int64_t kNow = 1793642400;
constexpr std::int64_t kDay = 24 * 3600;
constexpr GeoPoint kZocalo{-99.1332, 19.4326};      // Cuauhtémoc 09015
constexpr GeoPoint kIztapalapa{-99.0573, 19.3574};  // Iztapalapa 09007

class InboxStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    locator_ = std::make_unique<AreaLocator>(db());
  }

  // bache → sobse (72 working hours), fuga-de-agua → sacmex (24), as the demo catalog says.
  std::string file(const std::string& code, GeoPoint point, std::int64_t at,
                   const std::string& phone = "", const std::string& account = "") {
    auto service = ServiceStore(db()).find(code);
    EXPECT_TRUE(service && *service);
    NewServiceRequest r;
    r.service_code = code;
    r.point = point;
    r.description = "Descripción";
    r.contact.email = "vecina@example.org";
    r.contact.first_name = "Rosa";
    r.contact.phone = phone;
    r.contact.account_id = account;
    r.channel = "web";
    r.requested_at = at;
    auto created = RequestStore(db(), *locator_).create(r, **service);
    EXPECT_TRUE(created) << (created ? "" : created.error().detail);
    return created ? created->folio : "";
  }

  void move(const std::string& folio, RequestStatus to, std::int64_t at, bool is_public = true) {
    RequestUpdateInput u;
    u.folio = folio;
    u.status = to;
    u.actor_name = "staff:1";
    u.description = is_public ? "nota pública" : "nota interna";
    u.is_public = is_public;
    u.now = at;
    auto done = RequestStore(db(), *locator_).add_update(u);
    ASSERT_TRUE(done) << done.error().detail;
  }

  InboxPage list(InboxQuery q) {
    if (q.now == 0) q.now = kNow;
    auto page = InboxStore(db()).list(q);
    EXPECT_TRUE(page) << (page ? "" : page.error().detail);
    return page ? *page : InboxPage{};
  }

  static std::vector<std::string> folios(const InboxPage& page) {
    std::vector<std::string> out;
    for (const auto& r : page.rows) out.push_back(r.folio);
    return out;
  }

  std::unique_ptr<AreaLocator> locator_;
};

TEST_P(InboxStoreTest, ListsOnlyTheRequestsOfTheGivenAgencies) {
  const std::string b1 = file("bache", kZocalo, kNow - 3 * kDay);
  const std::string b2 = file("bache", kIztapalapa, kNow - 2 * kDay);
  const std::string f1 = file("fuga-de-agua", kZocalo, kNow - kDay);

  InboxPage sobse = list({.agency_codes = {"sobse"}});
  EXPECT_EQ(folios(sobse), (std::vector<std::string>{b1, b2}));  // oldest first
  EXPECT_EQ(sobse.total, 2);
  EXPECT_EQ(sobse.counts[RequestStatus::kOpen], 2);

  InboxPage sacmex = list({.agency_codes = {"sacmex"}});
  EXPECT_EQ(folios(sacmex), std::vector<std::string>{f1});
  EXPECT_EQ(sacmex.counts[RequestStatus::kOpen], 1);

  EXPECT_EQ(list({.all_agencies = true}).total, 3);
  // No agency and not an admin: nothing at all.
  EXPECT_EQ(list({}).total, 0);
  EXPECT_TRUE(list({}).counts.empty());
}

TEST_P(InboxStoreTest, FiltersByStatusServiceAreaAndReopened) {
  const std::string a = file("bache", kZocalo, kNow - 3 * kDay);
  const std::string b = file("bache", kIztapalapa, kNow - 2 * kDay);
  const std::string c = file("fuga-de-agua", kIztapalapa, kNow - kDay);
  move(a, RequestStatus::kFixed, kNow - 2 * kDay);
  move(a, RequestStatus::kReopened, kNow - kDay);  // staff may reopen too
  move(b, RequestStatus::kInProgress, kNow - kDay);

  EXPECT_EQ(folios(list({.all_agencies = true, .status = RequestStatus::kReopened})),
            std::vector<std::string>{a});
  EXPECT_EQ(folios(list({.all_agencies = true, .status = RequestStatus::kInProgress})),
            std::vector<std::string>{b});
  EXPECT_EQ(folios(list({.all_agencies = true, .service_code = "fuga-de-agua"})),
            std::vector<std::string>{c});
  EXPECT_EQ(folios(list({.all_agencies = true, .area_code = "09007"})),
            (std::vector<std::string>{b, c}));
  EXPECT_EQ(folios(list({.all_agencies = true, .service_code = "bache", .area_code = "09007"})),
            std::vector<std::string>{b});

  move(c, RequestStatus::kFixed, kNow);
  InboxPage open = list({.all_agencies = true, .open_only = true});
  EXPECT_EQ(folios(open), (std::vector<std::string>{a, b}));
  EXPECT_EQ(open.counts[RequestStatus::kFixed], 1);
  EXPECT_EQ(open.counts[RequestStatus::kReopened], 1);
  EXPECT_EQ(open.counts[RequestStatus::kInProgress], 1);
}

TEST_P(InboxStoreTest, OverdueMeansPastTheDueTimeAndNotClosed) {
  const std::string late = file("bache", kZocalo, kNow - 30 * kDay);
  const std::string late_but_fixed = file("bache", kZocalo, kNow - 29 * kDay);
  const std::string fresh = file("bache", kZocalo, kNow - 3600);
  move(late_but_fixed, RequestStatus::kFixed, kNow - kDay);

  InboxPage all = list({.agency_codes = {"sobse"}});
  ASSERT_EQ(all.rows.size(), 3u);
  EXPECT_TRUE(all.rows[0].overdue);
  EXPECT_FALSE(all.rows[1].overdue);  // closed: the SLA clock stopped
  EXPECT_FALSE(all.rows[2].overdue);
  ASSERT_TRUE(all.rows[2].expected_at);
  EXPECT_GT(*all.rows[2].expected_at, kNow);
  EXPECT_EQ(all.overdue, 1);

  EXPECT_EQ(folios(list({.agency_codes = {"sobse"}, .overdue = true})),
            std::vector<std::string>{late});
  // The same request is not overdue a month earlier.
  EXPECT_EQ(list({.agency_codes = {"sobse"}, .overdue = true, .now = kNow - 29 * kDay}).total, 0);
  (void)fresh;
}

TEST_P(InboxStoreTest, SortsByAgeOrBySlaDueAndPages) {
  // The pothole waited longer; the leak is due sooner (24 working hours against 72).
  const std::string pothole = file("bache", kZocalo, kNow - 2 * 3600);
  const std::string leak = file("fuga-de-agua", kZocalo, kNow - 3600);
  EXPECT_EQ(folios(list({.all_agencies = true})), (std::vector<std::string>{pothole, leak}));
  EXPECT_EQ(folios(list({.all_agencies = true, .sort = InboxSort::kDue})),
            (std::vector<std::string>{leak, pothole}));

  const std::string third = file("bache", kZocalo, kNow - 600);
  InboxPage second = list({.all_agencies = true, .page = 2, .page_size = 2});
  EXPECT_EQ(folios(second), std::vector<std::string>{third});
  EXPECT_EQ(second.total, 3);
  EXPECT_FALSE(InboxStore(db()).list({.all_agencies = true, .page = 0}));
  EXPECT_FALSE(InboxStore(db()).list({.all_agencies = true, .page_size = 101}));
}

TEST_P(InboxStoreTest, FindShowsStaffEverythingIncludingInternalNotes) {
  const std::string folio = file("bache", kZocalo, kNow - kDay, "+52 55 1234 5678", "42");
  move(folio, RequestStatus::kAcknowledged, kNow - 3600);
  move(folio, RequestStatus::kAcknowledged, kNow, false);
  auto found = InboxStore(db()).find(folio);
  ASSERT_TRUE(found && *found);
  const StaffRequest& r = **found;
  EXPECT_EQ(r.status, RequestStatus::kAcknowledged);
  EXPECT_EQ(r.agency_code, "sobse");
  EXPECT_GT(r.agency_id, 0);
  EXPECT_EQ(r.area_code, "09015");
  EXPECT_FALSE(r.area_name.empty());
  EXPECT_EQ(r.email, "vecina@example.org");
  EXPECT_EQ(r.first_name, "Rosa");
  EXPECT_EQ(r.phone, "+52 55 1234 5678");
  EXPECT_EQ(r.account_id, "42");
  ASSERT_TRUE(r.lat && r.lon);
  EXPECT_NEAR(*r.lat, kZocalo.lat, 1e-9);
  ASSERT_EQ(r.updates.size(), 3u);
  EXPECT_TRUE(r.updates[1].is_public);
  EXPECT_FALSE(r.updates[2].is_public);
  EXPECT_EQ(r.updates[2].description, "nota interna");
  EXPECT_FALSE(*InboxStore(db()).find("0000000Z"));
}

TEST_P(InboxStoreTest, CallerRequestsByAccountPhoneOrEmailOpenOnly) {
  const std::string by_phone = file("bache", kZocalo, kNow - 3 * kDay, "5512345678");
  const std::string by_account = file("bache", kZocalo, kNow - 2 * kDay, "", "77");
  const std::string closed = file("bache", kZocalo, kNow - kDay, "5512345678");
  move(closed, RequestStatus::kFixed, kNow);
  InboxStore store(db());
  auto phone = store.for_caller({.phone = "5512345678"}, kNow);
  ASSERT_TRUE(phone);
  ASSERT_EQ(phone->size(), 1u);
  EXPECT_EQ(phone->front().folio, by_phone);
  auto account = store.for_caller({.account_id = 77}, kNow);
  ASSERT_TRUE(account);
  ASSERT_EQ(account->size(), 1u);
  EXPECT_EQ(account->front().folio, by_account);
  auto both = store.for_caller({.account_id = 77, .phone = "5512345678", .open_only = false}, kNow);
  ASSERT_TRUE(both);
  EXPECT_EQ(both->size(), 3u);  // newest first
  EXPECT_EQ(both->front().folio, closed);
  auto nothing = store.for_caller({}, kNow);
  ASSERT_TRUE(nothing);
  EXPECT_TRUE(nothing->empty());
}

TEST_P(InboxStoreTest, AgenciesAndAreasForTheForms) {
  auto agencies = InboxStore(db()).agencies();
  ASSERT_TRUE(agencies);
  EXPECT_TRUE(std::any_of(agencies->begin(), agencies->end(),
                          [](const AgencyRef& a) { return a.code == "sobse" && a.id > 0; }));
  auto areas = InboxStore(db()).areas();
  ASSERT_TRUE(areas);
  EXPECT_EQ(areas->size(), 16u);
}

ZOCALO_INSTANTIATE_DB_TEST(InboxStoreTest);

}  // namespace
}  // namespace zocalo::requests
