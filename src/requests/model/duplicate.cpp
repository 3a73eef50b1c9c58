#include "requests/model/duplicate.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace zocalo::requests {
namespace {

constexpr double kRadiansPerDegree = std::numbers::pi / 180.0;

}  // namespace

double distance_meters(GeoPoint a, GeoPoint b) {
  const double lat1 = a.lat * kRadiansPerDegree;
  const double lat2 = b.lat * kRadiansPerDegree;
  const double dlat = lat2 - lat1;
  const double dlon = (b.lon - a.lon) * kRadiansPerDegree;
  const double s = std::sin(dlat / 2);
  const double t = std::sin(dlon / 2);
  const double h = s * s + std::cos(lat1) * std::cos(lat2) * t * t;
  // min(): rounding can push h a hair over 1 for antipodal points, and asin(>1) is NaN.
  return 2 * kEarthMeanRadiusMeters * std::asin(std::min(1.0, std::sqrt(h)));
}

SearchBox box_around(GeoPoint center, double radius_m) {
  const double dlat = radius_m / kEarthMeanRadiusMeters / kRadiansPerDegree;
  SearchBox box;
  box.min_lat = std::max(-90.0, center.lat - dlat);
  box.max_lat = std::min(90.0, center.lat + dlat);
  // The widest longitude span is at the box's latitude farthest from the equator.
  const double widest = std::max(std::abs(box.min_lat), std::abs(box.max_lat));
  const double cos_lat = std::cos(widest * kRadiansPerDegree);
  if (cos_lat < 1e-6 || dlat / cos_lat >= 180.0) {
    box.min_lon = -180.0;
    box.max_lon = 180.0;
    return box;
  }
  const double dlon = dlat / cos_lat;
  box.min_lon = center.lon - dlon;
  box.max_lon = center.lon + dlon;
  if (box.min_lon < -180.0 || box.max_lon > 180.0) {
    // Across the antimeridian: every longitude (rare, and only ever wider).
    box.min_lon = -180.0;
    box.max_lon = 180.0;
  }
  return box;
}

double clamp_duplicate_radius(double radius_m) {
  if (!(radius_m > 0)) return kDefaultDuplicateRadiusMeters;
  return std::min(radius_m, kMaxDuplicateRadiusMeters);
}

}  // namespace zocalo::requests
