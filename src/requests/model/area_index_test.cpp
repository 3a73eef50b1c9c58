#include "requests/model/area_index.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "platform/core/assets.hpp"
#include "portal/model/area_features.hpp"

namespace zocalo::requests {
namespace {

MultiPolygon square(double lon, double lat, double side) {
  Result<Polygon> p = Polygon::make(
      {{{lon, lat}, {lon + side, lat}, {lon + side, lat + side}, {lon, lat + side}, {lon, lat}}});
  EXPECT_TRUE(p.ok());
  std::vector<Polygon> parts;
  parts.push_back(std::move(p).value());
  return MultiPolygon(std::move(parts));
}

// The 16 alcaldías from the embedded file, read by the portal's feature parser (names and
// codes) and then validated and indexed here.
std::vector<AreaShape> alcaldias() {
  const auto text = assets::find("data/cdmx/alcaldias.geojson");
  EXPECT_TRUE(text.has_value());
  auto features = portal::parse_area_features(text.value_or(""), "alcaldia");
  EXPECT_TRUE(features.ok());
  std::vector<AreaShape> out;
  for (const portal::AreaFeature& feature : *features) {
    Result<MultiPolygon> shape = parse_geojson_geometry(feature.geometry);
    EXPECT_TRUE(shape.ok()) << feature.area.code << ": " << shape.error().user_key << " "
                            << shape.error().detail;
    if (shape.ok()) out.push_back({feature.area.code, std::move(shape).value()});
  }
  return out;
}

class CityIndexTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<AreaIndex> built = AreaIndex::build(alcaldias());
    ASSERT_TRUE(built.ok());
    index_ = new AreaIndex(std::move(built).value());
  }
  static void TearDownTestSuite() {
    delete index_;
    index_ = nullptr;
  }
  static const AreaIndex& city() { return *index_; }

  static std::optional<std::string> locate(double lat, double lon) {
    const auto id = index_->locate({lon, lat});
    return id ? std::optional<std::string>(*id) : std::nullopt;
  }

 private:
  static AreaIndex* index_;
};

AreaIndex* CityIndexTest::index_ = nullptr;

TEST(AreaIndexTest, LocatesTheAreaContainingThePoint) {
  std::vector<AreaShape> areas;
  areas.push_back({"west", square(0, 0, 1)});
  areas.push_back({"east", square(1, 0, 1)});
  areas.push_back({"island", square(5, 5, 0.5)});
  Result<AreaIndex> index = AreaIndex::build(std::move(areas));
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->locate({0.5, 0.5}), "west");
  EXPECT_EQ(index->locate({1.5, 0.5}), "east");
  EXPECT_EQ(index->locate({5.25, 5.25}), "island");
  // The shared border x = 1 belongs to the area east of it, and only to it.
  EXPECT_EQ(index->locate({1, 0.5}), "east");
  EXPECT_EQ(index->locate({3, 3}), std::nullopt);     // inside the index's box, in no area
  EXPECT_EQ(index->locate({-99, 19}), std::nullopt);  // outside the box altogether
  EXPECT_EQ(index->locate({std::numeric_limits<double>::quiet_NaN(), 0.5}), std::nullopt);
  EXPECT_EQ(index->areas().size(), 3u);
}

TEST(AreaIndexTest, EmptyIndexLocatesNothing) {
  Result<AreaIndex> index = AreaIndex::build({});
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->locate({0, 0}), std::nullopt);
}

TEST(AreaIndexTest, RejectsDuplicateAndMissingIds) {
  std::vector<AreaShape> twice;
  twice.push_back({"09015", square(0, 0, 1)});
  twice.push_back({"09015", square(2, 0, 1)});
  Result<AreaIndex> duplicate = AreaIndex::build(std::move(twice));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().user_key, "requests.area.duplicate_id");

  std::vector<AreaShape> unnamed;
  unnamed.push_back({"", square(0, 0, 1)});
  Result<AreaIndex> missing = AreaIndex::build(std::move(unnamed));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().user_key, "requests.area.id_missing");
}

TEST(AreaIndexTest, OverlappingAreasResolveToTheFirstListed) {
  std::vector<AreaShape> areas;
  areas.push_back({"first", square(0, 0, 2)});
  areas.push_back({"second", square(1, 1, 2)});
  Result<AreaIndex> index = AreaIndex::build(std::move(areas));
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->locate({1.5, 1.5}), "first");
  EXPECT_EQ(index->locate({2.5, 2.5}), "second");
}

TEST_F(CityIndexTest, AllSixteenAlcaldiasValidate) {
  EXPECT_EQ(city().areas().size(), 16u);
}

TEST_F(CityIndexTest, KnownPlacesLandInTheirAlcaldia) {
  EXPECT_EQ(locate(19.4326, -99.1332), "09015");  // the Zócalo, Cuauhtémoc
  EXPECT_EQ(locate(19.3574, -99.0925), "09007");  // Iztapalapa
  EXPECT_EQ(locate(19.2572, -99.1030), "09013");  // Xochimilco centre
  EXPECT_EQ(locate(19.4840, -99.1170), "09005");  // La Villa, Gustavo A. Madero
  EXPECT_EQ(locate(19.3467, -99.1617), "09003");  // Coyoacán centre
}

TEST_F(CityIndexTest, PlacesOutsideTheCityLandNowhere) {
  EXPECT_EQ(locate(21.0, -94.0), std::nullopt);        // the Gulf of Mexico
  EXPECT_EQ(locate(19.2826, -99.6557), std::nullopt);  // Toluca
  EXPECT_EQ(locate(19.4006, -99.0148), std::nullopt);  // Nezahualcóyotl, inside the city's box
  EXPECT_EQ(locate(0, 0), std::nullopt);
}

TEST_F(CityIndexTest, RandomPointsInTheCityBoxHaveAtMostOneOwner) {
  const GeoBox box = [] {
    GeoBox b = city().areas().front().shape.bounds();
    for (const AreaShape& a : city().areas()) {
      b.min_lon = std::min(b.min_lon, a.shape.bounds().min_lon);
      b.min_lat = std::min(b.min_lat, a.shape.bounds().min_lat);
      b.max_lon = std::max(b.max_lon, a.shape.bounds().max_lon);
      b.max_lat = std::max(b.max_lat, a.shape.bounds().max_lat);
    }
    return b;
  }();
  std::mt19937_64 random(311);
  std::uniform_real_distribution<double> lon(box.min_lon, box.max_lon);
  std::uniform_real_distribution<double> lat(box.min_lat, box.max_lat);
  int located = 0;
  for (int i = 0; i < 10'000; ++i) {
    const GeoPoint p{lon(random), lat(random)};
    std::vector<std::string_view> owners;
    for (const AreaShape& area : city().areas()) {
      if (area.shape.contains(p)) owners.push_back(area.id);
    }
    ASSERT_LE(owners.size(), 1u) << p.lon << "," << p.lat;
    const auto found = city().locate(p);
    ASSERT_EQ(found.has_value(), owners.size() == 1) << p.lon << "," << p.lat;
    if (found) {
      EXPECT_EQ(*found, owners.front());
      ++located;
    }
  }
  // The city fills a bit over half of its box; a broken test would find none or all.
  EXPECT_GT(located, 4'000);
  EXPECT_LT(located, 9'000);
}

TEST_F(CityIndexTest, EveryVertexOnAnInnerBorderHasExactlyOneOwner) {
  // Neighbouring alcaldías share their border vertices exactly. A shared vertex inside the
  // city (all its near surroundings are in some alcaldía) must belong to exactly one.
  std::map<std::pair<double, double>, int> seen;
  for (const AreaShape& area : city().areas()) {
    for (const Polygon& part : area.shape.parts()) {
      for (const GeoPoint& v : part.shell()) ++seen[{v.lon, v.lat}];
    }
  }
  auto owners = [&](GeoPoint p) {
    int n = 0;
    for (const AreaShape& area : city().areas()) n += area.shape.contains(p) ? 1 : 0;
    return n;
  };
  int inner = 0;
  for (const auto& [position, count] : seen) {
    if (count < 2) continue;  // the first vertex repeats as the last, once per ring
    const GeoPoint v{position.first, position.second};
    EXPECT_LE(owners(v), 1) << v.lon << "," << v.lat;
    bool surrounded = true;
    for (double dx : {-1e-6, 0.0, 1e-6}) {
      for (double dy : {-1e-6, 0.0, 1e-6}) {
        if ((dx != 0 || dy != 0) && owners({v.lon + dx, v.lat + dy}) == 0) surrounded = false;
      }
    }
    if (!surrounded) continue;
    ++inner;
    EXPECT_EQ(owners(v), 1) << v.lon << "," << v.lat;
    EXPECT_TRUE(city().locate(v).has_value());
  }
  EXPECT_GT(inner, 5'000);
}

TEST_F(CityIndexTest, ValidatingTheCityIsFast) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<AreaShape> areas = alcaldias();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(areas.size(), 16u);
  // Parsing and validating ~15,000 vertices takes milliseconds; a quadratic check would not.
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
}

}  // namespace
}  // namespace zocalo::requests
