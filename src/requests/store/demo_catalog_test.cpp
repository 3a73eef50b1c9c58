#include "requests/store/demo_catalog.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "db_fixture.hpp"
#include "platform/core/assets.hpp"
#include "portal/store/agency_store.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/model/catalog_import.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

Result<std::vector<Service>> embedded_catalog() {
  const auto file = assets::find(kDemoCatalogFile);
  if (!file) return fail(Error::internal("not embedded"));
  return parse_catalog_json(*file);
}

TEST(DemoCatalogFileTest, IsBilingualAndExercisesEveryDatatype) {
  auto services = embedded_catalog();
  ASSERT_TRUE(services) << services.error().detail;
  EXPECT_GE(services->size(), 15u);
  std::set<AttributeDatatype> datatypes;
  bool information_only = false;
  for (const Service& s : *services) {
    EXPECT_FALSE(s.name.en.empty()) << s.code;
    EXPECT_FALSE(s.description.es.empty()) << s.code;
    EXPECT_FALSE(s.description.en.empty()) << s.code;
    EXPECT_FALSE(s.group.es.empty()) << s.code;
    EXPECT_FALSE(s.group.en.empty()) << s.code;
    EXPECT_GE(s.keywords.size(), 4u) << s.code;
    EXPECT_GT(s.sla_hours, 0) << s.code;
    for (const AttributeDefinition& a : s.attributes) {
      datatypes.insert(a.datatype);
      information_only = information_only || !a.variable;
    }
  }
  EXPECT_EQ(datatypes.size(), 6u);
  EXPECT_TRUE(information_only);
}

class DemoCatalogTest : public testing::DbTest {};

std::string snapshot(db::Database& db) {
  std::string out;
  db.with_session([&](soci::session& sql) {
    long long id = 0;
    std::string code;
    int active = 0;
    soci::statement st = (sql.prepare << "SELECT id, code, active FROM services ORDER BY id",
                          soci::into(id), soci::into(code), soci::into(active));
    st.execute();
    while (st.fetch()) out += std::to_string(id) + code + std::to_string(active) + ";";
    long long attributes = 0;
    sql << "SELECT COUNT(*) FROM service_attributes", soci::into(attributes);
    out += std::to_string(attributes);
  });
  return out;
}

TEST_P(DemoCatalogTest, ImportsOnTheDemoAgenciesAndIsIdempotent) {
  ASSERT_TRUE(portal::seed_demo(db()));
  const Status first = seed_demo_catalog(db());
  ASSERT_TRUE(first) << first.error().detail;
  ServiceStore store(db());
  auto services = store.list();
  ASSERT_TRUE(services) << services.error().detail;
  auto expected = embedded_catalog();
  ASSERT_TRUE(expected);
  EXPECT_EQ(services->size(), expected->size());
  const auto leak = std::find_if(services->begin(), services->end(),
                                 [](const Service& s) { return s.code == "fuga-de-agua"; });
  ASSERT_NE(leak, services->end());
  EXPECT_EQ(leak->agency_code, "sacmex");
  EXPECT_EQ(leak->attributes.size(), 1u);

  const std::string before = snapshot(db());
  ASSERT_TRUE(seed_demo_catalog(db()));
  EXPECT_EQ(snapshot(db()), before);
  auto again = store.list();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->size(), services->size());
}

TEST_P(DemoCatalogTest, WithoutTheDemoAgenciesNothingIsImported) {
  const Status result = seed_demo_catalog(db());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().detail.find("is not an agency"), std::string::npos)
      << result.error().detail;
  auto services = ServiceStore(db()).list(true);
  ASSERT_TRUE(services);
  EXPECT_TRUE(services->empty());
}

ZOCALO_INSTANTIATE_DB_TEST(DemoCatalogTest);

}  // namespace
}  // namespace zocalo::requests
