#include "requests/model/working_calendar.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

namespace zocalo::requests {
namespace {

using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr std::int64_t kHour = 3600;

year_month_day ymd(int y, unsigned m, unsigned d) {
  return year{y} / static_cast<int>(m) / static_cast<int>(d);
}

// Unix time of a Mexico City wall-clock time (UTC−6).
std::int64_t cdmx(int y, unsigned m, unsigned d, int hh, int mm = 0, int ss = 0) {
  return sys_days{ymd(y, m, d)}.time_since_epoch().count() * 86'400LL + hh * 3600LL + mm * 60LL +
         ss + 6 * kHour;
}

std::string show(std::int64_t unix) {
  const std::int64_t local = unix - 6 * kHour;
  const auto days = local >= 0 ? local / 86'400 : (local - 86'399) / 86'400;
  const year_month_day d{sys_days{std::chrono::days{days}}};
  const std::int64_t s = local - days * 86'400;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02lld:%02lld:%02lld", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()),
                static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60),
                static_cast<long long>(s % 60));
  return buf;
}

TEST(WorkingCalendarTest, MexicoCityIsFixedUtcMinusSix) {
  // Monday 2 June 2025 09:00 in Mexico City is 15:00 UTC (no summer time since Oct 2022).
  EXPECT_EQ(cdmx(2025, 6, 2, 9), 1'748'876'400);
  EXPECT_EQ(WorkingCalendar::mexico_city().config().utc_offset_seconds, -6 * kHour);
}

struct DueCase {
  const char* name;
  std::int64_t start;
  double hours;
  std::int64_t due;
};

TEST(WorkingCalendarTest, AddWorkingHours) {
  // Week of Monday 2 June 2025: no rest days.
  const DueCase cases[] = {
      {"inside hours, same day", cdmx(2025, 6, 2, 10), 2, cdmx(2025, 6, 2, 12)},
      {"ends exactly at closing", cdmx(2025, 6, 2, 10), 8, cdmx(2025, 6, 2, 18)},
      {"a full day from opening ends at closing", cdmx(2025, 6, 2, 9), 9, cdmx(2025, 6, 2, 18)},
      {"over the night", cdmx(2025, 6, 2, 10), 9, cdmx(2025, 6, 3, 10)},
      {"before opening waits for it", cdmx(2025, 6, 2, 7), 1, cdmx(2025, 6, 2, 10)},
      {"at midnight", cdmx(2025, 6, 3, 0), 1, cdmx(2025, 6, 3, 10)},
      {"after closing starts next morning", cdmx(2025, 6, 2, 20), 1, cdmx(2025, 6, 3, 10)},
      {"exactly at closing starts next morning", cdmx(2025, 6, 2, 18), 1, cdmx(2025, 6, 3, 10)},
      {"one second before closing", cdmx(2025, 6, 2, 17, 59, 59), 1, cdmx(2025, 6, 3, 9, 59, 59)},
      {"Friday evening to Monday", cdmx(2025, 6, 6, 17), 2, cdmx(2025, 6, 9, 10)},
      {"Friday night to Monday", cdmx(2025, 6, 6, 19), 1, cdmx(2025, 6, 9, 10)},
      {"Saturday to Monday", cdmx(2025, 6, 7, 12), 1, cdmx(2025, 6, 9, 10)},
      {"late Sunday", cdmx(2025, 6, 8, 23, 59), 0.5, cdmx(2025, 6, 9, 9, 30)},
      {"zero hours is due at once", cdmx(2025, 6, 2, 12), 0, cdmx(2025, 6, 2, 12)},
      {"zero hours on a Saturday too", cdmx(2025, 6, 7, 12), 0, cdmx(2025, 6, 7, 12)},
      {"quarter hour over the night", cdmx(2025, 6, 2, 17, 50), 0.25, cdmx(2025, 6, 3, 9, 5)},
      {"fractional hours", cdmx(2025, 6, 2, 9), 1.5, cdmx(2025, 6, 2, 10, 30)},
      {"one second", cdmx(2025, 6, 2, 9), 1.0 / 3600, cdmx(2025, 6, 2, 9, 0, 1)},
      {"48 h is five and a third days", cdmx(2025, 6, 2, 9), 48, cdmx(2025, 6, 9, 12)},
      {"a working week", cdmx(2025, 6, 2, 9), 45, cdmx(2025, 6, 6, 18)},
      {"two working weeks", cdmx(2025, 6, 2, 9), 90, cdmx(2025, 6, 13, 18)},
      {"four weeks from Wednesday noon", cdmx(2025, 6, 4, 12), 180, cdmx(2025, 7, 2, 12)},
      // Rest days (LFT art. 74).
      {"Independence Day, Tuesday", cdmx(2025, 9, 15, 17), 2, cdmx(2025, 9, 17, 10)},
      {"Revolution Day, third Monday of November", cdmx(2025, 11, 14, 17), 2,
       cdmx(2025, 11, 18, 10)},
      {"Constitution Day, first Monday of February", cdmx(2025, 1, 31, 17), 2,
       cdmx(2025, 2, 4, 10)},
      {"Juárez's birthday, third Monday of March", cdmx(2025, 3, 14, 17), 2, cdmx(2025, 3, 18, 10)},
      {"Labour Day, Thursday", cdmx(2025, 4, 30, 17), 2, cdmx(2025, 5, 2, 10)},
      {"Christmas", cdmx(2025, 12, 24, 17), 10, cdmx(2025, 12, 26, 18)},
      {"over Christmas and New Year", cdmx(2025, 12, 22, 9), 90, cdmx(2026, 1, 6, 18)},
      {"presidential transition, 1 Oct 2024", cdmx(2024, 9, 30, 17), 2, cdmx(2024, 10, 2, 10)},
      {"1 Oct 2025 is a working day", cdmx(2025, 9, 30, 17), 2, cdmx(2025, 10, 1, 10)},
      {"starting on a rest day", cdmx(2025, 12, 25, 10), 1, cdmx(2025, 12, 26, 10)},
  };
  const WorkingCalendar cal = WorkingCalendar::mexico_city();
  for (const DueCase& c : cases) {
    auto due = cal.add_working_hours(c.start, c.hours);
    ASSERT_TRUE(due) << c.name;
    EXPECT_EQ(*due, c.due) << c.name << ": got " << show(*due) << ", want " << show(c.due);
  }
}

struct BetweenCase {
  const char* name;
  std::int64_t a;
  std::int64_t b;
  std::int64_t seconds;
};

TEST(WorkingCalendarTest, WorkingSecondsBetween) {
  const BetweenCase cases[] = {
      {"same instant", cdmx(2025, 6, 2, 10), cdmx(2025, 6, 2, 10), 0},
      {"inside one day", cdmx(2025, 6, 2, 10), cdmx(2025, 6, 2, 12), 2 * kHour},
      {"over the night", cdmx(2025, 6, 2, 17), cdmx(2025, 6, 3, 10), 2 * kHour},
      {"both before opening", cdmx(2025, 6, 2, 1), cdmx(2025, 6, 2, 8), 0},
      {"from the night before to noon", cdmx(2025, 6, 1, 22), cdmx(2025, 6, 2, 12), 3 * kHour},
      {"over the weekend", cdmx(2025, 6, 6, 17), cdmx(2025, 6, 9, 10), 2 * kHour},
      {"within a weekend", cdmx(2025, 6, 7, 0), cdmx(2025, 6, 9, 0), 0},
      {"one week", cdmx(2025, 6, 2, 0), cdmx(2025, 6, 9, 0), 45 * kHour},
      {"week with Independence Day", cdmx(2025, 9, 15, 0), cdmx(2025, 9, 22, 0), 36 * kHour},
      {"reversed is negative", cdmx(2025, 6, 2, 12), cdmx(2025, 6, 2, 10), -2 * kHour},
      {"a year", cdmx(2025, 1, 1, 0), cdmx(2026, 1, 1, 0),
       // 2025 has 261 weekdays and all seven rest days fall on one of them (1 Jan Wednesday,
       // 1 May and 25 Dec Thursday, 16 Sep Tuesday, and the three Mondays).
       (261 - 7) * 9 * kHour},
  };
  const WorkingCalendar cal = WorkingCalendar::mexico_city();
  for (const BetweenCase& c : cases) {
    EXPECT_EQ(cal.working_seconds_between(c.a, c.b), c.seconds) << c.name;
  }
}

TEST(WorkingCalendarTest, DueTimeIsTheEarliestInstantWithTheHoursWorked) {
  const WorkingCalendar cal = WorkingCalendar::mexico_city();
  // Starts every 37 minutes across three weeks around Christmas; SLAs from 1 s to 3 weeks.
  for (std::int64_t start = cdmx(2025, 12, 15, 0); start < cdmx(2026, 1, 5, 0); start += 37 * 60) {
    for (std::int64_t seconds : {1LL, 59LL, 3600LL, 9 * 3600LL, 48 * 3600LL, 135 * 3600LL}) {
      const std::int64_t due = cal.add_working_seconds(start, seconds);
      ASSERT_EQ(cal.working_seconds_between(start, due), seconds) << show(start);
      ASSERT_EQ(cal.working_seconds_between(start, due - 1), seconds - 1) << show(start);
    }
  }
}

TEST(WorkingCalendarTest, InvalidSlaHoursAreRejected) {
  const WorkingCalendar cal = WorkingCalendar::mexico_city();
  for (double bad : {-1.0, -0.001, kMaxSlaHours + 1, std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity()}) {
    auto due = cal.add_working_hours(cdmx(2025, 6, 2, 9), bad);
    ASSERT_FALSE(due) << bad;
    EXPECT_EQ(due.error().user_key, "requests.sla.invalid");
  }
  EXPECT_TRUE(cal.add_working_hours(cdmx(2025, 6, 2, 9), kMaxSlaHours));
}

TEST(WorkingCalendarTest, IsOverdueOnlyAfterTheDueSecond) {
  const std::int64_t due = cdmx(2025, 6, 2, 12);
  EXPECT_FALSE(is_overdue(due - 1, due));
  EXPECT_FALSE(is_overdue(due, due));
  EXPECT_TRUE(is_overdue(due + 1, due));
}

TEST(WorkingCalendarTest, FederalRestDaysFollowLftArticle74) {
  struct Row {
    year_month_day date;
    bool rest;
  };
  const Row rows[] = {
      {ymd(2025, 1, 1), true},   {ymd(2025, 2, 3), true},   {ymd(2025, 2, 5), false},
      {ymd(2025, 3, 17), true},  {ymd(2025, 3, 21), false}, {ymd(2025, 5, 1), true},
      {ymd(2025, 9, 16), true},  {ymd(2025, 11, 17), true}, {ymd(2025, 11, 20), false},
      {ymd(2025, 12, 25), true}, {ymd(2025, 10, 1), false}, {ymd(2025, 12, 12), false},
      {ymd(2024, 2, 5), true},   {ymd(2024, 3, 18), true},  {ymd(2024, 10, 1), true},
      {ymd(2024, 11, 18), true}, {ymd(2024, 12, 1), false}, {ymd(2030, 10, 1), true},
      {ymd(2036, 10, 1), true},  {ymd(2027, 10, 1), false}, {ymd(2018, 12, 1), true},
      {ymd(2018, 10, 1), false}, {ymd(2026, 2, 2), true},   {ymd(2026, 3, 16), true},
      {ymd(2026, 11, 16), true}, {ymd(2026, 6, 15), false},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(is_federal_rest_day(r.date), r.rest)
        << static_cast<int>(r.date.year()) << "-" << static_cast<unsigned>(r.date.month()) << "-"
        << static_cast<unsigned>(r.date.day());
  }
}

TEST(WorkingCalendarTest, ExtraRestDaysAreClosed) {
  // Holy Thursday and Good Friday 2025, as the Gaceta Oficial declares them días inhábiles.
  WorkingCalendarConfig config;
  config.extra_rest_days = {ymd(2025, 4, 18), ymd(2025, 4, 17)};
  auto cal = WorkingCalendar::make(config);
  ASSERT_TRUE(cal);
  EXPECT_TRUE(cal->is_rest_day(ymd(2025, 4, 17)));
  EXPECT_FALSE(cal->is_working_day(ymd(2025, 4, 18)));
  EXPECT_TRUE(cal->is_working_day(ymd(2025, 4, 16)));
  EXPECT_EQ(*cal->add_working_hours(cdmx(2025, 4, 16, 17), 2), cdmx(2025, 4, 21, 10));
  EXPECT_EQ(*WorkingCalendar::mexico_city().add_working_hours(cdmx(2025, 4, 16, 17), 2),
            cdmx(2025, 4, 17, 10));
}

TEST(WorkingCalendarTest, FederalRestDaysCanBeTurnedOff) {
  WorkingCalendarConfig config;
  config.federal_rest_days = false;
  auto cal = WorkingCalendar::make(config);
  ASSERT_TRUE(cal);
  EXPECT_TRUE(cal->is_working_day(ymd(2025, 9, 16)));
  EXPECT_FALSE(cal->is_working_day(ymd(2025, 9, 13)));  // still a Saturday
}

TEST(WorkingCalendarTest, AroundTheClockAgency) {
  // A water-leak crew: every day, all day, no rest days; working time is wall-clock time.
  WorkingCalendarConfig config;
  config.week.fill(WorkingDay{0, 24 * 60});
  config.federal_rest_days = false;
  auto cal = WorkingCalendar::make(config);
  ASSERT_TRUE(cal);
  const std::int64_t start = cdmx(2025, 12, 24, 23, 30);
  EXPECT_EQ(*cal->add_working_hours(start, 4), start + 4 * kHour);
  EXPECT_EQ(cal->working_seconds_between(start, start + 100 * kHour), 100 * kHour);
}

TEST(WorkingCalendarTest, SaturdayMorningAndOtherOffset) {
  // An agency open Saturdays 09:00-14:00, configured in UTC−5 (e.g. Quintana Roo).
  WorkingCalendarConfig config;
  config.utc_offset_seconds = -5 * kHour;
  config.week[5] = WorkingDay{9 * 60, 14 * 60};
  auto cal = WorkingCalendar::make(config);
  ASSERT_TRUE(cal);
  // Friday 17:00 UTC−5 is 16:00 in Mexico City; one hour left Friday, then Saturday 09:00-10:00.
  const std::int64_t friday_5pm = cdmx(2025, 6, 6, 16);
  EXPECT_EQ(*cal->add_working_hours(friday_5pm, 2), cdmx(2025, 6, 7, 9));  // 10:00 UTC−5
  EXPECT_EQ(*cal->add_working_hours(friday_5pm, 7), cdmx(2025, 6, 9, 9));  // Monday 10:00
}

TEST(WorkingCalendarTest, InvalidConfigurationIsRejected) {
  auto expect_invalid = [](const WorkingCalendarConfig& config, const char* why) {
    auto cal = WorkingCalendar::make(config);
    ASSERT_FALSE(cal) << why;
    EXPECT_EQ(cal.error().user_key, "requests.calendar.invalid") << why;
  };
  WorkingCalendarConfig c;
  c.week[0] = WorkingDay{18 * 60, 9 * 60};
  expect_invalid(c, "closes before it opens");
  c = {};
  c.week[2] = WorkingDay{9 * 60, 25 * 60};
  expect_invalid(c, "closes after midnight");
  c = {};
  c.week[2] = WorkingDay{-60, 60};
  expect_invalid(c, "opens before midnight");
  c = {};
  c.week.fill(WorkingDay{});
  expect_invalid(c, "never open");
  c = {};
  c.utc_offset_seconds = 15 * 3600;
  expect_invalid(c, "offset");
  c = {};
  c.extra_rest_days = {ymd(2025, 2, 30)};
  expect_invalid(c, "30 February");
  EXPECT_TRUE(WorkingCalendar::make(WorkingCalendarConfig{}));
}

}  // namespace
}  // namespace zocalo::requests
