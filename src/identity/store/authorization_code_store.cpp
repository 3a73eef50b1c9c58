#include "identity/store/authorization_code_store.hpp"

#include "platform/core/crypto.hpp"

namespace zocalo::identity {
namespace {

struct GrantRow {
  std::string id, client_id, login_id, redirect_uri, scope, nonce, challenge, acr, amr;
  long long account_id = 0, auth_time = 0, created_at = 0, code_expires_at = 0, code_used_at = 0,
            revoked_at = 0;
  soci::indicator nonce_i = soci::i_null, challenge_i = soci::i_null, used_i = soci::i_null,
                  revoked_i = soci::i_null;

  void exchange(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(client_id));
    st.exchange(soci::into(account_id));
    st.exchange(soci::into(login_id));
    st.exchange(soci::into(redirect_uri));
    st.exchange(soci::into(scope));
    st.exchange(soci::into(nonce, nonce_i));
    st.exchange(soci::into(challenge, challenge_i));
    st.exchange(soci::into(auth_time));
    st.exchange(soci::into(acr));
    st.exchange(soci::into(amr));
    st.exchange(soci::into(created_at));
    st.exchange(soci::into(code_expires_at));
    st.exchange(soci::into(code_used_at, used_i));
    st.exchange(soci::into(revoked_at, revoked_i));
  }
  Grant to_grant() const {
    Grant g;
    g.id = id;
    g.client_id = client_id;
    g.account_id = account_id;
    g.login_id = login_id;
    g.redirect_uri = redirect_uri;
    g.scope = scope;
    if (nonce_i == soci::i_ok) g.nonce = nonce;
    if (challenge_i == soci::i_ok) g.code_challenge = challenge;
    g.auth_time = auth_time;
    g.acr = acr;
    g.amr = amr;
    g.created_at = created_at;
    g.code_expires_at = code_expires_at;
    if (used_i == soci::i_ok) g.code_used_at = code_used_at;
    if (revoked_i == soci::i_ok) g.revoked_at = revoked_at;
    return g;
  }
};

constexpr const char* kSelect =
    "SELECT id, client_id, account_id, login_id, redirect_uri, scope, nonce, code_challenge, "
    "auth_time, acr, amr, created_at, code_expires_at, code_used_at, revoked_at FROM oidc_grants ";

std::vector<Grant> select(soci::session& sql, const std::string& where, const std::string& value,
                          int limit) {
  std::vector<Grant> out;
  GrantRow row;
  soci::statement st(sql);
  row.exchange(st);
  st.exchange(soci::use(value));
  st.alloc();
  st.prepare(std::string(kSelect) + where + " LIMIT " + std::to_string(limit));
  st.define_and_bind();
  if (!st.execute(true)) return out;
  do {
    out.push_back(row.to_grant());
    row.nonce_i = row.challenge_i = row.used_i = row.revoked_i = soci::i_null;
  } while (st.fetch());
  return out;
}

}  // namespace

Result<IssuedCode> AuthorizationCodeStore::create(soci::session& sql, const NewGrant& g,
                                                  std::int64_t now, std::int64_t lifetime) {
  if (g.client_id.empty() || g.account_id <= 0 || g.redirect_uri.empty() || g.scope.empty() ||
      lifetime <= 0) {
    return fail(Error::internal("incomplete grant"));
  }
  IssuedCode out;
  out.code = crypto::random_token(32);
  static_cast<NewGrant&>(out.grant) = g;
  out.grant.id = crypto::random_token(16);
  out.grant.created_at = now;
  out.grant.code_expires_at = now + lifetime;
  const std::string code_hash = crypto::sha256_hex(out.code);
  const std::string nonce = g.nonce.value_or("");
  const std::string challenge = g.code_challenge.value_or("");
  soci::indicator nonce_i = g.nonce ? soci::i_ok : soci::i_null;
  soci::indicator challenge_i = g.code_challenge ? soci::i_ok : soci::i_null;
  const long long account = g.account_id, auth_time = g.auth_time, created = now,
                  expires = out.grant.code_expires_at;
  sql << "INSERT INTO oidc_grants (id, code_hash, client_id, account_id, login_id, redirect_uri, "
         "scope, nonce, code_challenge, auth_time, acr, amr, created_at, code_expires_at) VALUES "
         "(:id, :hash, :client, :account, :login, :redirect, :scope, :nonce, :challenge, "
         ":auth_time, :acr, :amr, :created, :expires)",
      soci::use(out.grant.id), soci::use(code_hash), soci::use(g.client_id), soci::use(account),
      soci::use(g.login_id), soci::use(g.redirect_uri), soci::use(g.scope),
      soci::use(nonce, nonce_i), soci::use(challenge, challenge_i), soci::use(auth_time),
      soci::use(g.acr), soci::use(g.amr), soci::use(created), soci::use(expires);
  return out;
}

Result<Redemption> AuthorizationCodeStore::redeem(soci::session& sql, std::string_view code,
                                                  std::int64_t now) {
  Redemption r;
  if (code.empty() || code.size() > 100) return r;
  const std::string hash = crypto::sha256_hex(code);
  auto found = select(sql, "WHERE code_hash = :hash", hash, 1);
  if (found.empty()) return r;
  r.grant = std::move(found.front());
  if (r.grant->revoked_at) {
    r.outcome = CodeOutcome::kRevoked;
    return r;
  }
  if (!r.grant->code_used_at) {
    if (now >= r.grant->code_expires_at) {
      r.outcome = CodeOutcome::kExpired;
      return r;
    }
    const long long at = now;
    soci::statement st = (sql.prepare << "UPDATE oidc_grants SET code_used_at = :now "
                                         "WHERE id = :id AND code_used_at IS NULL",
                          soci::use(at), soci::use(r.grant->id));
    st.execute(true);
    if (st.get_affected_rows() == 1) {
      r.grant->code_used_at = now;
      r.outcome = CodeOutcome::kRedeemed;
      return r;
    }
  }
  // RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization
  // server MUST deny the request and SHOULD revoke (when possible) all tokens previously issued
  // based on that authorization code."
  if (Status s = revoke(sql, r.grant->id, now); !s) return fail(s.error());
  r.outcome = CodeOutcome::kReused;
  return r;
}

Result<std::optional<Grant>> AuthorizationCodeStore::find(soci::session& sql,
                                                          std::string_view grant_id) {
  if (grant_id.empty() || grant_id.size() > 100) return std::optional<Grant>();
  auto found = select(sql, "WHERE id = :id", std::string(grant_id), 1);
  if (found.empty()) return std::optional<Grant>();
  return std::optional<Grant>(std::move(found.front()));
}

Result<std::optional<Grant>> AuthorizationCodeStore::find(std::string_view grant_id) {
  std::optional<Grant> out;
  const Status s = db_.read([&](soci::session& sql) -> Status {
    auto found = find(sql, grant_id);
    if (!found) return fail(found.error());
    out = std::move(*found);
    return {};
  });
  if (!s) return fail(s.error());
  return out;
}

Status AuthorizationCodeStore::revoke(soci::session& sql, std::string_view grant_id,
                                      std::int64_t now) {
  const std::string id(grant_id);
  const long long at = now;
  sql << "UPDATE oidc_grants SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL",
      soci::use(at), soci::use(id);
  sql << "UPDATE oidc_refresh_tokens SET revoked_at = :now "
         "WHERE grant_id = :id AND revoked_at IS NULL",
      soci::use(at), soci::use(id);
  return {};
}

Result<int> AuthorizationCodeStore::revoke_for_client(soci::session& sql, long long account_id,
                                                      std::string_view client_id,
                                                      std::int64_t now) {
  const std::string client(client_id);
  const long long at = now;
  sql << "UPDATE oidc_refresh_tokens SET revoked_at = :now WHERE revoked_at IS NULL AND "
         "grant_id IN (SELECT id FROM oidc_grants WHERE account_id = :account AND "
         "client_id = :client)",
      soci::use(at), soci::use(account_id), soci::use(client);
  soci::statement st = (sql.prepare << "UPDATE oidc_grants SET revoked_at = :now WHERE "
                                       "account_id = :account AND client_id = :client AND "
                                       "revoked_at IS NULL",
                        soci::use(at), soci::use(account_id), soci::use(client));
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

Result<std::vector<Grant>> AuthorizationCodeStore::for_login(soci::session& sql,
                                                             std::string_view login_id) {
  return select(sql, "WHERE login_id = :login AND revoked_at IS NULL ORDER BY created_at",
                std::string(login_id), 100);
}

}  // namespace zocalo::identity
