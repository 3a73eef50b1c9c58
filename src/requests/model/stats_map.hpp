#pragma once
// Geometry for the server-rendered map of /reportes/mapa (issue 4, item 8): a fixed
// equirectangular projection of Mexico City into an SVG box, and Douglas-Peucker
// simplification so that the 16 alcaldías' boundaries (thousands of vertices) fit the page's
// 14 KB gzipped budget.
#include <string>
#include <vector>

#include "requests/model/geo_point.hpp"
#include "requests/model/polygon.hpp"

namespace zocalo::requests {

struct SvgPoint {
  double x = 0;
  double y = 0;
};

// lon/lat → SVG units: x = (lon − min_lon)·cos(19.4°)·scale, y = (max_lat − lat)·scale, with
// the scale chosen so the box's width is `width`. cos(19.4°) (Mexico City's latitude) keeps
// shapes true within the city; y grows downwards as in SVG.
class MapProjection {
 public:
  MapProjection(GeoBox box, double width);
  SvgPoint project(GeoPoint p) const;
  double width() const { return width_; }
  double height() const { return height_; }

 private:
  GeoBox box_;
  double width_ = 0;
  double height_ = 0;
  double scale_ = 0;
};

inline constexpr double kMapLatitudeDegrees = 19.4;

// Douglas-Peucker: the points of `line` kept so that no dropped point lies farther than
// `tolerance` from the simplified line (perpendicular distance to the segment). The first and
// last points are always kept. Iterative (an explicit stack): a hostile ring cannot overflow
// the call stack.
std::vector<SvgPoint> simplify(const std::vector<SvgPoint>& line, double tolerance);

// An SVG path ("M x y L x y … Z" per ring, one decimal) of a multipolygon projected and
// simplified; rings that collapse to fewer than three points are left out.
std::string svg_path(const MultiPolygon& shape, const MapProjection& projection, double tolerance);

}  // namespace zocalo::requests
