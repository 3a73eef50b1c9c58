#pragma once
// The demo's three clients (README, "Try the OpenID Provider"), with fixed ids and secrets so
// anyone can point a standard library at a fresh `zocalo serve --demo`. Public knowledge:
// never use them outside a demo.
#include <cstdint>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity::oidc {

// demo-web (confidential, code flow, secret demo-web-secret-2026), demo-app (public, PKCE) and
// demo-backend (client_credentials, secret demo-backend-secret-2026). Idempotent: a client
// that already exists is left as it is.
Status seed_demo_clients(db::Database& db, std::int64_t now);

}  // namespace zocalo::identity::oidc
