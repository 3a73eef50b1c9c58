#pragma once
// SQL for the OpenID Provider's signing keys (migrations/*/0006_signing_keys.sql): the
// jose::KeySet saved and loaded, private keys sealed under the key-encryption key
// (model/key_encryption.hpp) so the database alone never holds a usable signing key.
//
// Every node of a cluster reads the same rows: a key created or rotated on one node is what the
// others load next (the JWKS route reloads on a timer, routes/jwks_route.hpp). Changes are
// serialised across nodes (PostgreSQL: a transaction-scoped advisory lock; SQLite: BEGIN
// IMMEDIATE, its single write lock), so two nodes starting together create one key per
// algorithm, not two.
//
// Expired keys are deleted by rotate(): once past expires_at no token of theirs can verify,
// and a private key kept for nothing is only something more to leak. The audit log keeps their
// kids.
#include <cstdint>
#include <optional>
#include <string>

#include "identity/jose/key_set.hpp"
#include "identity/model/audit_event.hpp"
#include "identity/model/key_encryption.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

// Who asked for a rotation, and how far ahead the new keys are published.
struct KeyRotationOptions {
  // Seconds between a new key's appearance in the JWKS and its first signature (OpenID Connect
  // Core §10.1.1: publish before use). Make it longer than relying parties cache the JWKS
  // (our Cache-Control max-age plus the JWKS refresh interval), or a relying party holding the
  // old document meets a kid it does not know. 0: the new keys sign at once.
  std::int64_t publish_ahead = 0;
  // kSystem for a scheduled rotation, kStaff (with the official's id) for one asked for.
  ActorKind actor_kind = ActorKind::kSystem;
  std::string actor_id;
  std::optional<std::string> ip;
};

class SigningKeyStore {
 public:
  // Both must outlive the store.
  SigningKeyStore(db::Database& db, const KeyEncryption& encryption)
      : db_(db), encryption_(encryption) {}

  // Every stored key, opened. Fails with identity.keys.unreadable (kInternal) when a key cannot
  // be opened (the wrong key-encryption key, an altered row) or is not the key its row names;
  // never returns a partial set, because signing with a subset would hide the problem.
  Result<jose::KeySet> load();

  // Start-up: for each algorithm (RS256, ES256) with no key signing at `now`, creates one that
  // signs from `now`, in one transaction with a "keys.created" audit entry. If a key of that
  // algorithm is already waiting to start signing later (published ahead), the new key bridges
  // the gap: it retires when that one activates and expires `max_token_lifetime` later, so it
  // does not stay published for ever. Does nothing (and writes nothing) when both algorithms
  // have a signing key; safe to call from several nodes at once. When it does create keys, it
  // first opens the stored ones, so a wrong key-encryption key fails (identity.keys.unreadable)
  // instead of adding a key sealed under it.
  Status ensure_keys(std::int64_t now, std::int64_t max_token_lifetime);

  // jose::KeySet::rotate on the stored set, saved in one transaction with a "keys.rotated"
  // audit entry (detail: the kids added, retired and removed, nothing secret): expired rows
  // deleted, retired_at/expires_at of the keys still signing updated, one new key per algorithm
  // inserted. Returns the new set. `max_token_lifetime` must cover the longest token lifetime
  // plus verifiers' leeway (see KeySet::rotate). identity.keys.invalid for negative durations;
  // identity.keys.unreadable as load() when the stored keys cannot be opened.
  //
  // Key generation (an RSA 2048 key takes tens of milliseconds) happens inside the
  // transaction, holding the lock: a rotation is rare, and this way two nodes rotating at once
  // give two consecutive rotations rather than a lost one.
  Result<jose::KeySet> rotate(std::int64_t now, std::int64_t max_token_lifetime,
                              const KeyRotationOptions& options = {});

 private:
  db::Database& db_;
  const KeyEncryption& encryption_;
};

}  // namespace zocalo::identity
