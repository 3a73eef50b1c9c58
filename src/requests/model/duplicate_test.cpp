#include "requests/model/duplicate.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>

namespace zocalo::requests {
namespace {

// The Zócalo's flagpole and the Palacio de Bellas Artes, about 1.1 km apart.
constexpr GeoPoint kZocalo{-99.133209, 19.432608};
constexpr GeoPoint kBellasArtes{-99.141188, 19.435191};

TEST(DuplicateTest, DistanceIsZeroForTheSamePointAndSymmetric) {
  EXPECT_DOUBLE_EQ(distance_meters(kZocalo, kZocalo), 0.0);
  EXPECT_DOUBLE_EQ(distance_meters(kZocalo, kBellasArtes), distance_meters(kBellasArtes, kZocalo));
}

TEST(DuplicateTest, DistanceMatchesKnownValues) {
  // One thousandth of a degree of latitude is 111.2 m everywhere.
  EXPECT_NEAR(distance_meters({-99.13, 19.43}, {-99.13, 19.431}), 111.19, 0.05);
  // A thousandth of a degree of longitude at 19.43° N: 111.19 · cos(19.43°) = 104.86 m.
  EXPECT_NEAR(distance_meters({-99.13, 19.43}, {-99.131, 19.43}), 104.86, 0.05);
  EXPECT_NEAR(distance_meters(kZocalo, kBellasArtes), 885.0, 15.0);
  // Antipodes: half the circumference, not NaN.
  EXPECT_NEAR(distance_meters({0, 0}, {180, 0}), std::numbers::pi * kEarthMeanRadiusMeters, 1.0);
}

TEST(DuplicateTest, NearUsesTheRadiusInclusive) {
  const GeoPoint forty{-99.133209, 19.432608 + 40.0 / 111'195.0};
  const GeoPoint sixty{-99.133209, 19.432608 + 60.0 / 111'195.0};
  EXPECT_TRUE(is_near(kZocalo, forty, 50));
  EXPECT_FALSE(is_near(kZocalo, sixty, 50));
  EXPECT_TRUE(is_near(kZocalo, sixty, 61));
}

TEST(DuplicateTest, BoxHoldsEveryPointOfTheCircle) {
  for (const GeoPoint center : {kZocalo, GeoPoint{10, 60}, GeoPoint{-70, -45}}) {
    const SearchBox box = box_around(center, 50);
    EXPECT_TRUE(box.contains(center));
    // Points 49.9 m away in 36 directions all fall inside the box.
    for (int i = 0; i < 36; ++i) {
      const double angle = i * std::numbers::pi / 18;
      const double dlat = 49.9 * std::cos(angle) / 111'195.0;
      const double dlon =
          49.9 * std::sin(angle) / (111'195.0 * std::cos(center.lat * std::numbers::pi / 180));
      const GeoPoint p{center.lon + dlon, center.lat + dlat};
      EXPECT_LT(distance_meters(center, p), 50.0);
      EXPECT_TRUE(box.contains(p)) << i;
    }
    // And the box is not much more than the circle: 100 m away is outside.
    EXPECT_FALSE(box.contains({center.lon, center.lat + 100.0 / 111'195.0}));
  }
}

TEST(DuplicateTest, BoxNearThePolesAndTheAntimeridianCoversEveryLongitude) {
  const SearchBox pole = box_around({0, 89.9999}, 50);
  EXPECT_EQ(pole.min_lon, -180.0);
  EXPECT_EQ(pole.max_lon, 180.0);
  EXPECT_LE(pole.max_lat, 90.0);
  const SearchBox dateline = box_around({179.99999, 0}, 50);
  EXPECT_EQ(dateline.min_lon, -180.0);
  EXPECT_EQ(dateline.max_lon, 180.0);
}

TEST(DuplicateTest, RadiusIsBounded) {
  EXPECT_EQ(clamp_duplicate_radius(0), kDefaultDuplicateRadiusMeters);
  EXPECT_EQ(clamp_duplicate_radius(-5), kDefaultDuplicateRadiusMeters);
  EXPECT_EQ(clamp_duplicate_radius(std::numeric_limits<double>::quiet_NaN()),
            kDefaultDuplicateRadiusMeters);
  EXPECT_EQ(clamp_duplicate_radius(75), 75);
  EXPECT_EQ(clamp_duplicate_radius(1e9), kMaxDuplicateRadiusMeters);
}

}  // namespace
}  // namespace zocalo::requests
