#pragma once
// What every identity handler shares: built once by register_routes and kept by the router for
// the life of the server. Handlers take `const IdentityContext&` and the request.
#include <cstdint>
#include <memory>

#include "identity/identity.hpp"
#include "identity/model/password_hasher.hpp"
#include "identity/routes/jwks_route.hpp"
#include "identity/store/client_directory.hpp"
#include "platform/core/time.hpp"
#include "platform/db/database.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/renderer.hpp"

namespace zocalo::identity {

struct IdentityContext {
  db::Database& db;
  const web::Renderer& renderer;
  const web::ErrorPages& errors;
  IdentityOptions options;                   // clock always set
  PasswordHasher hasher;                     // options.password_hashing
  std::shared_ptr<KeySetSnapshot> keys;      // signing keys (ID tokens, access tokens)
  std::shared_ptr<ClientDirectory> clients;  // the OpenID Provider's clients, in memory

  std::int64_t now() const { return options.clock(); }
};

// Each group of routes lives in its own file and registers itself here (routes/register_routes.cpp
// calls them in this order). A group may keep state of its own by capturing a shared_ptr.
Status register_sign_in_routes(http::Router& router, std::shared_ptr<const IdentityContext> ctx);
Status register_account_routes(http::Router& router, std::shared_ptr<const IdentityContext> ctx);
Status register_admin_routes(http::Router& router, std::shared_ptr<const IdentityContext> ctx);
Status register_oidc_routes(http::Router& router, std::shared_ptr<const IdentityContext> ctx);

}  // namespace zocalo::identity
