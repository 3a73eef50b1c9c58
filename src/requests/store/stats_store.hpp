#pragma once
// Reads for 311's public figures (issue 4, item 8): /reportes/cifras (per service and per
// agency over a period) and /reportes/mapa (open requests per alcaldía with the areas'
// boundaries). The store only scans rows; every median and percentage is computed by
// model/stats in C++, so SQLite and PostgreSQL give the same numbers to the digit.
#include <cstdint>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "requests/model/service.hpp"
#include "requests/model/stats.hpp"
#include "requests/model/working_calendar.hpp"

namespace zocalo::requests {

struct GroupRow {
  std::string code;
  LocalizedText name;
  GroupFigures figures;
};

struct StatsReport {
  std::int64_t since = 0;  // [since, until): requests filed in the period
  std::int64_t until = 0;
  std::vector<GroupRow> by_service;  // by name (es)
  std::vector<GroupRow> by_agency;   // by name (es)
  GroupFigures total;
};

struct AreaOpenCount {
  std::string code;
  std::string name;
  std::string geojson;  // the boundary (areas.geojson)
  long long open = 0;   // requests not closed now, of any age
};

// A period longer than this is refused by the routes; the scan is bounded by it as well.
inline constexpr int kStatsMaxDays = 366;

class StatsStore {
 public:
  explicit StatsStore(db::Database& db) : db_(db) {}

  // Figures for the requests filed in [since, until). Working hours to close use `calendar`
  // (Mexico City offices by default; per-agency calendars are not stored yet). Memory: two
  // doubles per closed request of the period (the medians), bounded by the period.
  Result<StatsReport> figures(std::int64_t since, std::int64_t until,
                              const WorkingCalendar& calendar = WorkingCalendar::mexico_city());

  // Every alcaldía with its boundary and its open requests now, by name.
  Result<std::vector<AreaOpenCount>> open_by_area();

 private:
  db::Database& db_;
};

}  // namespace zocalo::requests
