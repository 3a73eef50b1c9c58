#pragma once
// SQL for agencies (migrations/*/0002_areas_agencies.sql).
#include <soci/soci.h>

#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "portal/model/agency.hpp"

namespace zocalo::portal {

class AgencyStore {
 public:
  explicit AgencyStore(db::Database& db) : db_(db) {}

  // Every agency with the code of its area (if any), by code.
  Result<std::vector<Agency>> list();

  // Inserts the agency or, when its code exists, updates it (in the caller's transaction).
  // The area is found by code; an unknown area code leaves area_id empty.
  static void upsert(soci::session& sql, const Agency& agency);

 private:
  db::Database& db_;
};

}  // namespace zocalo::portal
