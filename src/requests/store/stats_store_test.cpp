// The public figures and the open-data rows on both databases, from a known set of requests
// with exact expected numbers: medians in working hours and calendar days, on-time share,
// reopen rate, open requests per alcaldía, and exports without personal data.
#include "requests/store/stats_store.hpp"

#include <gtest/gtest.h>

#include <string>

#include "db_fixture.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/export_format.hpp"
#include "requests/store/export_store.hpp"

namespace zocalo::requests {
namespace {

// Monday 5 October 2026, 09:00 in Mexico City (15:00 UTC): a working day.
constexpr std::int64_t kMon9 = 1'791'212'400;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDaySec = 86400;
constexpr std::int64_t kSince = kMon9 - 7 * kDaySec;
constexpr std::int64_t kUntil = kMon9 + 30 * kDaySec;

class StatsStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    // folio, service, agency, status, area, requested, closed, expected, private
    add("AAAA0001", "fuga-de-agua", "sacmex", "fixed", "09007", kMon9, kMon9 + 4 * kHour,
        kMon9 + 9 * kHour, true);
    add("AAAA0002", "fuga-de-agua", "sacmex", "fixed", "09015", kMon9, kMon9 + 26 * kHour,
        kMon9 + 9 * kHour, false);
    add("AAAA0003", "fuga-de-agua", "sacmex", "open", "09015", kMon9 + kHour, -1,
        kMon9 + 20 * kHour, false);
    add("AAAA0004", "falta-de-agua", "sacmex", "closed_not_fixed", "", kMon9, kMon9 + 2 * kDaySec,
        kMon9 + 2 * kDaySec, false);
    add("AAAA0005", "luminaria-apagada", "sobse", "reopened", "09015", kMon9, -1, -1, false);
    // Before the period: counted on the map (open now), not in the figures or exports.
    add("AAAA0006", "luminaria-apagada", "sobse", "open", "09003", kSince - kDaySec, -1, -1, false);
    update("AAAA0002", "reopened", kMon9 + 10 * kHour);
    update("AAAA0005", "fixed", kMon9 + kHour);
    update("AAAA0005", "reopened", kMon9 + 2 * kHour);
  }

  void add(const std::string& folio, const std::string& service, const std::string& agency,
           const std::string& status, const std::string& area, std::int64_t requested,
           std::int64_t closed, std::int64_t expected, bool is_private) {
    db().with_session([&](soci::session& sql) {
      long long req = requested, cl = closed, ex = expected;
      int priv = is_private ? 1 : 0;
      soci::indicator area_ind = area.empty() ? soci::i_null : soci::i_ok;
      soci::indicator cl_ind = closed < 0 ? soci::i_null : soci::i_ok;
      soci::indicator ex_ind = expected < 0 ? soci::i_null : soci::i_ok;
      std::string token = "tok-" + folio;
      sql << "INSERT INTO service_requests (folio, token, service_code, status, lat, lon, "
             "area_code, agency_code, description, email, first_name, last_name, phone, "
             "device_id, account_id, channel, requested_at, updated_at, expected_at, closed_at, "
             "private) VALUES (:folio, :token, :service, :status, 19.4326081, -99.1332079, "
             ":area, :agency, 'Fuga \"grande\", en la esquina', 'secreto@example.org', "
             "'Zacarías', 'Unicornio', '5512345678', 'device-xyz', '42', 'web', :req, :upd, "
             ":ex, :cl, :priv)",
          soci::use(folio), soci::use(token), soci::use(service), soci::use(status),
          soci::use(area, area_ind), soci::use(agency), soci::use(req), soci::use(req),
          soci::use(ex, ex_ind), soci::use(cl, cl_ind), soci::use(priv);
    });
  }

  void update(const std::string& folio, const std::string& status, std::int64_t at) {
    db().with_session([&](soci::session& sql) {
      long long when = at;
      sql << "INSERT INTO service_request_updates (request_id, status, actor, created_at) "
             "SELECT id, :status, 'resident', :at FROM service_requests WHERE folio = :folio",
          soci::use(status), soci::use(when), soci::use(folio);
    });
  }

  static const GroupRow* find(const std::vector<GroupRow>& rows, const std::string& code) {
    for (const GroupRow& r : rows) {
      if (r.code == code) return &r;
    }
    return nullptr;
  }
};

TEST_P(StatsStoreTest, FiguresPerServiceAgencyAndTotal) {
  auto report = StatsStore(db()).figures(kSince, kUntil);
  ASSERT_TRUE(report) << report.error().detail;
  ASSERT_EQ(report->by_service.size(), 3u);

  const GroupRow* fuga = find(report->by_service, "fuga-de-agua");
  ASSERT_NE(fuga, nullptr);
  EXPECT_EQ(fuga->name.es, "Fuga de agua");
  EXPECT_EQ(fuga->figures.volume, 3);
  EXPECT_EQ(fuga->figures.open_now, 1);
  EXPECT_EQ(fuga->figures.closed, 2);
  // 4 h (same morning) and 11 h (Mon 09-18 = 9, Tue 09-11 = 2): median 7.5.
  EXPECT_DOUBLE_EQ(*fuga->figures.median_working_hours, 7.5);
  // 4/24 and 26/24 days: median 15/24.
  EXPECT_DOUBLE_EQ(*fuga->figures.median_calendar_days, 15.0 / 24.0);
  EXPECT_DOUBLE_EQ(*fuga->figures.within_sla_percent, 50);
  EXPECT_DOUBLE_EQ(*fuga->figures.reopen_percent, 50);

  const GroupRow* falta = find(report->by_service, "falta-de-agua");
  ASSERT_NE(falta, nullptr);
  EXPECT_DOUBLE_EQ(*falta->figures.median_working_hours, 18);  // Mon and Tue, 9 h each
  EXPECT_DOUBLE_EQ(*falta->figures.median_calendar_days, 2);
  EXPECT_DOUBLE_EQ(*falta->figures.within_sla_percent, 100);  // closed at the due second
  EXPECT_DOUBLE_EQ(*falta->figures.reopen_percent, 0);

  const GroupRow* luz = find(report->by_service, "luminaria-apagada");
  ASSERT_NE(luz, nullptr);
  EXPECT_EQ(luz->figures.volume, 1);  // AAAA0006 is before the period
  EXPECT_EQ(luz->figures.open_now, 1);
  EXPECT_FALSE(luz->figures.median_working_hours);
  EXPECT_FALSE(luz->figures.within_sla_percent);
  EXPECT_DOUBLE_EQ(*luz->figures.reopen_percent, 100);

  const GroupRow* sacmex = find(report->by_agency, "sacmex");
  ASSERT_NE(sacmex, nullptr);
  EXPECT_EQ(sacmex->figures.volume, 4);
  EXPECT_DOUBLE_EQ(*sacmex->figures.median_working_hours, 11);
  EXPECT_DOUBLE_EQ(*sacmex->figures.median_calendar_days, 26.0 / 24.0);
  EXPECT_DOUBLE_EQ(*sacmex->figures.within_sla_percent, 66.7);
  EXPECT_DOUBLE_EQ(*sacmex->figures.reopen_percent, 33.3);
  ASSERT_NE(find(report->by_agency, "sobse"), nullptr);

  EXPECT_EQ(report->total.volume, 5);
  EXPECT_EQ(report->total.open_now, 2);
  EXPECT_EQ(report->total.closed, 3);
  EXPECT_DOUBLE_EQ(*report->total.reopen_percent, 50);  // 2 of 4 closed at some point
}

TEST_P(StatsStoreTest, AnEmptyPeriodHasNoFigures) {
  auto report = StatsStore(db()).figures(kUntil, kUntil + kDaySec);
  ASSERT_TRUE(report) << report.error().detail;
  EXPECT_TRUE(report->by_service.empty());
  EXPECT_EQ(report->total.volume, 0);
  EXPECT_FALSE(report->total.median_calendar_days);
}

TEST_P(StatsStoreTest, OpenRequestsPerAlcaldiaOfAnyAge) {
  auto areas = StatsStore(db()).open_by_area();
  ASSERT_TRUE(areas) << areas.error().detail;
  EXPECT_EQ(areas->size(), 16u);
  long long cuauhtemoc = -1, coyoacan = -1, iztapalapa = -1;
  for (const AreaOpenCount& a : *areas) {
    EXPECT_FALSE(a.geojson.empty()) << a.code;
    if (a.code == "09015") cuauhtemoc = a.open;
    if (a.code == "09003") coyoacan = a.open;
    if (a.code == "09007") iztapalapa = a.open;
  }
  EXPECT_EQ(cuauhtemoc, 2);  // open + reopened
  EXPECT_EQ(coyoacan, 1);    // older than any period, still open
  EXPECT_EQ(iztapalapa, 0);  // its only request is fixed
}

TEST_P(StatsStoreTest, ExportsPageAndCarryNoPersonalData) {
  ExportStore store(db());
  auto first = store.page(kSince, kUntil, 1, 3);
  ASSERT_TRUE(first) << first.error().detail;
  ASSERT_EQ(first->rows.size(), 3u);
  EXPECT_TRUE(first->has_more);
  auto second = store.page(kSince, kUntil, 2, 3);
  ASSERT_TRUE(second) << second.error().detail;
  ASSERT_EQ(second->rows.size(), 2u);
  EXPECT_FALSE(second->has_more);
  // Oldest first; ties by id: AAAA0001, 0002, 0004, 0005, then 0003 an hour later.
  EXPECT_EQ(first->rows[0].folio, "AAAA0001");
  EXPECT_EQ(second->rows[1].folio, "AAAA0003");

  const ExportRow& priv = first->rows[0];
  EXPECT_TRUE(priv.is_private);
  EXPECT_EQ(priv.description, "");
  ASSERT_TRUE(priv.point);
  EXPECT_DOUBLE_EQ(priv.point->lat, 19.433);
  EXPECT_DOUBLE_EQ(priv.point->lon, -99.133);
  EXPECT_EQ(priv.area_name, "Iztapalapa");
  EXPECT_EQ(first->rows[1].description, "Fuga \"grande\", en la esquina");

  std::vector<ExportRow> all = first->rows;
  all.insert(all.end(), second->rows.begin(), second->rows.end());
  for (const std::string& out : {to_csv(all), to_geojson(all)}) {
    for (const char* secret :
         {"secreto@example.org", "Zacar", "Unicornio", "5512345678", "device-xyz"}) {
      EXPECT_EQ(out.find(secret), std::string::npos) << secret;
    }
  }
  const std::string csv = to_csv(all);
  EXPECT_EQ(csv.rfind("folio,service_code,service_name,status,", 0), 0u);
  EXPECT_NE(csv.find(",\"Fuga \"\"grande\"\", en la esquina\","), std::string::npos);
  EXPECT_NE(csv.find("19.433,-99.133,,1\r\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("19.4326081,-99.1332079,"), std::string::npos);
}

ZOCALO_INSTANTIATE_DB_TEST(StatsStoreTest);

}  // namespace
}  // namespace zocalo::requests
