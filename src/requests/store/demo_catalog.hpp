#pragma once
// The Mexico City demo 311 catalog (data/cdmx/servicios-311.json), for `zocalo serve --demo`,
// tests and benchmarks.
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::requests {

inline constexpr const char* kDemoCatalogFile = "data/cdmx/servicios-311.json";

// Imports the embedded demo catalog in merge mode: idempotent, and services added by hand
// stay. Its agency codes are those of the portal's demo seed (portal::seed_demo), which must
// have run first; otherwise it fails naming the first service without its agency.
Status seed_demo_catalog(db::Database& db);

}  // namespace zocalo::requests
