#include "requests/model/polygon.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

namespace zocalo::requests {
namespace {

// Builds a closed ring from (lon, lat) corners, repeating the first at the end.
Ring ring(std::initializer_list<GeoPoint> corners) {
  Ring out(corners);
  out.push_back(out.front());
  return out;
}

Ring square(double lon, double lat, double side) {
  return ring({{lon, lat}, {lon + side, lat}, {lon + side, lat + side}, {lon, lat + side}});
}

Polygon must(Result<Polygon> polygon) {
  EXPECT_TRUE(polygon.ok()) << polygon.error().user_key << ": " << polygon.error().detail;
  return std::move(polygon).value();
}

MultiPolygon must(Result<MultiPolygon> shape) {
  EXPECT_TRUE(shape.ok()) << shape.error().user_key << ": " << shape.error().detail;
  return std::move(shape).value();
}

std::string key_of(const Result<Polygon>& polygon) {
  return polygon.ok() ? "ok" : polygon.error().user_key;
}

std::string key_of(const Result<MultiPolygon>& shape) {
  return shape.ok() ? "ok" : shape.error().user_key;
}

// GeoJSON text for a Polygon whose rings are given as already-written coordinate arrays.
std::string polygon_json(const std::string& rings) {
  return R"({"type":"Polygon","coordinates":[)" + rings + "]}";
}

std::string ring_json(const Ring& ring) {
  std::string out = "[";
  for (const GeoPoint& p : ring) {
    if (out.size() > 1) out += ",";
    out += "[" + std::to_string(p.lon) + "," + std::to_string(p.lat) + "]";
  }
  return out + "]";
}

TEST(PolygonTest, SquareContainsItsInsideOnly) {
  const Polygon p = must(Polygon::make({square(0, 0, 1)}));
  EXPECT_TRUE(p.contains({0.5, 0.5}));
  EXPECT_TRUE(p.contains({0.001, 0.999}));
  EXPECT_FALSE(p.contains({1.5, 0.5}));
  EXPECT_FALSE(p.contains({-0.001, 0.5}));
  EXPECT_FALSE(p.contains({0.5, 1.001}));
  EXPECT_EQ(p.bounds().min_lon, 0);
  EXPECT_EQ(p.bounds().max_lat, 1);
  EXPECT_TRUE(p.holes().empty());
}

TEST(PolygonTest, ClockwiseAndCounterClockwiseShellsAgree) {
  Ring clockwise = square(0, 0, 1);
  std::reverse(clockwise.begin(), clockwise.end());
  const Polygon p = must(Polygon::make({clockwise}));
  EXPECT_TRUE(p.contains({0.5, 0.5}));
  EXPECT_FALSE(p.contains({1.5, 0.5}));
}

TEST(PolygonTest, ConcaveShapeExcludesItsNotch) {
  // A U opening north: the notch between the arms is outside.
  const Polygon u =
      must(Polygon::make({ring({{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}})}));
  EXPECT_TRUE(u.contains({0.5, 2.5}));
  EXPECT_TRUE(u.contains({2.5, 2.5}));
  EXPECT_TRUE(u.contains({1.5, 0.5}));
  EXPECT_FALSE(u.contains({1.5, 2}));
  // The ray from this point passes exactly through the vertices (1, 1) and (2, 1).
  EXPECT_FALSE(u.contains({0.5 - 1, 1}));
  EXPECT_TRUE(u.contains({0.5, 1}));
  EXPECT_FALSE(u.contains({1.5, 1.5}));
}

TEST(PolygonTest, HoleIsOutside) {
  const Polygon p = must(Polygon::make({square(0, 0, 4), square(1, 1, 1), square(2.5, 2.5, 1)}));
  EXPECT_EQ(p.holes().size(), 2u);
  EXPECT_TRUE(p.contains({0.5, 0.5}));
  EXPECT_FALSE(p.contains({1.5, 1.5}));
  EXPECT_FALSE(p.contains({3, 3}));
  EXPECT_TRUE(p.contains({2.2, 2.2}));
  EXPECT_TRUE(p.contains({3.8, 1.5}));
}

TEST(PolygonTest, MultiPolygonContainsEachPart) {
  const MultiPolygon shape = must(parse_geojson_geometry(
      R"({"type":"MultiPolygon","coordinates":[
          [[[0,0],[1,0],[1,1],[0,1],[0,0]]],
          [[[5,5],[7,5],[7,7],[5,7],[5,5]],[[5.5,5.5],[6,5.5],[6,6],[5.5,6],[5.5,5.5]]]]})"));
  ASSERT_EQ(shape.parts().size(), 2u);
  EXPECT_TRUE(shape.contains({0.5, 0.5}));
  EXPECT_TRUE(shape.contains({6.5, 6.5}));
  EXPECT_FALSE(shape.contains({5.7, 5.7}));  // the second part's hole
  EXPECT_FALSE(shape.contains({3, 3}));      // between the parts, inside the combined box
  EXPECT_EQ(shape.bounds().min_lon, 0);
  EXPECT_EQ(shape.bounds().max_lat, 7);
}

TEST(PolygonTest, ParsesPolygonWithAltitudeAndIntegerCoordinates) {
  const MultiPolygon shape = must(parse_geojson_geometry(
      R"({"type":"Polygon","coordinates":[[[0,0,2240],[2,0,2240.5],[2,2,2250],[0,2,2240],[0,0,2240]]]})"));
  EXPECT_TRUE(shape.contains({1, 1}));
}

// Counts how many of `parts` claim p.
int owners(const std::vector<Polygon>& parts, GeoPoint p) {
  int n = 0;
  for (const Polygon& part : parts) n += part.contains(p) ? 1 : 0;
  return n;
}

TEST(PolygonTest, EveryPointOfAGridOfSquaresHasExactlyOneOwnerInside) {
  // A 4 x 4 partition into unit squares; every vertex and edge point strictly inside the big
  // square is shared by two or four squares, yet must belong to exactly one.
  std::vector<Polygon> cells;
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) cells.push_back(must(Polygon::make({square(i, j, 1)})));
  }
  for (int i = 0; i <= 16; ++i) {
    for (int j = 0; j <= 16; ++j) {
      const GeoPoint p{i * 0.25, j * 0.25};
      const bool inside = i > 0 && i < 16 && j > 0 && j < 16;
      if (inside) {
        EXPECT_EQ(owners(cells, p), 1) << p.lon << "," << p.lat;
      } else {
        EXPECT_LE(owners(cells, p), 1) << p.lon << "," << p.lat;
      }
    }
  }
}

TEST(PolygonTest, SlantedSharedBorderHasExactlyOneOwner) {
  // A square cut by a zigzag with slanted edges into a west and an east part.
  const Ring west = ring({{0, 0}, {1, 0}, {1.5, 1}, {0.7, 2}, {1.3, 3}, {1, 4}, {0, 4}});
  const Ring east = ring({{1, 0}, {3, 0}, {3, 4}, {1, 4}, {1.3, 3}, {0.7, 2}, {1.5, 1}});
  const std::vector<Polygon> parts{must(Polygon::make({west})), must(Polygon::make({east}))};
  const std::vector<GeoPoint> border{{1, 0}, {1.5, 1}, {0.7, 2}, {1.3, 3}, {1, 4}};
  for (std::size_t k = 0; k + 1 < border.size(); ++k) {
    for (int step = 0; step <= 64; ++step) {
      const double t = step / 64.0;
      const GeoPoint p{border[k].lon + t * (border[k + 1].lon - border[k].lon),
                       border[k].lat + t * (border[k + 1].lat - border[k].lat)};
      if (p.lat == 0 || p.lat == 4) {
        EXPECT_LE(owners(parts, p), 1) << p.lon << "," << p.lat;
      } else {
        EXPECT_EQ(owners(parts, p), 1) << p.lon << "," << p.lat;
      }
    }
  }
  // Off the border, each side keeps its own.
  EXPECT_TRUE(parts[0].contains({0.5, 2}));
  EXPECT_TRUE(parts[1].contains({2, 2}));
}

TEST(PolygonTest, EnclaveFillingAHoleSharesItsBorderWithoutOverlap) {
  const std::vector<Polygon> parts{must(Polygon::make({square(0, 0, 3), square(1, 1, 1)})),
                                   must(Polygon::make({square(1, 1, 1)}))};
  for (int i = 0; i <= 8; ++i) {
    for (const GeoPoint p : {GeoPoint{1 + i / 8.0, 1}, GeoPoint{1 + i / 8.0, 2},
                             GeoPoint{1, 1 + i / 8.0}, GeoPoint{2, 1 + i / 8.0}}) {
      EXPECT_EQ(owners(parts, p), 1) << p.lon << "," << p.lat;
    }
  }
  EXPECT_TRUE(parts[1].contains({1.5, 1.5}));
  EXPECT_FALSE(parts[0].contains({1.5, 1.5}));
}

TEST(PolygonTest, RepeatedConsecutivePositionsAreTolerated) {
  const Polygon p =
      must(Polygon::make({ring({{0, 0}, {0, 0}, {1, 0}, {1, 1}, {1, 1}, {0, 1}, {0, 1}})}));
  EXPECT_TRUE(p.contains({0.5, 0.5}));
}

struct Hostile {
  const char* name;
  std::vector<Ring> rings;
  const char* key;
};

TEST(PolygonTest, HostileRingsFailWithTheirKey) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<Hostile> cases = {
      {"no rings", {}, "requests.area.empty"},
      {"unclosed", {{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}, "requests.area.ring_not_closed"},
      {"three positions", {{{0, 0}, {1, 0}, {0, 0}}}, "requests.area.ring_too_short"},
      {"two distinct positions",
       {{{0, 0}, {1, 0}, {1, 0}, {0, 0}}},
       "requests.area.ring_too_short"},
      {"bow-tie", {ring({{0, 0}, {1, 1}, {1, 0}, {0, 1}})}, "requests.area.self_intersection"},
      {"spike",
       {ring({{0, 0}, {2, 0}, {3, 0}, {2, 0}, {2, 2}, {0, 2}})},
       "requests.area.self_intersection"},
      {"figure eight touching at a vertex",
       {ring({{0, 0}, {1, 1}, {2, 0}, {2, 2}, {1, 1}, {0, 2}})},
       "requests.area.self_intersection"},
      {"vertex touching an edge",
       {ring({{0, 0}, {4, 0}, {4, 4}, {2, 0}, {0, 4}})},
       "requests.area.self_intersection"},
      {"collinear ring", {ring({{0, 0}, {1, 0}, {2, 0}})}, "requests.area.self_intersection"},
      {"hole outside shell",
       {square(0, 0, 1), square(2, 2, 1)},
       "requests.area.hole_outside_shell"},
      {"hole wrapping shell",
       {square(1, 1, 1), square(0, 0, 3)},
       "requests.area.hole_outside_shell"},
      {"hole crossing shell",
       {square(0, 0, 2), square(1, 1, 2)},
       "requests.area.hole_outside_shell"},
      {"hole touching shell",
       {square(0, 0, 2), square(0, 0.5, 1)},
       "requests.area.hole_outside_shell"},
      {"holes crossing",
       {square(0, 0, 4), square(1, 1, 1), square(1.5, 1.5, 1)},
       "requests.area.holes_overlap"},
      {"hole inside hole",
       {square(0, 0, 4), square(1, 1, 2), square(1.5, 1.5, 0.5)},
       "requests.area.holes_overlap"},
      {"NaN", {ring({{0, 0}, {nan, 0}, {1, 1}, {0, 1}})}, "requests.area.bad_coordinates"},
      {"latitude off the globe",
       {ring({{0, 0}, {1, 0}, {1, 95}, {0, 1}})},
       "requests.area.bad_coordinates"},
  };
  for (const Hostile& c : cases) {
    EXPECT_EQ(key_of(Polygon::make(c.rings)), c.key) << c.name;
  }
}

TEST(PolygonTest, ErrorsNameTheRingAndPosition) {
  Result<Polygon> bow = Polygon::make({square(0, 0, 10), ring({{1, 1}, {2, 2}, {2, 1}, {1, 2}})});
  ASSERT_FALSE(bow.ok());
  EXPECT_EQ(bow.error().user_key, "requests.area.self_intersection");
  EXPECT_NE(bow.error().detail.find("ring 1, position"), std::string::npos) << bow.error().detail;

  Result<MultiPolygon> parsed = parse_geojson_geometry(
      R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],
                                               [[[0,0],[1,0],[1,1],[0,1],[0,0.5]]]]})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().user_key, "requests.area.ring_not_closed");
  EXPECT_EQ(parsed.error().detail.rfind("polygon 1, ring 0, position 4", 0), 0u)
      << parsed.error().detail;
}

TEST(PolygonTest, HostileGeoJsonFailsWithItsKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "requests.area.invalid_json"},
      {R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]])",
       "requests.area.invalid_json"},
      {R"({"type":"Polygon","coordinates":[[[NaN,0],[1,0],[1,1],[0,1],[NaN,0]]]})",
       "requests.area.invalid_json"},
      {R"([1,2])", "requests.area.unsupported_geometry"},
      {R"({"type":"Point","coordinates":[0,0]})", "requests.area.unsupported_geometry"},
      {R"({"type":"Polygon"})", "requests.area.unsupported_geometry"},
      {R"({"type":"Polygon","coordinates":[]})", "requests.area.empty"},
      {R"({"type":"MultiPolygon","coordinates":[]})", "requests.area.empty"},
      {R"({"type":"Polygon","coordinates":{}})", "requests.area.bad_coordinates"},
      {R"({"type":"Polygon","coordinates":[{}]})", "requests.area.bad_coordinates"},
      {R"({"type":"Polygon","coordinates":[[[0,0],["1",0],[1,1],[0,1],[0,0]]]})",
       "requests.area.bad_coordinates"},
      {R"({"type":"Polygon","coordinates":[[[0,0],[1],[1,1],[0,1],[0,0]]]})",
       "requests.area.bad_coordinates"},
      {R"({"type":"Polygon","coordinates":[[[0,0],[1,0,0,0],[1,1],[0,1],[0,0]]]})",
       "requests.area.bad_coordinates"},
      // Boost.JSON reads an overflowing number as infinity; the range check refuses it.
      {R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1e400],[0,1],[0,0]]]})",
       "requests.area.bad_coordinates"},
      {R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,91],[0,1],[0,0]]]})",
       "requests.area.bad_coordinates"},
      {R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]})",
       "requests.area.ring_not_closed"},
      {R"({"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]})",
       "requests.area.self_intersection"},
      {R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[1,2]]]})",
       "requests.area.bad_coordinates"},
  };
  for (const auto& [text, key] : cases) {
    EXPECT_EQ(key_of(parse_geojson_geometry(text)), key) << text;
  }
}

TEST(PolygonTest, TooManyVerticesIsRefusedBeforeAnyGeometryWork) {
  std::string text = R"({"type":"Polygon","coordinates":[[)";
  for (std::size_t i = 0; i <= kMaxGeometryVertices; ++i) text += "[0,0],";
  text += "[0,0]]]}";
  Result<MultiPolygon> shape = parse_geojson_geometry(text);
  ASSERT_FALSE(shape.ok());
  EXPECT_EQ(shape.error().user_key, "requests.area.too_many_vertices");
  EXPECT_EQ(shape.error().kind, ErrorKind::kTooLarge);
}

// A circle of n vertices with radius r around (lon, lat).
Ring circle(std::size_t n, double lon, double lat, double r) {
  Ring out;
  for (std::size_t i = 0; i < n; ++i) {
    const double a = 2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
    out.push_back({lon + r * std::cos(a), lat + r * std::sin(a)});
  }
  out.push_back(out.front());
  return out;
}

TEST(PolygonTest, LargestAllowedValidPolygonValidatesQuickly) {
  const auto start = std::chrono::steady_clock::now();
  const Polygon p = must(Polygon::make({circle(kMaxGeometryVertices - 1, -99.1, 19.4, 0.3)}));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(p.contains({-99.1, 19.4}));
  EXPECT_FALSE(p.contains({-99.1, 19.71}));
  // Generous for a loaded CI machine; it takes tens of milliseconds.
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(PolygonTest, CombOfLongThinTeethIsValid) {
  // 20,000 teeth one unit tall and a tenth of a step wide: long edges, but few per cell.
  Ring comb;
  constexpr int kTeeth = 20'000;
  for (int i = 0; i < kTeeth; ++i) {
    comb.push_back({i * 0.005, 0.1});
    comb.push_back({i * 0.005 + 0.0025, 1.0});
  }
  comb.push_back({kTeeth * 0.005, 0.1});
  comb.push_back({kTeeth * 0.005, 0});
  comb.push_back({0, 0});
  comb.push_back(comb.front());
  const Polygon p = must(Polygon::make({comb}));
  EXPECT_TRUE(p.contains({0.001, 0.05}));
  EXPECT_FALSE(p.contains({0.004, 0.9}));  // between two teeth
}

TEST(PolygonTest, ValidStarCrowdingEveryEdgeThroughOnePlaceIsRefusedAsTooComplex) {
  // 100,000 edges all running between a tiny inner and a large outer circle put every edge
  // in the central cells: a quadratic pair test, which the budget refuses instead of running.
  Ring star;
  constexpr std::size_t kPoints = 50'000;
  for (std::size_t i = 0; i < 2 * kPoints; ++i) {
    const double a = std::numbers::pi * static_cast<double>(i) / kPoints;
    const double r = i % 2 == 0 ? 1.0 : 1e-4;
    star.push_back({r * std::cos(a), r * std::sin(a)});
  }
  star.push_back(star.front());
  const auto start = std::chrono::steady_clock::now();
  Result<Polygon> p = Polygon::make({star});
  EXPECT_EQ(key_of(p), "requests.area.too_complex");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(PolygonTest, NearlyTouchingRingsOneGridStepApartAreValid) {
  // 2e-9 degree (0.2 mm) apart is still apart on the 1e-9 grid.
  const Polygon p = must(Polygon::make({square(0, 0, 1), square(2e-9, 0.25, 0.5)}));
  EXPECT_FALSE(p.contains({0.5, 0.5}));
  EXPECT_TRUE(p.contains({1e-9, 0.5}));
}

TEST(PolygonTest, RingJsonRoundTripKeepsBehaviour) {
  const MultiPolygon shape =
      must(parse_geojson_geometry(polygon_json(ring_json(square(-99.2, 19.3, 0.1)))));
  EXPECT_TRUE(shape.contains({-99.15, 19.35}));
  EXPECT_FALSE(shape.contains({-99.05, 19.35}));
}

}  // namespace
}  // namespace zocalo::requests
