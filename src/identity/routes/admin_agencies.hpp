#pragma once
// The agencies an official may be made staff of, for the role form of /admin/cuentas/{id}.
// A small read of the portal's `agencies` table (migrations/*/0002_areas_agencies.sql), kept
// here so the identity module does not depend on the portal's code for one list.
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

struct AgencyChoice {
  long long id = 0;
  std::string name_es;
  std::string name_en;

  const std::string& name(std::string_view locale) const {
    return locale.starts_with("en") ? name_en : name_es;
  }
};

inline constexpr int kMaxAgencyChoices = 500;

// Every agency, by Spanish name (at most kMaxAgencyChoices).
Result<std::vector<AgencyChoice>> list_agency_choices(db::Database& db);

}  // namespace zocalo::identity
