#include "portal/store/demo_seed.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "db_fixture.hpp"
#include "portal/store/agency_store.hpp"
#include "portal/store/area_store.hpp"

namespace zocalo::portal {
namespace {

class DemoSeedTest : public testing::DbTest {};

const Agency* find_agency(const std::vector<Agency>& agencies, std::string_view code) {
  const auto it = std::find_if(agencies.begin(), agencies.end(),
                               [&](const Agency& a) { return a.code == code; });
  return it == agencies.end() ? nullptr : &*it;
}

TEST_P(DemoSeedTest, SeedsTheSixteenAlcaldiasAndTheCityAgencies) {
  ASSERT_TRUE(seed_demo(db()));
  auto areas = AreaStore(db()).list("alcaldia");
  ASSERT_TRUE(areas) << areas.error().detail;
  ASSERT_EQ(areas->size(), 16u);
  const auto iztapalapa =
      std::find_if(areas->begin(), areas->end(), [](const Area& a) { return a.code == "09007"; });
  ASSERT_NE(iztapalapa, areas->end());
  EXPECT_EQ(iztapalapa->name, "Iztapalapa");
  EXPECT_LT(iztapalapa->bounds.min_lon, iztapalapa->bounds.max_lon);
  EXPECT_GT(iztapalapa->id, 0);

  auto agencies = AgencyStore(db()).list();
  ASSERT_TRUE(agencies) << agencies.error().detail;
  const auto alcaldia_agencies = std::count_if(
      agencies->begin(), agencies->end(), [](const Agency& a) { return a.kind == "alcaldia"; });
  EXPECT_EQ(alcaldia_agencies, 16);
  const Agency* borough = find_agency(*agencies, "alcaldia-09007");
  ASSERT_NE(borough, nullptr);
  EXPECT_EQ(borough->name_es, "Alcaldía Iztapalapa");
  EXPECT_EQ(borough->area_code, "09007");
  for (const std::string_view code : {"adip", "sobse", "sacmex", "sedema", "locatel", "ssc"}) {
    const Agency* agency = find_agency(*agencies, code);
    ASSERT_NE(agency, nullptr) << code;
    EXPECT_EQ(agency->kind, "city");
    EXPECT_FALSE(agency->area_code) << code;
    EXPECT_FALSE(agency->name_en.empty());
  }
  EXPECT_EQ(find_agency(*agencies, "adip")->name_es, "Agencia Digital de Innovación Pública");
}

TEST_P(DemoSeedTest, SeedingAgainChangesNothing) {
  ASSERT_TRUE(seed_demo(db()));
  auto areas_before = AreaStore(db()).list("alcaldia");
  auto agencies_before = AgencyStore(db()).list();
  ASSERT_TRUE(areas_before && agencies_before);
  ASSERT_TRUE(seed_demo(db()));
  auto areas_after = AreaStore(db()).list("alcaldia");
  auto agencies_after = AgencyStore(db()).list();
  ASSERT_TRUE(areas_after && agencies_after);
  ASSERT_EQ(areas_after->size(), areas_before->size());
  ASSERT_EQ(agencies_after->size(), agencies_before->size());
  for (std::size_t i = 0; i < areas_after->size(); ++i) {
    EXPECT_EQ((*areas_after)[i].id, (*areas_before)[i].id);
    EXPECT_EQ((*areas_after)[i].code, (*areas_before)[i].code);
  }
  for (std::size_t i = 0; i < agencies_after->size(); ++i) {
    EXPECT_EQ((*agencies_after)[i].id, (*agencies_before)[i].id);
  }
}

TEST_P(DemoSeedTest, UpsertUpdatesByCode) {
  ASSERT_TRUE(seed_demo(db()));
  ASSERT_TRUE(db().transaction([](soci::session& sql) -> Status {
    AgencyStore::upsert(sql, {.code = "adip",
                              .name_es = "Agencia Digital (renombrada)",
                              .name_en = "Digital Agency (renamed)",
                              .kind = "city"});
    AgencyStore::upsert(sql, {.code = "nueva",
                              .name_es = "Nueva",
                              .name_en = "New",
                              .kind = "alcaldia",
                              .area_code = "09999"});  // unknown area: no link
    return {};
  }));
  auto agencies = AgencyStore(db()).list();
  ASSERT_TRUE(agencies);
  EXPECT_EQ(find_agency(*agencies, "adip")->name_es, "Agencia Digital (renombrada)");
  ASSERT_NE(find_agency(*agencies, "nueva"), nullptr);
  EXPECT_FALSE(find_agency(*agencies, "nueva")->area_code);
}

TEST_P(DemoSeedTest, EmptyDatabaseListsNothing) {
  auto areas = AreaStore(db()).list("alcaldia");
  ASSERT_TRUE(areas);
  EXPECT_TRUE(areas->empty());
  auto agencies = AgencyStore(db()).list();
  ASSERT_TRUE(agencies);
  EXPECT_TRUE(agencies->empty());
}

TEST_P(DemoSeedTest, BoundingBoxesFindTheAlcaldiaOfAPoint) {
  ASSERT_TRUE(seed_demo(db()));
  // The Zócalo (Plaza de la Constitución) lies in Cuauhtémoc.
  std::vector<std::string> codes;
  ASSERT_TRUE(db().read([&](soci::session& sql) -> Status {
    std::string code;
    const double lon = -99.1332;
    const double lat = 19.4326;
    soci::statement st =
        (sql.prepare << "SELECT code FROM areas WHERE min_lon <= :lon AND "
                        ":lon2 <= max_lon AND min_lat <= :lat AND :lat2 <= max_lat",
         soci::into(code), soci::use(lon), soci::use(lon), soci::use(lat), soci::use(lat));
    st.execute();
    while (st.fetch()) codes.push_back(code);
    return {};
  }));
  EXPECT_NE(std::find(codes.begin(), codes.end(), "09015"), codes.end());
}

TEST_P(DemoSeedTest, PostgisGeometryFollowsTheGeoJson) {
  if (!postgres()) GTEST_SKIP() << "geom exists on PostgreSQL only";
  ASSERT_TRUE(seed_demo(db()));
  std::string zocalo_code;
  std::string iztapalapa_code;
  long long valid = 0;
  ASSERT_TRUE(db().read([&](soci::session& sql) -> Status {
    sql << "SELECT code FROM areas WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(-99.1332, "
           "19.4326), 4326))",
        soci::into(zocalo_code);
    sql << "SELECT code FROM areas WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(-99.0573, "
           "19.3574), 4326))",
        soci::into(iztapalapa_code);
    sql << "SELECT count(*) FROM areas WHERE ST_IsValid(geom) AND "
           "GeometryType(geom) = 'MULTIPOLYGON'",
        soci::into(valid);
    return {};
  }));
  EXPECT_EQ(zocalo_code, "09015");
  EXPECT_EQ(iztapalapa_code, "09007");
  EXPECT_EQ(valid, 16);
}

ZOCALO_INSTANTIATE_DB_TEST(DemoSeedTest);

}  // namespace
}  // namespace zocalo::portal
