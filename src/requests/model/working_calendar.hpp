#pragma once
// Working time for SLAs: when is a request due, and how much working time did it take.
//
// An agency promises "48 working hours", not two days: nights, weekends and rest days do not
// count. The default calendar is Mexico City's public offices: Monday to Friday 09:00-18:00
// in America/Mexico_City, closed on the mandatory rest days of the Ley Federal del Trabajo,
// art. 74. Each agency may configure its own hours (24/7 for water leaks, a Saturday morning)
// and extra rest days (the días inhábiles the Gaceta Oficial de la Ciudad de México publishes
// each year, such as Holy Thursday and Friday; election day, LFT art. 74 fr. IX).
//
// Time zone: a fixed UTC offset, not a tz database. Mexico abolished daylight saving time for
// most of the country (Ley de los Husos Horarios, DOF 28 Oct 2022); Mexico City has been UTC−6
// all year since 30 Oct 2022. Summer timestamps before that date were UTC−5, so working time
// computed here for them is off by up to an hour; agencies in the border strip that still
// follow US DST need their offset changed twice a year, or a tz-aware calendar.
#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#include "platform/core/result.hpp"

namespace zocalo::requests {

// Opening hours of one weekday in minutes after local midnight: [open_minute, close_minute).
// Closed all day when they are equal. One span a day (no lunch break, no overnight shift).
struct WorkingDay {
  int open_minute = 0;
  int close_minute = 0;
};

struct WorkingCalendarConfig {
  std::int32_t utc_offset_seconds = -6 * 3600;  // America/Mexico_City since Oct 2022
  // Monday first (ISO 8601 order).
  std::array<WorkingDay, 7> week = {{{540, 1080},  // Monday 09:00-18:00
                                     {540, 1080},
                                     {540, 1080},
                                     {540, 1080},
                                     {540, 1080},  // Friday
                                     {0, 0},       // Saturday closed
                                     {0, 0}}};     // Sunday closed
  // Close on the LFT art. 74 mandatory rest days.
  bool federal_rest_days = true;
  std::vector<std::chrono::year_month_day> extra_rest_days;
};

// Longest SLA accepted: about four years of office hours. It bounds the arithmetic's loops and
// catches a "48" typed into a minutes field as hours times a thousand.
inline constexpr double kMaxSlaHours = 10'000;

class WorkingCalendar {
 public:
  // Validates the configuration; errors carry "requests.calendar.invalid".
  static Result<WorkingCalendar> make(WorkingCalendarConfig config);
  // The default above: Mexico City offices.
  static WorkingCalendar mexico_city();

  // Whether `date` is a rest day (federal or extra), whatever its weekday.
  bool is_rest_day(std::chrono::year_month_day date) const;
  // Whether any working time falls on `date`.
  bool is_working_day(std::chrono::year_month_day date) const;

  // The due time (Open311 `expected_datetime`) of work taking `hours` working hours from
  // `start_unix`: the earliest instant t with working_seconds_between(start, t) equal to the
  // hours, rounded to the second. Zero hours is due at once, even outside working time.
  // Negative, non-finite or over kMaxSlaHours fails with "requests.sla.invalid".
  Result<std::int64_t> add_working_hours(std::int64_t start_unix, double hours) const;
  // The same in whole seconds, unchecked; zero or negative is due at `start_unix`.
  std::int64_t add_working_seconds(std::int64_t start_unix, std::int64_t seconds) const;

  // Working seconds in [a, b): what "closed within SLA" and median time to close measure.
  // Negative when b < a, so that between(a, b) == -between(b, a).
  std::int64_t working_seconds_between(std::int64_t a_unix, std::int64_t b_unix) const;

  const WorkingCalendarConfig& config() const { return config_; }

 private:
  explicit WorkingCalendar(WorkingCalendarConfig config);
  // Working span of local day `day` (days since 1970-01-01 local) in local seconds, or an
  // empty span.
  struct Span {
    std::int64_t begin;
    std::int64_t end;
  };
  Span span_of(std::int64_t day) const;

  WorkingCalendarConfig config_;
  std::vector<std::int32_t> extra_days_;  // extra_rest_days as sorted days since the epoch
};

// LFT art. 74 mandatory rest days, by date.
bool is_federal_rest_day(std::chrono::year_month_day date);

// Past due only after the due second itself: a request closed at `due` met its SLA.
bool is_overdue(std::int64_t now_unix, std::int64_t due_unix);

}  // namespace zocalo::requests
