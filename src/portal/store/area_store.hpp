#pragma once
// SQL for areas (migrations/*/0002_areas_agencies.sql). Same statements on both dialects; on
// PostgreSQL the geom column follows geojson by itself (a generated column).
#include <soci/soci.h>

#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "portal/model/area.hpp"

namespace zocalo::portal {

class AreaStore {
 public:
  explicit AreaStore(db::Database& db) : db_(db) {}

  // Areas of one kind ("alcaldia"), by code; without their (large) boundaries.
  Result<std::vector<Area>> list(std::string_view kind);

  // Inserts the area or, when its code exists, updates it (in the caller's transaction).
  static void upsert(soci::session& sql, const Area& area, const std::string& geojson);

 private:
  db::Database& db_;
};

}  // namespace zocalo::portal
