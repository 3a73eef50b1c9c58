#pragma once
// A WGS84 position as GeoJSON orders it (longitude first). Open311 sends `lat` and `long` as
// separate fields, so the factory names its argument order to keep the two from being swapped.
#include <string>

#include "platform/core/result.hpp"

namespace zocalo::requests {

struct GeoPoint {
  double lon = 0;
  double lat = 0;

  // Rejects NaN, infinities and anything off the globe; a point that passes can be located.
  static Result<GeoPoint> from_lon_lat(double lon, double lat) {
    // Written as negated ranges so that NaN, which fails every comparison, is rejected too.
    if (!(lon >= -180.0 && lon <= 180.0) || !(lat >= -90.0 && lat <= 90.0)) {
      return fail(Error::invalid("requests.location.invalid",
                                 "lon " + std::to_string(lon) + ", lat " + std::to_string(lat)));
    }
    return GeoPoint{lon, lat};
  }

  friend bool operator==(const GeoPoint&, const GeoPoint&) = default;
};

}  // namespace zocalo::requests
