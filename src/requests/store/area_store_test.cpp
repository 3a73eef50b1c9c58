// Importing areas on both databases: all or nothing, --replace guarded by routing rules and
// agencies, and the change seen at once by AreaLocator (PostGIS on PostgreSQL, the cached
// index on SQLite).
#include "requests/store/area_store.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "platform/core/assets.hpp"
#include "requests/store/area_locator.hpp"
#include "requests/store/routing_store.hpp"

namespace zocalo::requests {
namespace {

std::string square(double lon0, double lat0, double lon1, double lat1) {
  auto p = [](double lon, double lat) {
    return "[" + std::to_string(lon) + "," + std::to_string(lat) + "]";
  };
  return R"({"type":"Polygon","coordinates":[[)" + p(lon0, lat0) + "," + p(lon1, lat0) + "," +
         p(lon1, lat1) + "," + p(lon0, lat1) + "," + p(lon0, lat0) + "]]}";
}

std::string area(const std::string& code, const std::string& name, const std::string& geometry) {
  return R"({"type":"Feature","properties":{"code":")" + code + R"(","name":")" + name +
         R"("},"geometry":)" + geometry + "}";
}

std::vector<ImportedArea> parse(const std::vector<std::string>& features) {
  std::string json = R"({"type":"FeatureCollection","features":[)";
  for (std::size_t i = 0; i < features.size(); ++i) json += (i ? "," : "") + features[i];
  auto parsed = parse_area_collection(json + "]}");
  EXPECT_TRUE(parsed) << parsed.error().detail;
  return parsed ? *parsed : std::vector<ImportedArea>{};
}

class AreaStoreTest : public testing::DbTest {
 protected:
  std::optional<std::string> locate(AreaLocator& locator, double lon, double lat) {
    auto found = locator.locate({lon, lat});
    EXPECT_TRUE(found) << found.error().detail;
    return found ? *found : std::nullopt;
  }
  void add_agency(const std::string& code) {
    ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
      sql << "INSERT INTO agencies (code, name_es, name_en, kind) "
             "VALUES (:c, 'Agencia', 'Agency', 'city')",
          soci::use(code);
      return {};
    }));
  }
};

TEST_P(AreaStoreTest, ImportsUpsertsAndTheLocatorSeesItAtOnce) {
  AreaStore store(db());
  AreaLocator locator(db());
  EXPECT_EQ(locate(locator, -99.15, 19.35), std::nullopt);  // loads the (empty) index
  auto done = store.import(parse({area("norte", "Norte", square(-99.2, 19.3, -99.1, 19.4)),
                                  area("sur", "Sur", square(-99.2, 19.2, -99.1, 19.3))}),
                           false);
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_EQ(done->written, 2u);
  // Within the 30-second recheck window: the import told every locator.
  EXPECT_EQ(locate(locator, -99.15, 19.35), "norte");
  EXPECT_EQ(locate(locator, -99.15, 19.25), "sur");

  // Redrawn: "norte" shrinks to its western half (same names, new boundary).
  ASSERT_TRUE(store.import(
      parse({area("norte", "Norte Centro", square(-99.2, 19.3, -99.15, 19.4))}), false));
  EXPECT_EQ(locate(locator, -99.12, 19.35), std::nullopt);
  EXPECT_EQ(locate(locator, -99.18, 19.35), "norte");
  auto list = store.list();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].code, "norte");
  EXPECT_EQ((*list)[0].name, "Norte Centro");
  EXPECT_EQ((*list)[0].positions, 5u);
  EXPECT_EQ((*list)[1].code, "sur");  // merge keeps areas not in the file
}

TEST_P(AreaStoreTest, ReplaceIsRefusedWhileARuleNamesAnAreaItWouldRemove) {
  AreaStore store(db());
  AreaLocator locator(db());
  ASSERT_TRUE(store.import(parse({area("norte", "Norte", square(-99.2, 19.3, -99.1, 19.4)),
                                  area("sur", "Sur", square(-99.2, 19.2, -99.1, 19.3))}),
                           false));
  add_agency("obras");
  RoutingStore rules(db());
  ASSERT_TRUE(rules.put({{"*", "sur", "obras"}}));
  EXPECT_EQ(locate(locator, -99.15, 19.25), "sur");

  auto refused =
      store.import(parse({area("norte", "Norte Nuevo", square(-99.2, 19.3, -99.1, 19.4))}), true);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(refused.error().user_key, "requests.areas.in_use");
  EXPECT_NE(refused.error().detail.find("sur (1 routing rule(s))"), std::string::npos)
      << refused.error().detail;
  // Nothing changed: not even the name of the area that was in the file.
  auto list = store.list();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "Norte");
  EXPECT_EQ((*list)[1].rules, 1);
  EXPECT_EQ(locate(locator, -99.15, 19.25), "sur");

  ASSERT_TRUE(rules.remove("*", "sur"));
  EXPECT_FALSE(rules.remove("*", "sur"));
  auto replaced =
      store.import(parse({area("norte", "Norte Nuevo", square(-99.2, 19.3, -99.1, 19.4))}), true);
  ASSERT_TRUE(replaced) << replaced.error().detail;
  EXPECT_EQ(replaced->removed, std::vector<std::string>{"sur"});
  EXPECT_EQ(locate(locator, -99.15, 19.25), std::nullopt);
  EXPECT_EQ(locate(locator, -99.15, 19.35), "norte");
}

// The caller's part of each transaction (an audit row) failing undoes the import or the rule.
TEST_P(AreaStoreTest, AFailingAlsoInTheTransactionChangesNothing) {
  AreaStore store(db());
  AreaLocator locator(db());
  const auto refuse = [](soci::session&) -> Status {
    return fail(Error::invalid("identity.audit.invalid", "test"));
  };
  ASSERT_TRUE(
      store.import(parse({area("norte", "Norte", square(-99.2, 19.3, -99.1, 19.4))}), false));
  for (const bool replace : {false, true}) {
    auto refused = store.import(parse({area("sur", "Sur", square(-99.2, 19.2, -99.1, 19.3))}),
                                replace, refuse);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().user_key, "identity.audit.invalid");
    auto list = store.list();
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].code, "norte");
    EXPECT_EQ(locate(locator, -99.15, 19.25), std::nullopt);
  }
  add_agency("obras");
  RoutingStore rules(db());
  EXPECT_FALSE(rules.put({{"*", "norte", "obras"}}, refuse));
  EXPECT_TRUE(rules.list()->empty());
  ASSERT_TRUE(rules.put({{"*", "norte", "obras"}}));
  EXPECT_FALSE(rules.remove("*", "norte", refuse));
  EXPECT_EQ(rules.list()->size(), 1u);
}

TEST_P(AreaStoreTest, TheDemoFileImportsOverTheSeededAreas) {
  const auto text = assets::find("data/cdmx/alcaldias.geojson");
  ASSERT_TRUE(text);
  auto parsed = parse_area_collection(*text);
  ASSERT_TRUE(parsed) << parsed.error().detail;
  AreaStore store(db());
  auto done = store.import(*parsed, false);
  ASSERT_TRUE(done) << done.error().detail;
  EXPECT_EQ(done->written, 16u);
  AreaLocator locator(db());
  EXPECT_EQ(locate(locator, -99.1332, 19.4326), "09015");  // the Zócalo, Cuauhtémoc
  // Again, with --replace: the same 16, nothing to remove.
  auto again = store.import(*parsed, true);
  ASSERT_TRUE(again) << again.error().detail;
  EXPECT_TRUE(again->removed.empty());
}

ZOCALO_INSTANTIATE_DB_TEST(AreaStoreTest);

}  // namespace
}  // namespace zocalo::requests
