#pragma once
// Mexico City demo data, for `zocalo serve --demo`, tests and benchmarks.
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::portal {

inline constexpr int kCdmxAlcaldias = 16;

// The 16 alcaldías (from the embedded data/cdmx/alcaldias.geojson, INEGI) and the city's
// agencies: the 16 alcaldía governments and the main secretariats and bodies. Idempotent: rows
// are upserted by code, so running it again (or after an update of the data) is safe. One
// transaction: all or nothing.
Status seed_demo(db::Database& db);

}  // namespace zocalo::portal
