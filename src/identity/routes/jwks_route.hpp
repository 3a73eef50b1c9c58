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

#include "identity/jose/key_set.hpp"
#include "identity/model/key_encryption.hpp"
#include "identity/store/signing_key_store.hpp"
#include "platform/core/refreshing_snapshot.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace zocalo::identity {

// The stored key set, shared by every request thread (platform/core/refreshing_snapshot.hpp):
// reloaded when older than `max_age`, the previous copy kept when a reload fails
// (identity.keys.reload_failed). The copy cannot serve a key past its expiry, since
// KeySet::jwks(now) and current_signing_key(now) leave expired keys out.
class KeySetSnapshot : public RefreshingSnapshot<jose::KeySet> {
 public:
  // `db` must outlive the snapshot; `encryption` is shared with it. get() fails only when no
  // copy was ever loaded and loading fails (e.g. identity.keys.unreadable).
  KeySetSnapshot(db::Database& db, std::shared_ptr<const KeyEncryption> encryption,
                 std::chrono::seconds max_age);
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
