#pragma once
// Duplicates on intake (issue 4, item 5): before a resident files a report, open requests of
// the same service within a radius are offered ("ya lo reportaron: síguelo"). The store picks
// candidates with a bounding box on lat/lon (index-friendly); this file holds the exact rule:
// the great-circle distance on a sphere of the mean Earth radius (haversine), which at 50 m is
// off from the WGS84 ellipsoid by well under a metre.
#include <vector>

#include "requests/model/geo_point.hpp"

namespace zocalo::requests {

inline constexpr double kDefaultDuplicateRadiusMeters = 50;
// Bounded: a city-wide "radius" would list thousands of requests as duplicates.
inline constexpr double kMaxDuplicateRadiusMeters = 1'000;
inline constexpr double kEarthMeanRadiusMeters = 6'371'008.8;  // IUGG mean radius R1

// Great-circle distance in metres.
double distance_meters(GeoPoint a, GeoPoint b);

// The lat/lon box that holds every point within `radius_m` of `center` (a superset: the
// corners are farther). Longitude span grows with latitude; near the poles it covers every
// longitude. Never crosses the antimeridian in a way that loses points: the box is clamped to
// [-180, 180] and callers near it get a wider box, not a smaller one.
struct SearchBox {
  double min_lon = 0;
  double max_lon = 0;
  double min_lat = 0;
  double max_lat = 0;
  bool contains(GeoPoint p) const {
    return p.lon >= min_lon && p.lon <= max_lon && p.lat >= min_lat && p.lat <= max_lat;
  }
};
SearchBox box_around(GeoPoint center, double radius_m);

// A radius from configuration, clamped to (0, kMaxDuplicateRadiusMeters]; anything else
// (0, negative, NaN) is the default.
double clamp_duplicate_radius(double radius_m);

// Whether `candidate` counts as a duplicate of a report at `point`: within the radius.
inline bool is_near(GeoPoint point, GeoPoint candidate, double radius_m) {
  return distance_meters(point, candidate) <= radius_m;
}

}  // namespace zocalo::requests
