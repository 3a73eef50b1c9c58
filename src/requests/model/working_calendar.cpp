#include "requests/model/working_calendar.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace zocalo::requests {
namespace {

using std::chrono::days;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr int kMinutesPerDay = 24 * 60;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

year_month_day nth_monday(year y, month m, unsigned n) {
  return year_month_day{sys_days{y / m / std::chrono::Monday[n]}};
}

Error invalid_calendar(std::string detail) {
  return Error::invalid("requests.calendar.invalid", std::move(detail));
}

}  // namespace

bool is_federal_rest_day(year_month_day date) {
  const year y = date.year();
  const int yi = static_cast<int>(y);
  // LFT art. 74 (text after the 2006 reform that moved three commemorations to Mondays):
  // I 1 Jan; II first Monday of February (for 5 Feb); III third Monday of March (for 21 Mar);
  // IV 1 May; V 16 Sep; VI third Monday of November (for 20 Nov); VIII 25 Dec.
  const year_month_day fixed[] = {y / 1 / 1, y / 5 / 1, y / 9 / 16, y / 12 / 25};
  for (const auto& d : fixed) {
    if (d == date) return true;
  }
  if (date == nth_monday(y, std::chrono::February, 1) ||
      date == nth_monday(y, std::chrono::March, 3) ||
      date == nth_monday(y, std::chrono::November, 3)) {
    return true;
  }
  // VII: the day the federal executive changes hands, every six years. The 2014 constitutional
  // reform moved it from 1 December to 1 October starting in 2024 (2024, 2030, ...); earlier
  // transitions (2018, 2012, 2006) were on 1 December, kept so old requests measure right.
  if (yi >= 2024 && (yi - 2024) % 6 == 0 && date == y / 10 / 1) return true;
  if (yi < 2024 && yi >= 2006 && (2018 - yi) % 6 == 0 && date == y / 12 / 1) return true;
  return false;
}

bool is_overdue(std::int64_t now_unix, std::int64_t due_unix) {
  return now_unix > due_unix;
}

Result<WorkingCalendar> WorkingCalendar::make(WorkingCalendarConfig config) {
  // Real offsets run from UTC−12 to UTC+14.
  if (config.utc_offset_seconds < -12 * 3600 || config.utc_offset_seconds > 14 * 3600) {
    return fail(invalid_calendar("UTC offset " + std::to_string(config.utc_offset_seconds) +
                                 " s is outside -12 h..+14 h"));
  }
  bool any_open = false;
  for (std::size_t i = 0; i < config.week.size(); ++i) {
    const WorkingDay& d = config.week[i];
    if (d.open_minute < 0 || d.close_minute > kMinutesPerDay || d.open_minute > d.close_minute) {
      return fail(invalid_calendar("weekday " + std::to_string(i + 1) + " hours " +
                                   std::to_string(d.open_minute) + ".." +
                                   std::to_string(d.close_minute) + " are not within one day"));
    }
    any_open = any_open || d.open_minute < d.close_minute;
  }
  // Without one working weekday nothing would ever fall due.
  if (!any_open) return fail(invalid_calendar("no working hours in the week"));
  for (const auto& d : config.extra_rest_days) {
    if (!d.ok()) return fail(invalid_calendar("extra rest day is not a calendar date"));
  }
  return WorkingCalendar(std::move(config));
}

WorkingCalendar WorkingCalendar::mexico_city() {
  return WorkingCalendar(WorkingCalendarConfig{});
}

WorkingCalendar::WorkingCalendar(WorkingCalendarConfig config) : config_(std::move(config)) {
  for (const auto& d : config_.extra_rest_days) {
    extra_days_.push_back(static_cast<std::int32_t>(sys_days{d}.time_since_epoch().count()));
  }
  std::sort(extra_days_.begin(), extra_days_.end());
}

bool WorkingCalendar::is_rest_day(year_month_day date) const {
  if (config_.federal_rest_days && is_federal_rest_day(date)) return true;
  const auto n = static_cast<std::int32_t>(sys_days{date}.time_since_epoch().count());
  return std::binary_search(extra_days_.begin(), extra_days_.end(), n);
}

bool WorkingCalendar::is_working_day(year_month_day date) const {
  const Span s = span_of(sys_days{date}.time_since_epoch().count());
  return s.begin < s.end;
}

WorkingCalendar::Span WorkingCalendar::span_of(std::int64_t day_number) const {
  const sys_days d{days{day_number}};
  const WorkingDay& hours = config_.week[std::chrono::weekday{d}.iso_encoding() - 1];
  const std::int64_t midnight = day_number * kSecondsPerDay;
  if (hours.open_minute >= hours.close_minute || is_rest_day(year_month_day{d})) {
    return {midnight, midnight};
  }
  return {midnight + hours.open_minute * 60LL, midnight + hours.close_minute * 60LL};
}

Result<std::int64_t> WorkingCalendar::add_working_hours(std::int64_t start_unix,
                                                        double hours) const {
  if (!std::isfinite(hours) || hours < 0 || hours > kMaxSlaHours) {
    return fail(Error::invalid("requests.sla.invalid",
                               "SLA of " + std::to_string(hours) + " working hours"));
  }
  return add_working_seconds(start_unix, std::llround(hours * 3600.0));
}

std::int64_t WorkingCalendar::add_working_seconds(std::int64_t start_unix,
                                                  std::int64_t seconds) const {
  if (seconds <= 0) return start_unix;
  const std::int64_t offset = config_.utc_offset_seconds;
  std::int64_t t = start_unix + offset;  // local seconds
  // One day at a time: at most a few thousand iterations for kMaxSlaHours, and simple enough
  // to trust around rest days.
  for (std::int64_t day_number = floor_div(t, kSecondsPerDay);; ++day_number) {
    const Span span = span_of(day_number);
    const std::int64_t from = std::max(t, span.begin);
    if (from < span.end) {
      const std::int64_t available = span.end - from;
      if (seconds <= available) return from + seconds - offset;
      seconds -= available;
    }
    t = (day_number + 1) * kSecondsPerDay;
  }
}

std::int64_t WorkingCalendar::working_seconds_between(std::int64_t a_unix,
                                                      std::int64_t b_unix) const {
  if (b_unix < a_unix) return -working_seconds_between(b_unix, a_unix);
  const std::int64_t a = a_unix + config_.utc_offset_seconds;
  const std::int64_t b = b_unix + config_.utc_offset_seconds;
  std::int64_t total = 0;
  const std::int64_t last = floor_div(b, kSecondsPerDay);
  for (std::int64_t day_number = floor_div(a, kSecondsPerDay); day_number <= last; ++day_number) {
    const Span span = span_of(day_number);
    const std::int64_t from = std::max(a, span.begin);
    const std::int64_t to = std::min(b, span.end);
    if (from < to) total += to - from;
  }
  return total;
}

}  // namespace zocalo::requests
