#pragma once
// Open data of 311 (issue 4, item 8): the rows behind /reportes/datos.csv and
// /reportes/datos.geojson. Only public columns are ever selected: folio, service, status,
// alcaldía, agency, dates, channel, point and description. NEVER e-mail, phone, names,
// account or device (migration 0010 marks them personal). Private requests publish a point
// rounded to 0.001° and no description, as their public page does.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "requests/model/geo_point.hpp"

namespace zocalo::requests {

struct ExportRow {
  long long id = 0;  // the page key with requested_at; not written out
  std::string folio;
  std::string service_code;
  std::string service_name;  // es
  std::string status;
  std::string area_code;  // empty without a point/alcaldía
  std::string area_name;
  std::string agency_code;
  std::string agency_name;  // es
  std::int64_t requested_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> expected_at;
  std::optional<std::int64_t> closed_at;
  std::string channel;  // web, phone, api:<key name>
  std::optional<GeoPoint> point;
  std::string description;  // empty for private requests
  bool is_private = false;
};

// Rows of one file (a page): the memory a download may take is bounded by this.
inline constexpr int kExportPageRows = 5'000;

struct ExportPage {
  std::vector<ExportRow> rows;
  bool has_more = false;  // another page follows
};

class ExportStore {
 public:
  explicit ExportStore(db::Database& db) : db_(db) {}

  // Requests filed in [since, until), oldest first (requested_at, id), page `page` (1-based)
  // of `page_rows` (1..kExportPageRows). Offset paging over the (requested_at, id) index;
  // routes bound the page number so the offset stays small.
  Result<ExportPage> page(std::int64_t since, std::int64_t until, int page,
                          int page_rows = kExportPageRows);

 private:
  db::Database& db_;
};

}  // namespace zocalo::requests
