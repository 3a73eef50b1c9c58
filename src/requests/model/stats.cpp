#include "requests/model/stats.hpp"

#include <algorithm>
#include <cmath>

namespace zocalo::requests {

std::optional<double> median(std::vector<double>& values) {
  if (values.empty()) return std::nullopt;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  // The lower middle is the largest of the elements nth_element left before `mid`.
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

std::optional<double> percent(long long part, long long whole) {
  if (whole <= 0) return std::nullopt;
  const double p = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  return std::round(p * 10) / 10;
}

void GroupTally::add(const StatsRow& row) {
  ++figures_.volume;
  if (row.ever_reopened) ++figures_.reopened;
  if (row.closed_now || row.ever_reopened) ++figures_.closed_once;
  if (!row.closed_now || !row.closed_at) {
    if (!row.closed_now) ++figures_.open_now;
    return;
  }
  ++figures_.closed;
  const std::int64_t calendar = std::max<std::int64_t>(0, *row.closed_at - row.requested_at);
  calendar_days_.push_back(static_cast<double>(calendar) / 86400.0);
  if (row.working_seconds_to_close) {
    working_hours_.push_back(
        static_cast<double>(std::max<std::int64_t>(0, *row.working_seconds_to_close)) / 3600.0);
  }
  if (row.expected_at) {
    ++figures_.with_sla;
    // Closed at the due second itself met the SLA (working_calendar.hpp, is_overdue).
    if (*row.closed_at <= *row.expected_at) ++figures_.within_sla;
  }
}

GroupFigures GroupTally::finish() {
  GroupFigures out = figures_;
  out.median_working_hours = median(working_hours_);
  out.median_calendar_days = median(calendar_days_);
  out.within_sla_percent = percent(out.within_sla, out.with_sla);
  out.reopen_percent = percent(out.reopened, out.closed_once);
  return out;
}

}  // namespace zocalo::requests
