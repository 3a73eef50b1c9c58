#pragma once
// `--demo` for 311 requests: routing rules for the 16 alcaldías × the demo catalog, a demo
// Open311 API key, and a few hundred realistic requests over the last 60 days.
//
// Routing (documented in docs/open311.md): everything a borough does for its streets goes to
// the alcaldía — rule ('*', <alcaldía>) → alcaldia-<cvegeo> for each of the 16 — and the
// services the city runs go to the city agency everywhere, whatever the area:
//   water leak, no water, blocked drain → sacmex (the city's water system);
//   broken traffic light, abandoned vehicle → ssc; noise, illegal dumping, animals → sedema;
//   fallen tree → sgirpc (risk and civil protection: it may block a road or a line).
// Street lighting, potholes, pavements, rubbish collection, graffiti and pruning therefore go
// to the alcaldía: Mexico City's secondary roads are the boroughs'. Reports on primary roads
// (SOBSE's) are rerouted by the alcaldía with the status not_ours.
#include <cstdint>
#include <string_view>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::requests {

// The demo app's key: fixed and documented so that anyone can try POST /requests on a demo
// server. Never use it outside a demo (the demo database is public knowledge).
inline constexpr std::string_view kDemoApiKeyName = "demo-app";
inline constexpr std::string_view kDemoApiKey = "demo-open311-key-2026";
inline constexpr int kDemoRequestCount = 320;

// Needs the portal's demo seed (areas, agencies) and the demo catalog (seed_demo_catalog)
// first. Rules and key are upserted every time; requests are added only when there are none
// yet, so a restart with --demo changes nothing. Deterministic apart from folios and tokens.
Status seed_demo_requests(db::Database& db, std::int64_t now);

}  // namespace zocalo::requests
