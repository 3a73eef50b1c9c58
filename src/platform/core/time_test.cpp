#include "platform/core/time.hpp"

#include <gtest/gtest.h>

namespace zocalo::time {
namespace {

TEST(Iso8601Test, AcceptsZuluAndOffsets) {
  // The spec's own pair: the same instant.
  EXPECT_EQ(parse_iso8601("1994-11-05T08:15:30-05:00"), 784'041'330);
  EXPECT_EQ(parse_iso8601("1994-11-05T13:15:30Z"), 784'041'330);
  EXPECT_EQ(parse_iso8601("2025-06-01T00:00:00-06:00"), parse_iso8601("2025-06-01T06:00:00Z"));
  EXPECT_EQ(parse_iso8601("2025-06-01T06:00Z"), parse_iso8601("2025-06-01T06:00:00Z"));
  EXPECT_EQ(parse_iso8601("2025-06-01t06:00:00.123456z"), parse_iso8601("2025-06-01T06:00:00Z"));
  EXPECT_EQ(parse_iso8601("2025-06-01T06:00:00+05:30"), parse_iso8601("2025-06-01T00:30:00Z"));
  EXPECT_EQ(parse_iso8601("2024-02-29T12:00:00Z"), 1'709'208'000);
}

TEST(Iso8601Test, RejectsNaiveTimesAndDatesAlone) {
  EXPECT_FALSE(parse_iso8601("2025-06-01T00:00:00"));
  EXPECT_FALSE(parse_iso8601("2025-06-01T00:00"));
  EXPECT_FALSE(parse_iso8601("2025-06-01"));
  EXPECT_FALSE(parse_iso8601(""));
}

TEST(Iso8601Test, RejectsMalformedAndImpossibleValues) {
  for (const char* bad : {"2025-02-29T00:00:00Z",      "2025-13-01T00:00:00Z",
                          "2025-06-31T00:00:00Z",      "2025-06-01T24:00:00Z",
                          "2025-06-01T23:60:00Z",      "2025-06-01T23:59:60Z",
                          "2025-06-01 00:00:00Z",      "2025/06/01T00:00:00Z",
                          "25-06-01T00:00:00Z",        "2025-06-01T00:00:00+0600",
                          "2025-06-01T00:00:00+06",    "2025-06-01T00:00:00+24:00",
                          "2025-06-01T00:00:00.Z",     "2025-06-01T00:00:00.1234567890Z",
                          "2025-06-01T00:00:00Z ",     " 2025-06-01T00:00:00Z",
                          "2025-06-01T00:00:00ZZ",     "0999-12-31T23:59:59Z",
                          "9999-12-31T23:00:00-02:00", "+2025-06-01T00:00Z",
                          "2025-06-01T00:00:0Z",       "2025-6-01T00:00:00Z"}) {
    EXPECT_FALSE(parse_iso8601(bad)) << bad;
  }
}

TEST(TimeTest, FormatsUtcWithAZone) {
  EXPECT_EQ(to_iso8601(784'041'330), "1994-11-05T13:15:30Z");
  EXPECT_EQ(to_http_date(784'041'330), "Sat, 05 Nov 1994 13:15:30 GMT");
  EXPECT_EQ(parse_iso8601(to_iso8601(1'790'000'000)), 1'790'000'000);
}

}  // namespace
}  // namespace zocalo::time
