#pragma once
// GET /.well-known/jwks.json: the provider's public keys as an RFC 7517 §5 JWK Set, the
// document OpenID Connect Discovery's "jwks_uri" points at.
//
// Served from an in-memory copy of the stored key set, reloaded at most every `max_age`, so a
// rotation on another node reaches this node's JWKS within that time without a restart, and
// the database sees one read per interval, not one per request.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>

#include "identity/jose/key_set.hpp"
#include "identity/model/key_encryption.hpp"
#include "identity/store/signing_key_store.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace zocalo::identity {

// The stored key set, shared by every request thread. get() reloads it when it is older than
// `max_age`; one thread reloads while the others keep answering from the previous copy. A
// failed reload keeps the previous copy (logged as identity.keys.reload_failed, and tried again
// after another `max_age`): a database hiccup must not empty the JWKS, and the copy cannot
// serve a key past its expiry, since KeySet::jwks(now) leaves expired keys out.
class KeySetSnapshot {
 public:
  // `db` must outlive the snapshot; `encryption` is shared with it.
  KeySetSnapshot(db::Database& db, std::shared_ptr<const KeyEncryption> encryption,
                 std::chrono::seconds max_age);

  // The current copy, loaded first when there is none or it is too old. Fails only when no
  // copy was ever loaded and loading fails (e.g. identity.keys.unreadable).
  Result<std::shared_ptr<const jose::KeySet>> get();

  // Loads now, whatever the age (after this node rotated, so its own JWKS shows the new keys
  // at once). On failure the previous copy stays.
  Status refresh();

 private:
  using SteadyClock = std::chrono::steady_clock;

  std::shared_ptr<const KeyEncryption> encryption_;  // before store_, which refers to it
  SigningKeyStore store_;
  const std::chrono::seconds max_age_;

  std::mutex reload_mu_;  // held by the one thread reloading; never while holding mu_
  std::mutex mu_;         // guards the two below
  std::shared_ptr<const jose::KeySet> set_;
  SteadyClock::time_point loaded_at_{};
};

struct JwksRouteOptions {
  // Cache-Control max-age: how long relying parties and proxies may keep the document. Key
  // rotation publishes new keys ahead by more than this (KeyRotationOptions::publish_ahead).
  std::chrono::seconds max_age{300};
  // Unix seconds, deciding which keys are published; tests pin it.
  std::function<std::int64_t()> clock;
};

// Registers GET (and HEAD) /.well-known/jwks.json:
//   200, Content-Type application/jwk-set+json (RFC 7517 §8.5.1), {"keys":[...]} with every
//   key published now (signing, published ahead, retired but unexpired), newest first;
//   Cache-Control: public, max-age=300; Access-Control-Allow-Origin: * (public keys; browser
//   relying parties verify ID tokens too).
//   503 problem+json when no key set could ever be loaded.
void add_jwks_route(http::Router& router, std::shared_ptr<KeySetSnapshot> snapshot,
                    JwksRouteOptions options = {});

}  // namespace zocalo::identity
