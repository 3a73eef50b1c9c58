#include "identity/store/signing_key_store.hpp"

#include <sodium.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "identity/jose/algorithm.hpp"
#include "identity/store/audit_log.hpp"

namespace zocalo::identity {
namespace {

// pg_advisory_xact_lock key serialising every change to signing_keys across nodes: "zocalo"
// in ASCII, then 'K'. Distinct from the migration lock (…01 in platform/db/database.cpp).
constexpr long long kSigningKeysLockKey = 0x7a6f63616c6f4bLL;

// Takes the cluster-wide lock for signing_keys in the caller's transaction; held until it ends.
void lock_signing_keys(soci::session& sql, db::Dialect dialect) {
  if (dialect == db::Dialect::kPostgres) {
    // Under READ COMMITTED every later statement of this transaction sees what the previous
    // holder committed, so a node that waited here reads the key the other node created.
    sql << "SELECT pg_advisory_xact_lock(:key)", soci::use(kSigningKeysLockKey);
  }
  // SQLite: Database::transaction began with BEGIN IMMEDIATE, the single write lock.
}

// SOCI buffers for one signing_keys row; nullable columns carry indicators.
struct KeyRow {
  std::string kid, alg, sealed;
  long long created_at = 0, activated_at = 0, retired_at = 0, expires_at = 0;
  soci::indicator retired_i = soci::i_null, expires_i = soci::i_null;

  void exchange(soci::statement& st) {
    st.exchange(soci::into(kid));
    st.exchange(soci::into(alg));
    st.exchange(soci::into(sealed));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(activated_at));
    st.exchange(soci::into(retired_at, retired_i));
    st.exchange(soci::into(expires_at, expires_i));
  }
};

// Reads every row (the table holds a handful: two per rotation still published) in id order.
std::vector<KeyRow> select_rows(soci::session& sql) {
  std::vector<KeyRow> rows;
  KeyRow row;
  soci::statement st(sql);
  row.exchange(st);
  st.alloc();
  st.prepare(
      "SELECT kid, alg, sealed_private_key, created_at, activated_at, retired_at, expires_at "
      "FROM signing_keys ORDER BY id");
  st.define_and_bind();
  if (!st.execute(true)) return rows;
  do {
    rows.push_back(row);
    if (row.retired_i != soci::i_ok) rows.back().retired_at = 0;
    if (row.expires_i != soci::i_ok) rows.back().expires_at = 0;
  } while (st.fetch());
  return rows;
}

Error unreadable(const std::string& kid, std::string why) {
  return Error{ErrorKind::kInternal, "identity.keys.unreadable",
               "signing key " + kid + ": " + std::move(why)};
}

Result<jose::KeyRecord> open_row(const KeyRow& row, const KeyEncryption& encryption) {
  auto pem = encryption.open(row.kid, row.sealed);
  if (!pem) return fail(pem.error());
  auto key = jose::SigningKey::from_pkcs8_pem(*pem);
  sodium_memzero(pem->data(), pem->size());
  if (!key) return fail(unreadable(row.kid, "stored key is not a usable PKCS#8 key"));
  // The seal binds the row's kid, so this only fails for a key sealed under the wrong name by
  // someone holding the key-encryption key; cheap to check, and a kid must name its key.
  if (key->kid() != row.kid) return fail(unreadable(row.kid, "kid is not the key's thumbprint"));
  if (jose::algorithm_name(key->algorithm()) != row.alg) {
    return fail(unreadable(row.kid, "stored alg " + row.alg + " does not fit the key"));
  }
  jose::KeyRecord record{std::move(*key), row.created_at, row.activated_at, std::nullopt,
                         std::nullopt};
  if (row.retired_i == soci::i_ok) record.retired_at = row.retired_at;
  if (row.expires_i == soci::i_ok) record.expires_at = row.expires_at;
  return record;
}

Result<jose::KeySet> load_in(soci::session& sql, const KeyEncryption& encryption) {
  std::vector<jose::KeyRecord> records;
  for (const KeyRow& row : select_rows(sql)) {
    auto record = open_row(row, encryption);
    if (!record) return fail(record.error());
    records.push_back(std::move(*record));
  }
  return jose::KeySet(std::move(records));
}

void insert_key(soci::session& sql, const jose::KeyRecord& r, const KeyEncryption& encryption) {
  std::string pem = r.key.to_pkcs8_pem();
  const std::string sealed = encryption.seal(r.key.kid(), pem);
  sodium_memzero(pem.data(), pem.size());
  const std::string alg(jose::algorithm_name(r.key.algorithm()));
  const long long created_at = r.created_at, activated_at = r.activated_at;
  const long long retired_at = r.retired_at.value_or(0), expires_at = r.expires_at.value_or(0);
  soci::indicator retired_i = r.retired_at ? soci::i_ok : soci::i_null;
  soci::indicator expires_i = r.expires_at ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO signing_keys (kid, alg, sealed_private_key, created_at, activated_at, "
         "retired_at, expires_at) VALUES (:kid, :alg, :sealed, :created_at, :activated_at, "
         ":retired_at, :expires_at)",
      soci::use(r.key.kid()), soci::use(alg), soci::use(sealed), soci::use(created_at),
      soci::use(activated_at), soci::use(retired_at, retired_i), soci::use(expires_at, expires_i);
}

void update_times(soci::session& sql, const jose::KeyRecord& r) {
  const long long retired_at = r.retired_at.value_or(0), expires_at = r.expires_at.value_or(0);
  soci::indicator retired_i = r.retired_at ? soci::i_ok : soci::i_null;
  soci::indicator expires_i = r.expires_at ? soci::i_ok : soci::i_null;
  sql << "UPDATE signing_keys SET retired_at = :retired_at, expires_at = :expires_at "
         "WHERE kid = :kid",
      soci::use(retired_at, retired_i), soci::use(expires_at, expires_i), soci::use(r.key.kid());
}

void delete_key(soci::session& sql, const std::string& kid) {
  sql << "DELETE FROM signing_keys WHERE kid = :kid", soci::use(kid);
}

boost::json::array kid_array(const std::vector<std::string>& kids) {
  boost::json::array out;
  for (const auto& kid : kids) out.emplace_back(kid);
  return out;
}

// What ensure_keys() must create for `alg` at `now`, decided from the stored times alone:
// nothing when a key of `alg` signs at `now`; otherwise a key signing from `now`, retired when
// the next published-ahead key of `alg` (if any) activates.
struct Needed {
  bool create = false;
  std::optional<std::int64_t> retire_at;
};

Needed needed_for(const std::vector<KeyRow>& rows, jose::Algorithm alg, std::int64_t now) {
  const std::string_view name = jose::algorithm_name(alg);
  Needed needed{true, std::nullopt};
  for (const KeyRow& r : rows) {
    if (r.alg != name) continue;
    const bool retired = r.retired_i == soci::i_ok;
    if (r.activated_at <= now && (!retired || now < r.retired_at)) return Needed{};
    if (r.activated_at > now && (!needed.retire_at || r.activated_at < *needed.retire_at)) {
      needed.retire_at = r.activated_at;
    }
  }
  return needed;
}

Status invalid_durations() {
  return fail(Error::invalid("identity.keys.invalid", "key durations must not be negative"));
}

}  // namespace

Result<jose::KeySet> SigningKeyStore::load() {
  std::optional<jose::KeySet> out;
  const Status st = db_.read([&](soci::session& sql) -> Status {
    auto set = load_in(sql, encryption_);
    if (!set) return fail(set.error());
    out = std::move(*set);
    return {};
  });
  if (!st) return fail(st.error());
  return std::move(*out);
}

Status SigningKeyStore::ensure_keys(std::int64_t now, std::int64_t max_token_lifetime) {
  if (max_token_lifetime < 0) return invalid_durations();
  // Decide and generate before taking the lock, so that the common case (keys exist) writes
  // nothing and the lock is never held while an RSA key is generated.
  std::vector<KeyRow> seen;
  const Status read = db_.read([&](soci::session& sql) -> Status {
    seen = select_rows(sql);
    return {};
  });
  if (!read) return read;
  std::map<jose::Algorithm, jose::SigningKey> fresh;
  for (jose::Algorithm alg : jose::kAllAlgorithms) {
    if (needed_for(seen, alg, now).create) fresh.emplace(alg, jose::SigningKey::generate(alg));
  }
  if (fresh.empty()) return {};

  const auto dialect = db_.dialect();
  return db_.transaction([&](soci::session& sql) -> Status {
    lock_signing_keys(sql, dialect);
    // Another node may have created them while we generated: decide again under the lock.
    const std::vector<KeyRow> rows = select_rows(sql);
    std::vector<std::string> added;
    for (auto& [alg, key] : fresh) {
      const Needed needed = needed_for(rows, alg, now);
      if (!needed.create) continue;
      jose::KeyRecord record{key, now, now, needed.retire_at, std::nullopt};
      if (needed.retire_at) record.expires_at = *needed.retire_at + max_token_lifetime;
      insert_key(sql, record, encryption_);
      added.push_back(key.kid());
    }
    if (added.empty()) return {};
    // Before adding a key sealed under this KEK, prove it opens the ones already stored: a
    // node started with the wrong KEK must fail, not leave rows sealed under two KEKs.
    if (auto existing = load_in(sql, encryption_); !existing) return fail(existing.error());
    AuditEvent event;
    event.actor_kind = ActorKind::kSystem;
    event.action = "keys.created";
    event.detail = boost::json::serialize(boost::json::object{{"added", kid_array(added)}});
    auto appended = AuditLog::append(sql, event);
    if (!appended) return fail(appended.error());
    return {};
  });
}

Result<jose::KeySet> SigningKeyStore::rotate(std::int64_t now, std::int64_t max_token_lifetime,
                                             const KeyRotationOptions& options) {
  if (max_token_lifetime < 0 || options.publish_ahead < 0) return fail(invalid_durations().error());
  std::optional<jose::KeySet> out;
  const auto dialect = db_.dialect();
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    lock_signing_keys(sql, dialect);
    auto current = load_in(sql, encryption_);
    if (!current) return fail(current.error());
    jose::KeySet next = current->rotate(now, max_token_lifetime, options.publish_ahead);

    std::map<std::string, const jose::KeyRecord*> before;
    for (const auto& r : current->records()) before.emplace(r.key.kid(), &r);
    std::vector<std::string> added, retired, removed;
    for (const auto& r : next.records()) {
      const auto it = before.find(r.key.kid());
      if (it == before.end()) {
        insert_key(sql, r, encryption_);
        added.push_back(r.key.kid());
        continue;
      }
      const jose::KeyRecord& old = *it->second;
      if (old.retired_at != r.retired_at || old.expires_at != r.expires_at) {
        update_times(sql, r);
        retired.push_back(r.key.kid());
      }
      before.erase(it);
    }
    // What KeySet::rotate dropped: expired, so no token of theirs verifies any more.
    for (const auto& [kid, record] : before) {
      delete_key(sql, kid);
      removed.push_back(kid);
    }

    AuditEvent event;
    event.actor_kind = options.actor_kind;
    event.actor_id = options.actor_id;
    event.ip = options.ip;
    event.action = "keys.rotated";
    event.detail =
        boost::json::serialize(boost::json::object{{"added", kid_array(added)},
                                                   {"retired", kid_array(retired)},
                                                   {"removed", kid_array(removed)},
                                                   {"publish_ahead", options.publish_ahead}});
    auto appended = AuditLog::append(sql, event);
    if (!appended) return fail(appended.error());
    out = std::move(next);
    return {};
  });
  if (!st) return fail(st.error());
  return std::move(*out);
}

}  // namespace zocalo::identity
