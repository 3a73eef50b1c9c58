#include "identity/store/refresh_token_store.hpp"

#include "identity/store/authorization_code_store.hpp"
#include "platform/core/crypto.hpp"

namespace zocalo::identity {
namespace {

struct Found {
  RefreshToken token;
  bool used = false;
  bool revoked = false;
};

std::optional<Found> lookup(soci::session& sql, std::string_view token) {
  if (token.empty() || token.size() > 100) return std::nullopt;
  const std::string hash = crypto::sha256_hex(token);
  Found f;
  long long created = 0, expires = 0, used_at = 0, revoked_at = 0, grant_revoked = 0;
  soci::indicator used_i = soci::i_null, revoked_i = soci::i_null, grant_revoked_i = soci::i_null;
  sql << "SELECT t.grant_id, t.scope, t.created_at, t.expires_at, t.used_at, t.revoked_at, "
         "g.revoked_at FROM oidc_refresh_tokens t JOIN oidc_grants g ON g.id = t.grant_id "
         "WHERE t.token_hash = :hash",
      soci::use(hash), soci::into(f.token.grant_id), soci::into(f.token.scope), soci::into(created),
      soci::into(expires), soci::into(used_at, used_i), soci::into(revoked_at, revoked_i),
      soci::into(grant_revoked, grant_revoked_i);
  if (!sql.got_data()) return std::nullopt;
  f.token.created_at = created;
  f.token.expires_at = expires;
  f.used = used_i == soci::i_ok;
  f.revoked = revoked_i == soci::i_ok || grant_revoked_i == soci::i_ok;
  return f;
}

}  // namespace

Result<std::string> RefreshTokenStore::issue(soci::session& sql, std::string_view grant_id,
                                             std::string_view scope, std::int64_t now,
                                             std::int64_t lifetime) {
  std::string token = crypto::random_token(32);
  const std::string hash = crypto::sha256_hex(token);
  const std::string grant(grant_id), scopes(scope);
  const long long created = now, expires = now + lifetime;
  sql << "INSERT INTO oidc_refresh_tokens (token_hash, grant_id, scope, created_at, expires_at) "
         "VALUES (:hash, :grant, :scope, :created, :expires)",
      soci::use(hash), soci::use(grant), soci::use(scopes), soci::use(created), soci::use(expires);
  return token;
}

Result<RefreshUse> RefreshTokenStore::use(soci::session& sql, std::string_view token,
                                          std::int64_t now) {
  RefreshUse r;
  auto found = lookup(sql, token);
  if (!found) return r;
  r.token = found->token;
  if (found->revoked) {
    r.outcome = RefreshOutcome::kRevoked;
    return r;
  }
  if (!found->used) {
    if (now >= found->token.expires_at) {
      r.outcome = RefreshOutcome::kExpired;
      return r;
    }
    const std::string hash = crypto::sha256_hex(token);
    const long long at = now;
    soci::statement st = (sql.prepare << "UPDATE oidc_refresh_tokens SET used_at = :now "
                                         "WHERE token_hash = :hash AND used_at IS NULL",
                          soci::use(at), soci::use(hash));
    st.execute(true);
    if (st.get_affected_rows() == 1) {
      r.outcome = RefreshOutcome::kRotated;
      return r;
    }
  }
  if (Status s = AuthorizationCodeStore::revoke(sql, found->token.grant_id, now); !s) {
    return fail(s.error());
  }
  r.outcome = RefreshOutcome::kReused;
  return r;
}

Result<std::optional<RefreshToken>> RefreshTokenStore::find_live(soci::session& sql,
                                                                 std::string_view token,
                                                                 std::int64_t now) {
  auto found = lookup(sql, token);
  if (!found || found->used || found->revoked || now >= found->token.expires_at) {
    return std::optional<RefreshToken>();
  }
  return std::optional<RefreshToken>(found->token);
}

}  // namespace zocalo::identity
