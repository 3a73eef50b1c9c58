#include "requests/model/geo_point.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace zocalo::requests {
namespace {

TEST(GeoPointTest, AcceptsPositionsOnTheGlobeIncludingItsEdges) {
  for (auto [lon, lat] :
       {std::pair{-99.1332, 19.4326}, {-180.0, -90.0}, {180.0, 90.0}, {0.0, 0.0}}) {
    Result<GeoPoint> point = GeoPoint::from_lon_lat(lon, lat);
    ASSERT_TRUE(point.ok()) << lon << "," << lat;
    EXPECT_EQ(point->lon, lon);
    EXPECT_EQ(point->lat, lat);
  }
}

TEST(GeoPointTest, RejectsNonFiniteAndOutOfRangeWithTheLocationKey) {
  constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (auto [lon, lat] : {std::pair{kNan, 19.0},
                          {-99.0, kNan},
                          {kInf, 19.0},
                          {-99.0, -kInf},
                          {-99.0, 90.5},
                          {-99.0, -91.0},
                          {180.1, 0.0},
                          {-181.0, 0.0}}) {
    Result<GeoPoint> point = GeoPoint::from_lon_lat(lon, lat);
    ASSERT_FALSE(point.ok()) << lon << "," << lat;
    EXPECT_EQ(point.error().kind, ErrorKind::kInvalidInput);
    EXPECT_EQ(point.error().user_key, "requests.location.invalid");
  }
}

}  // namespace
}  // namespace zocalo::requests
