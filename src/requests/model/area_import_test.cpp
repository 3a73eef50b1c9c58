// Hostile and real area files: every rejection names the feature and the reason; the real
// alcaldías (INEGI's property names) import.
#include "requests/model/area_import.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "platform/core/assets.hpp"

namespace zocalo::requests {
namespace {

std::string ring_json(const std::vector<std::pair<double, double>>& ring) {
  std::ostringstream out;
  out.precision(12);
  out << "[";
  for (std::size_t i = 0; i < ring.size(); ++i) {
    out << (i ? "," : "") << "[" << ring[i].first << "," << ring[i].second << "]";
  }
  out << "]";
  return out.str();
}

const std::string kSquare =
    ring_json({{-99.2, 19.3}, {-99.1, 19.3}, {-99.1, 19.4}, {-99.2, 19.4}, {-99.2, 19.3}});

std::string feature(const std::string& props, const std::string& geometry) {
  return R"({"type":"Feature","properties":)" + props + R"(,"geometry":)" + geometry + "}";
}

std::string polygon(const std::string& rings) {
  return R"({"type":"Polygon","coordinates":[)" + rings + "]}";
}

std::string collection(const std::vector<std::string>& features) {
  std::string out = R"({"type":"FeatureCollection","features":[)";
  for (std::size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
  return out + "]}";
}

std::string error_of(const std::string& json) {
  auto parsed = parse_area_collection(json);
  EXPECT_FALSE(parsed) << json.substr(0, 200);
  if (parsed) return "";
  EXPECT_EQ(parsed.error().user_key, "requests.areas.invalid");
  return parsed.error().detail;
}

bool has(const std::string& s, std::string_view what) {
  return s.find(what) != std::string::npos;
}

TEST(AreaImport, ReadsCodesNamesAndGeometry) {
  auto parsed = parse_area_collection(collection(
      {feature(R"({"code":"norte","name":"Zona Norte","name_en":"North"})", polygon(kSquare)),
       feature(R"({"code":"sur","name":"Zona Sur"})",
               R"({"type":"MultiPolygon","coordinates":[[)" +
                   ring_json({{-99.2, 19.2}, {-99.1, 19.2}, {-99.1, 19.29}, {-99.2, 19.2}}) +
                   "]]}")}));
  ASSERT_TRUE(parsed) << parsed.error().detail;
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[0].code, "norte");
  EXPECT_EQ((*parsed)[0].name, "Zona Norte");
  EXPECT_EQ((*parsed)[0].name_en, "North");
  EXPECT_EQ((*parsed)[0].positions, 5u);
  EXPECT_DOUBLE_EQ((*parsed)[0].bounds.min_lon, -99.2);
  EXPECT_DOUBLE_EQ((*parsed)[0].bounds.max_lat, 19.4);
  EXPECT_EQ((*parsed)[1].positions, 4u);
  EXPECT_TRUE(parse_geojson_geometry((*parsed)[1].geometry));
  EXPECT_EQ(count_positions((*parsed)[0].geometry), 5u);
}

TEST(AreaImport, TheDemoAlcaldiasImportAsPublished) {
  const auto text = assets::find("data/cdmx/alcaldias.geojson");
  ASSERT_TRUE(text.has_value());
  auto parsed = parse_area_collection(*text);
  ASSERT_TRUE(parsed) << parsed.error().detail;
  ASSERT_EQ(parsed->size(), 16u);
  bool cuauhtemoc = false;
  for (const auto& a : *parsed) {
    EXPECT_EQ(a.code.size(), 5u);
    if (a.code == "09015") cuauhtemoc = a.name == "Cuauhtémoc";
  }
  EXPECT_TRUE(cuauhtemoc);
}

TEST(AreaImport, RefusesWhatIsNotAFeatureCollection) {
  EXPECT_TRUE(has(error_of("{\"type\":"), "invalid JSON"));
  EXPECT_TRUE(has(error_of("[]"), "FeatureCollection"));
  EXPECT_TRUE(has(error_of(R"({"type":"Feature"})"), "FeatureCollection"));
  EXPECT_TRUE(has(error_of(R"({"type":"FeatureCollection"})"), "features"));
  EXPECT_TRUE(has(error_of(R"({"type":"FeatureCollection","features":[]})"), "no features"));
  // NaN is not JSON.
  EXPECT_TRUE(has(error_of(collection({feature(R"({"code":"a","name":"A"})",
                                               polygon("[[NaN,19.3],[-99.1,19.3],[-99.1,19.4],"
                                                       "[NaN,19.3]]"))})),
                  "invalid JSON"));
}

TEST(AreaImport, RefusesMissingOrBadProperties) {
  EXPECT_TRUE(has(error_of(collection({feature(R"({"name":"A"})", polygon(kSquare))})),
                  "feature 1: properties.code is missing"));
  EXPECT_TRUE(has(error_of(collection({feature(R"({"code":"a b","name":"A"})", polygon(kSquare))})),
                  "properties.code must be"));
  EXPECT_TRUE(has(error_of(collection({feature(R"({"code":"a"})", polygon(kSquare))})),
                  "feature 1 (a): properties.name is missing"));
  EXPECT_TRUE(
      has(error_of(collection({feature(R"({"code":"a","name":""})", polygon(kSquare))})), "name"));
  EXPECT_TRUE(
      has(error_of(collection({feature(R"({"code":"a","name":"x\ny"})", polygon(kSquare))})),
          "one line"));
  EXPECT_TRUE(has(error_of(collection({feature(R"({"code":"a","name":"A"})", polygon(kSquare)),
                                       feature(R"({"code":"a","name":"B"})", polygon(kSquare))})),
                  "feature 2 (a): duplicate code"));
  EXPECT_TRUE(has(error_of(collection({feature(R"({"code":"a","name":"A"})", "null")})),
                  "geometry is required"));
  EXPECT_TRUE(has(error_of(collection({feature(R"({"code":"a","name":"A"})",
                                               R"({"type":"Point","coordinates":[-99,19]})")})),
                  "unsupported geometry"));
}

TEST(AreaImport, RefusesHostilePolygons) {
  const std::string props = R"({"code":"x","name":"X"})";
  // Not closed.
  EXPECT_TRUE(has(error_of(collection({feature(
                      props, polygon(ring_json(
                                 {{-99.2, 19.3}, {-99.1, 19.3}, {-99.1, 19.4}, {-99.2, 19.4}})))})),
                  "ring not closed"));
  // A bow tie crosses itself.
  EXPECT_TRUE(
      has(error_of(collection({feature(
              props,
              polygon(ring_json(
                  {{-99.2, 19.3}, {-99.1, 19.4}, {-99.1, 19.3}, {-99.2, 19.4}, {-99.2, 19.3}})))})),
          "self intersection"));
  // A spike: the ring goes out and back along the same line.
  const std::string spike =
      error_of(collection({feature(props, polygon(ring_json({{-99.2, 19.3},
                                                             {-99.1, 19.3},
                                                             {-99.0, 19.3},
                                                             {-99.1, 19.3},
                                                             {-99.1, 19.4},
                                                             {-99.2, 19.4},
                                                             {-99.2, 19.3}})))}));
  EXPECT_TRUE(has(spike, "feature 1 (x)"));
  // A hole outside its shell.
  EXPECT_TRUE(
      has(error_of(collection({feature(
              props,
              polygon(kSquare + "," +
                      ring_json({{-98.0, 19.0}, {-97.9, 19.0}, {-97.9, 19.1}, {-98.0, 19.0}})))})),
          "hole outside shell"));
  // Out of range.
  EXPECT_TRUE(has(
      error_of(collection({feature(
          props,
          polygon(ring_json({{-199.2, 19.3}, {-99.1, 19.3}, {-99.1, 19.4}, {-199.2, 19.3}})))})),
      "bad coordinates"));
  EXPECT_TRUE(has(
      error_of(collection({feature(
          props, polygon(ring_json({{-99.2, 95}, {-99.1, 19.3}, {-99.1, 19.4}, {-99.2, 95}})))})),
      "bad coordinates"));
  // A coordinate as text.
  EXPECT_TRUE(has(
      error_of(collection(
          {feature(props, polygon(R"([["NaN",19.3],[-99.1,19.3],[-99.1,19.4],["NaN",19.3]])"))})),
      "bad coordinates"));
  // Infinity by overflow.
  EXPECT_FALSE(parse_area_collection(collection(
      {feature(props, polygon("[[-1e400,19.3],[-99.1,19.3],[-99.1,19.4],[-1e400,19.3]]"))})));
}

// A circle of n positions around the Zócalo.
std::string circle(std::size_t n) {
  std::vector<std::pair<double, double>> ring;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = 2 * M_PI * static_cast<double>(i) / static_cast<double>(n);
    ring.emplace_back(-99.13 + 0.05 * std::cos(a), 19.43 + 0.05 * std::sin(a));
  }
  ring.push_back(ring.front());
  return ring_json(ring);
}

TEST(AreaImport, BoundsVerticesPerAreaAndPerFile) {
  // 100,000 vertices is a lot but a valid boundary.
  auto big = parse_area_collection(
      collection({feature(R"({"code":"grande","name":"Grande"})", polygon(circle(100'000)))}));
  ASSERT_TRUE(big) << big.error().detail;
  EXPECT_EQ((*big)[0].positions, 100'001u);
  // Over the per-geometry limit.
  auto huge = parse_area_collection(
      collection({feature(R"({"code":"enorme","name":"Enorme"})", polygon(circle(200'001)))}));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().kind, ErrorKind::kTooLarge);
  EXPECT_TRUE(has(huge.error().detail, "feature 1 (enorme): too many vertices"));
  // Too many features.
  std::vector<std::string> many;
  for (int i = 0; i <= 1000; ++i) {
    many.push_back(
        feature(R"({"code":"a)" + std::to_string(i) + R"(","name":"A"})", polygon(kSquare)));
  }
  auto too_many = parse_area_collection(collection(many));
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().kind, ErrorKind::kTooLarge);
  // An oversized file is refused before parsing.
  auto oversized = parse_area_collection(std::string(kAreaFileMaxBytes + 1, ' '));
  ASSERT_FALSE(oversized);
  EXPECT_EQ(oversized.error().kind, ErrorKind::kTooLarge);
}

}  // namespace
}  // namespace zocalo::requests
