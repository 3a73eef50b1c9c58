#pragma once
// The identity module's public face: Llave, the residents' accounts and the OpenID Provider.
//
// Wiring, in src/app (after migrate()):
//
//   auto kek = std::make_shared<const identity::KeyEncryption>(master_key_bytes);  // 32 bytes
//   identity::SigningKeyStore keys(db, *kek);
//   if (auto st = keys.ensure_keys(time::now_unix(), max_token_lifetime); !st) ...  // serve
//   if (auto st = identity::register_routes(router, db, {.key_encryption = kek}); !st) ...
//
//   // a rotation command or scheduled job (any node; every node's JWKS follows within
//   // key_refresh):
//   keys.rotate(time::now_unix(), max_token_lifetime, {.publish_ahead = 600});
//
// The key-encryption key never lives in the database: the app reads it from the environment
// or a file of its own, and a database copy without it holds no usable signing key.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "identity/model/key_encryption.hpp"
#include "identity/routes/jwks_route.hpp"
#include "identity/store/signing_key_store.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace zocalo::identity {

struct IdentityOptions {
  // Opens the stored private keys. Required.
  std::shared_ptr<const KeyEncryption> key_encryption;
  // How old this node's copy of the stored keys may get before it is reloaded: the longest a
  // rotation made on another node takes to appear here.
  std::chrono::seconds key_refresh{60};
  // Cache-Control max-age of the JWKS. Rotations should publish ahead by more than
  // jwks_max_age + key_refresh.
  std::chrono::seconds jwks_max_age{300};
  // Unix seconds; empty reads the system clock. Tests pin it.
  std::function<std::int64_t()> clock;
};

// GET /.well-known/jwks.json (routes/jwks_route.hpp). Loads the stored keys once before
// registering anything, so that a wrong key-encryption key or an altered key row stops
// start-up (identity.keys.unreadable) instead of failing requests; identity.keys.invalid when
// key_encryption is missing or a duration is negative. `db` must outlive the router.
Status register_routes(http::Router& router, db::Database& db, IdentityOptions options);

}  // namespace zocalo::identity
