// The figures' arithmetic: medians as percentile_cont(0.5) gives them, percentages with no
// denominator, and the per-group tally of volume, open, SLA and reopen rate.
#include "requests/model/stats.hpp"

#include <gtest/gtest.h>

namespace zocalo::requests {
namespace {

TEST(StatsMedian, OddEvenAndEmpty) {
  std::vector<double> none;
  EXPECT_FALSE(median(none));
  std::vector<double> one{7};
  EXPECT_DOUBLE_EQ(*median(one), 7);
  std::vector<double> odd{9, 1, 5, 3, 7};
  EXPECT_DOUBLE_EQ(*median(odd), 5);
  std::vector<double> even{10, 1, 4, 2};  // 2 and 4 in the middle
  EXPECT_DOUBLE_EQ(*median(even), 3);
  std::vector<double> ties{2, 2, 2, 8};
  EXPECT_DOUBLE_EQ(*median(ties), 2);
}

TEST(StatsPercent, RoundsToOneDecimalAndHasNoneWithoutDenominator) {
  EXPECT_FALSE(percent(0, 0));
  EXPECT_DOUBLE_EQ(*percent(1, 3), 33.3);
  EXPECT_DOUBLE_EQ(*percent(2, 3), 66.7);
  EXPECT_DOUBLE_EQ(*percent(0, 5), 0);
  EXPECT_DOUBLE_EQ(*percent(5, 5), 100);
}

TEST(StatsTally, CountsOpenClosedSlaAndReopens) {
  GroupTally tally;
  // Closed after 1 day, due in 2: on time; 8 working hours.
  tally.add({.closed_now = true,
             .requested_at = 0,
             .closed_at = 86400,
             .expected_at = 172800,
             .working_seconds_to_close = 8 * 3600});
  // Closed exactly at its due second: on time; reopened once before.
  tally.add({.closed_now = true,
             .ever_reopened = true,
             .requested_at = 0,
             .closed_at = 3 * 86400,
             .expected_at = 3 * 86400,
             .working_seconds_to_close = 27 * 3600});
  // Closed late, no reopen.
  tally.add({.closed_now = true,
             .requested_at = 0,
             .closed_at = 5 * 86400,
             .expected_at = 86400,
             .working_seconds_to_close = 45 * 3600});
  // Reopened and open now: counts as closed once, and as open.
  tally.add({.closed_now = false,
             .ever_reopened = true,
             .requested_at = 0,
             .closed_at = 86400,
             .expected_at = 86400,
             .working_seconds_to_close = 9 * 3600});
  // Open, never closed.
  tally.add({.requested_at = 100});
  const GroupFigures f = tally.finish();
  EXPECT_EQ(f.volume, 5);
  EXPECT_EQ(f.open_now, 2);
  EXPECT_EQ(f.closed, 3);
  EXPECT_DOUBLE_EQ(*f.median_calendar_days, 3);
  EXPECT_DOUBLE_EQ(*f.median_working_hours, 27);
  EXPECT_EQ(f.with_sla, 3);
  EXPECT_EQ(f.within_sla, 2);
  EXPECT_DOUBLE_EQ(*f.within_sla_percent, 66.7);
  EXPECT_EQ(f.closed_once, 4);
  EXPECT_EQ(f.reopened, 2);
  EXPECT_DOUBLE_EQ(*f.reopen_percent, 50);
}

TEST(StatsTally, AnEmptyGroupHasNoMediansNorPercentages) {
  GroupTally tally;
  const GroupFigures f = tally.finish();
  EXPECT_EQ(f.volume, 0);
  EXPECT_FALSE(f.median_calendar_days);
  EXPECT_FALSE(f.median_working_hours);
  EXPECT_FALSE(f.within_sla_percent);
  EXPECT_FALSE(f.reopen_percent);
}

}  // namespace
}  // namespace zocalo::requests
