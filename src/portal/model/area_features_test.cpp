#include "portal/model/area_features.hpp"

#include <gtest/gtest.h>

#include <set>

#include "platform/core/assets.hpp"

namespace zocalo::portal {
namespace {

TEST(AreaFeaturesTest, ReadsTheSixteenAlcaldiasWithBoundsInsideTheCity) {
  const auto file = assets::find("data/cdmx/alcaldias.geojson");
  ASSERT_TRUE(file);
  auto features = parse_area_features(*file, "alcaldia");
  ASSERT_TRUE(features) << features.error().detail;
  ASSERT_EQ(features->size(), 16u);
  std::set<std::string> codes;
  for (const AreaFeature& f : *features) {
    codes.insert(f.area.code);
    EXPECT_EQ(f.area.kind, "alcaldia");
    EXPECT_TRUE(f.area.code.starts_with("09")) << f.area.code;
    // Mexico City lies within about 98.9-99.4 W, 19.0-19.6 N.
    EXPECT_GT(f.area.bounds.min_lon, -99.4) << f.area.name;
    EXPECT_LT(f.area.bounds.max_lon, -98.9) << f.area.name;
    EXPECT_GT(f.area.bounds.min_lat, 19.0) << f.area.name;
    EXPECT_LT(f.area.bounds.max_lat, 19.6) << f.area.name;
    EXPECT_LT(f.area.bounds.min_lon, f.area.bounds.max_lon);
    EXPECT_TRUE(f.geometry.starts_with("{\"type\":\"Polygon\"") ||
                f.geometry.starts_with("{\"type\":\"MultiPolygon\""))
        << f.geometry.substr(0, 40);
  }
  EXPECT_EQ(codes.size(), 16u);
  EXPECT_TRUE(codes.contains("09007"));  // Iztapalapa
}

TEST(AreaFeaturesTest, ComputesTheBoundingBox) {
  auto features = parse_area_features(
      R"({"type":"FeatureCollection","features":[{"type":"Feature",
          "properties":{"cvegeo":"09999","nomgeo":"Prueba"},
          "geometry":{"type":"MultiPolygon","coordinates":[[[[-99.2,19.3],[-99.1,19.3],
          [-99.1,19.4],[-99.2,19.3]]],[[[-99.0,19.1],[-98.95,19.1],[-99.0,19.15],[-99.0,19.1]]]]}}]})",
      "alcaldia");
  ASSERT_TRUE(features) << features.error().detail;
  const BoundingBox& b = features->front().area.bounds;
  EXPECT_DOUBLE_EQ(b.min_lon, -99.2);
  EXPECT_DOUBLE_EQ(b.max_lon, -98.95);
  EXPECT_DOUBLE_EQ(b.min_lat, 19.1);
  EXPECT_DOUBLE_EQ(b.max_lat, 19.4);
  EXPECT_EQ(features->front().area.name, "Prueba");
}

TEST(AreaFeaturesTest, RefusesWhatIsNotAnAreaCollection) {
  const std::string point_feature =
      R"({"features":[{"properties":{"cvegeo":"1","nomgeo":"x"},
          "geometry":{"type":"Point","coordinates":[-99,19]}}]})";
  const std::string no_name =
      R"({"features":[{"properties":{"cvegeo":"1"},
          "geometry":{"type":"Polygon","coordinates":[[[-99,19],[-98,19],[-99,19]]]}}]})";
  const std::string out_of_range =
      R"({"features":[{"properties":{"cvegeo":"1","nomgeo":"x"},
          "geometry":{"type":"Polygon","coordinates":[[[500,19],[-98,19],[-99,19]]]}}]})";
  const std::string text_coordinates =
      R"({"features":[{"properties":{"cvegeo":"1","nomgeo":"x"},
          "geometry":{"type":"Polygon","coordinates":[[["a","b"]]]}}]})";
  for (const std::string& doc :
       {std::string("not json"), std::string("[]"), std::string(R"({"features":{}})"),
        point_feature, no_name, out_of_range, text_coordinates}) {
    EXPECT_FALSE(parse_area_features(doc, "alcaldia")) << doc;
  }
  auto empty = parse_area_features(R"({"features":[]})", "alcaldia");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace zocalo::portal
