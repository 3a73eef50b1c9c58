#pragma once
// The identity module's public face: Llave, the residents' accounts and the OpenID Provider.
//
// Wiring, in src/app (after migrate()):
//
//   auto kek = std::make_shared<const identity::KeyEncryption>(master_key_bytes);  // 32 bytes
//   identity::SigningKeyStore keys(db, *kek);
//   if (auto st = keys.ensure_keys(time::now_unix(), max_token_lifetime); !st) ...  // serve
//   if (auto st = identity::register_routes(router, db, renderer, errors,
//                                           {.key_encryption = kek, .issuer = base_url});
//       !st) ...
//
//   // a rotation command or scheduled job (any node; every node's JWKS follows within
//   // key_refresh):
//   keys.rotate(time::now_unix(), max_token_lifetime, {.publish_ahead = 600});
//
// Other modules ask who is signed in and what they may do through identity/resident.hpp.
// The key-encryption key never lives in the database: the app reads it from the environment
// or a file of its own, and a database copy without it holds no usable signing key.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "identity/model/key_encryption.hpp"
#include "identity/model/password_hasher.hpp"
#include "identity/routes/jwks_route.hpp"
#include "identity/store/signing_key_store.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/renderer.hpp"

namespace zocalo::identity {

struct IdentityOptions {
  // Opens the stored private keys and the residents' TOTP secrets. Required.
  std::shared_ptr<const KeyEncryption> key_encryption;
  // The OpenID Provider's issuer: exactly the public base URL, no trailing slash
  // ("https://llave.example.mx"). Links in e-mails start with it too. Required.
  std::string issuer;
  // Argon2id cost for new password hashes (sign-up, reset, change).
  Argon2idParams password_hashing = Argon2idParams::production();
  // How old this node's copy of the stored keys may get before it is reloaded: the longest a
  // rotation made on another node takes to appear here.
  std::chrono::seconds key_refresh{60};
  // Cache-Control max-age of the JWKS. Rotations should publish ahead by more than
  // jwks_max_age + key_refresh.
  std::chrono::seconds jwks_max_age{300};
  // How old this node's copy of the registered clients may get before it is reloaded: the
  // longest a client removed on another node (or by `zocalo clients remove`) can still obtain
  // client_credentials tokens here. Changes made on this node show at once.
  std::chrono::seconds client_refresh{5};
  // A signed-in browser session ends after this long without a request, and in any case after
  // login_absolute_lifetime.
  std::chrono::seconds login_idle_timeout{std::chrono::hours(12)};
  std::chrono::seconds login_absolute_lifetime{std::chrono::hours(24 * 30)};
  // Unix seconds; empty reads the system clock. Tests pin it.
  std::function<std::int64_t()> clock;
};

// Every identity route: the JWKS, Llave's pages (sign-up, sign-in, Mi Llave, admin) and the
// OpenID Provider's endpoints. Loads the stored keys once before registering anything, so that
// a wrong key-encryption key or an altered key row stops start-up (identity.keys.unreadable)
// instead of failing requests; identity.keys.invalid when key_encryption is missing or a
// duration is negative; identity.issuer.invalid for an issuer that is not an http(s) URL
// without a trailing slash, query or fragment. `db`, `renderer` and `errors` must outlive the
// router.
Status register_routes(http::Router& router, db::Database& db, const web::Renderer& renderer,
                       const web::ErrorPages& errors, IdentityOptions options);

}  // namespace zocalo::identity
