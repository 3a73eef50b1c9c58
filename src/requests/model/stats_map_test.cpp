// The map's geometry: the fixed projection, Douglas-Peucker on lines and rings, and the SVG
// path of a real-sized boundary.
#include "requests/model/stats_map.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace zocalo::requests {
namespace {

TEST(MapProjection, ScalesLongitudeByTheCosineOfTheCitysLatitude) {
  const MapProjection p(GeoBox{-99.4, 19.0, -98.9, 19.6}, 400);
  const double k = std::cos(19.4 * std::numbers::pi / 180);
  const double scale = 400 / (0.5 * k);
  EXPECT_NEAR(p.height(), 0.6 * scale, 1e-9);
  const SvgPoint nw = p.project({-99.4, 19.6});
  EXPECT_NEAR(nw.x, 0, 1e-9);
  EXPECT_NEAR(nw.y, 0, 1e-9);
  const SvgPoint se = p.project({-98.9, 19.0});
  EXPECT_NEAR(se.x, 400, 1e-9);
  EXPECT_NEAR(se.y, p.height(), 1e-9);
}

TEST(Simplify, DropsPointsWithinToleranceAndKeepsCorners) {
  // An L with a wiggle of 0.1 on its first leg.
  const std::vector<SvgPoint> line{{0, 0}, {1, 0.1}, {2, 0}, {3, -0.1}, {4, 0}, {4, 4}};
  const auto kept = simplify(line, 0.5);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept[0].x, 0);
  EXPECT_EQ(kept[1].x, 4);
  EXPECT_EQ(kept[1].y, 0);
  EXPECT_EQ(kept[2].y, 4);
  // A tolerance below the wiggle keeps it, except (2, 0), which lies on the line from
  // (1, 0.1) to (3, -0.1).
  EXPECT_EQ(simplify(line, 0.05).size(), line.size() - 1);
  // Two points or fewer come back as they are.
  EXPECT_EQ(simplify({{0, 0}, {1, 1}}, 10).size(), 2u);
}

TEST(Simplify, NoDroppedPointIsFartherThanTheTolerance) {
  std::vector<SvgPoint> line;
  for (int i = 0; i <= 1000; ++i) {
    line.push_back({i * 0.1, std::sin(i * 0.05) * 5});
  }
  const double tolerance = 0.3;
  const auto kept = simplify(line, tolerance);
  EXPECT_LT(kept.size(), line.size() / 5);
  // Every original point lies within the tolerance of the simplified line (perpendicular
  // distance to its nearest segment).
  const auto to_segment = [](SvgPoint p, SvgPoint a, SvgPoint b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double t =
        std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
    return std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y);
  };
  for (const SvgPoint& p : line) {
    double nearest = 1e9;
    for (std::size_t i = 0; i + 1 < kept.size(); ++i) {
      nearest = std::min(nearest, to_segment(p, kept[i], kept[i + 1]));
    }
    EXPECT_LE(nearest, tolerance + 1e-9) << p.x;
  }
}

TEST(SvgPath, ARingBecomesAClosedPathAndATinyOneIsLeftOut) {
  Ring square{{-99.2, 19.3},     {-99.1, 19.3}, {-99.1, 19.4},
              {-99.15, 19.4001}, {-99.2, 19.4}, {-99.2, 19.3}};
  auto poly = Polygon::make({square});
  ASSERT_TRUE(poly) << poly.error().detail;
  const MultiPolygon shape({*poly});
  const MapProjection p(GeoBox{-99.2, 19.3, -99.1, 19.4001}, 100);
  const std::string d = svg_path(shape, p, 1.0);
  // Four corners; the midpoint 0.0001° off the top edge is dropped.
  EXPECT_EQ(d, "M0.0 106.1L100.0 106.1L100.0 0.1L0.0 0.1Z") << d;
  // Projected to a 0.01-unit box, the ring collapses and is left out.
  const MapProjection tiny(GeoBox{-99.2, 19.3, -99.1, 19.4001}, 0.01);
  EXPECT_EQ(svg_path(shape, tiny, 1.0), "");
}

}  // namespace
}  // namespace zocalo::requests
