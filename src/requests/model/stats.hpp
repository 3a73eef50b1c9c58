#pragma once
// The pure arithmetic behind 311's public figures (issue 4, item 8, /reportes/cifras): medians,
// percentages and the per-group tallies the store feeds one request at a time. Kept apart from
// SQL so that SQLite and PostgreSQL give the same numbers: the store only scans rows, every
// figure is computed here.
#include <cstdint>
#include <optional>
#include <vector>

namespace zocalo::requests {

// The median of `values` (the mean of the two middle ones for an even count, as PostgreSQL's
// percentile_cont(0.5) does); nullopt when empty. Reorders `values` (nth_element: linear).
std::optional<double> median(std::vector<double>& values);

// 100 × part / whole rounded to one decimal; nullopt when `whole` is zero (no denominator is
// not 0 %).
std::optional<double> percent(long long part, long long whole);

// What the tally needs of one request of the period.
struct StatsRow {
  bool closed_now = false;     // status is closed (model/status is_closed)
  bool ever_reopened = false;  // an update row with status reopened exists
  std::int64_t requested_at = 0;
  std::optional<std::int64_t> closed_at;    // when it last closed
  std::optional<std::int64_t> expected_at;  // SLA due time
  // Working seconds between requested_at and closed_at (WorkingCalendar), when closed.
  std::optional<std::int64_t> working_seconds_to_close;
};

// The figures of one group (a service, an agency, or everything).
struct GroupFigures {
  long long volume = 0;                        // requests filed in the period
  long long open_now = 0;                      // of those, not closed now
  long long closed = 0;                        // of those, closed now
  std::optional<double> median_working_hours;  // to close, closed ones
  std::optional<double> median_calendar_days;  // to close, closed ones
  long long with_sla = 0;                      // closed ones with a due time
  long long within_sla = 0;                    // of those, closed_at <= expected_at
  std::optional<double> within_sla_percent;
  long long closed_once = 0;  // closed now, or reopened at least once (was closed before)
  long long reopened = 0;     // reopened at least once
  std::optional<double> reopen_percent;  // reopened / closed_once
};

// Feeds rows of one group; finish() computes the medians and percentages.
class GroupTally {
 public:
  void add(const StatsRow& row);
  GroupFigures finish();

 private:
  GroupFigures figures_;
  std::vector<double> working_hours_;
  std::vector<double> calendar_days_;
};

}  // namespace zocalo::requests
