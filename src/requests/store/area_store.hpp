#pragma once
// Writing the city's areas (the `areas` table of migrations/*/0002_areas_agencies.sql) from an
// import (model/area_import.hpp): `zocalo areas import` and the /admin/areas page. On
// PostgreSQL the PostGIS geom column follows geojson by itself (a generated column).
#include <cstddef>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/also_in_transaction.hpp"
#include "platform/db/database.hpp"
#include "requests/model/area_import.hpp"

namespace zocalo::requests {

struct AreaSummary {
  std::string code;
  std::string name;
  std::size_t positions = 0;  // vertices of the stored boundary
  long long rules = 0;        // routing rules naming this area
};

struct AreaImportResult {
  std::size_t written = 0;           // inserted or redrawn
  std::vector<std::string> removed;  // --replace: areas no longer in the file
};

class AreaStore {
 public:
  explicit AreaStore(db::Database& db) : db_(db) {}

  // Upserts every area by code in one transaction, all or nothing. With `replace`, areas not
  // in `areas` are deleted, but only when no routing rule names them and no agency belongs to
  // them: else "requests.areas.in_use" (kConflict) naming them, and nothing changes. On
  // success every AreaLocator of this process drops its cached index (AreaLocator::changed).
  // `also` runs last in the same transaction.
  Result<AreaImportResult> import(const std::vector<ImportedArea>& areas, bool replace,
                                  const db::AlsoInTransaction& also = {});

  // Every area by code, with the vertex count and the routing rules naming it.
  Result<std::vector<AreaSummary>> list();

 private:
  db::Database& db_;
};

}  // namespace zocalo::requests
