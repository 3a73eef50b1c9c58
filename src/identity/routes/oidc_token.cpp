// POST /oidc/token (RFC 6749 §3.2, OpenID Connect Core §3.1.3): authorization_code (with
// PKCE), refresh_token (rotated) and client_credentials. An API for clients, not a browser
// form: CSRF-exempt, JSON answers, Cache-Control: no-store, errors per RFC 6749 §5.2.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "identity/oidc/client_auth.hpp"
#include "identity/oidc/discovery.hpp"
#include "identity/oidc/pkce.hpp"
#include "identity/oidc/scope.hpp"
#include "identity/oidc/tokens.hpp"
#include "identity/routes/oidc_common.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/authorization_code_store.hpp"
#include "identity/store/refresh_token_store.hpp"
#include "platform/core/crypto.hpp"

namespace zocalo::identity::oidc_routes {
namespace {

// An OAuth error decided inside a transaction, answered after it.
struct Refusal {
  int status = 400;
  std::string error;
  std::string description;
};

Status audit_issued(soci::session& sql, const http::Request& req, std::string_view client_id,
                    std::optional<long long> account_id, std::string_view grant_type,
                    std::string_view scope, std::int64_t now) {
  boost::json::object detail;
  detail["client_id"] = client_id;
  detail["grant_type"] = grant_type;
  detail["scope"] = scope;
  auto appended = AuditLog::append(
      sql, AuditEvent{.account_id = account_id,
                      .actor_kind = ActorKind::kClient,
                      .actor_id = std::string(client_id),
                      .action = "token.issued",
                      .detail = boost::json::serialize(detail),
                      .ip = req.remote_addr.empty() ? std::nullopt
                                                    : std::optional<std::string>(req.remote_addr),
                      .created_at = now});
  if (!appended) return fail(appended.error());
  return {};
}

// Access token, ID token and (with offline_access) a new refresh token for a resident's grant.
Result<boost::json::object> user_tokens(const OidcContext& ctx, soci::session& sql,
                                        const Grant& grant, const oidc::Client& client,
                                        const Account& account, const std::string& scope,
                                        bool with_nonce) {
  const std::int64_t now = ctx.now();
  const auto scopes = oidc::parse_scopes(scope).value_or(std::vector<std::string>{});
  auto access = sign(ctx,
                     oidc::access_token_claims({.issuer = ctx.issuer(),
                                                .subject = account.subject,
                                                .client_id = client.client_id,
                                                .scope = scope,
                                                .jti = crypto::random_token(16),
                                                .now = now,
                                                .acr = grant.acr,
                                                .auth_time = grant.auth_time,
                                                .grant_id = grant.id}),
                     "at+jwt", jose::Algorithm::kEs256);
  if (!access) return fail(access.error());
  boost::json::object out;
  out["access_token"] = *access;
  out["token_type"] = "Bearer";
  out["expires_in"] = oidc::kAccessTokenLifetime;
  out["scope"] = scope;
  if (oidc::has_scope(scopes, "openid")) {
    auto id_token = sign(ctx,
                         oidc::id_token_claims({.issuer = ctx.issuer(),
                                                .subject = account.subject,
                                                .client_id = client.client_id,
                                                .now = now,
                                                .auth_time = grant.auth_time,
                                                .nonce = with_nonce ? grant.nonce : std::nullopt,
                                                .acr = grant.acr,
                                                .amr = grant.amr,
                                                .sid = oidc::session_id_for(grant.login_id),
                                                .access_token = *access}),
                         "JWT");
    if (!id_token) return fail(id_token.error());
    out["id_token"] = *id_token;
  }
  // OIDC Core §11: refresh tokens for offline access only, and only to clients allowed them.
  if (oidc::has_scope(scopes, "offline_access") && client.allows_grant(oidc::kGrantRefreshToken)) {
    auto refresh =
        RefreshTokenStore::issue(sql, grant.id, grant.scope, now, oidc::kRefreshTokenLifetime);
    if (!refresh) return fail(refresh.error());
    out["refresh_token"] = *refresh;
  }
  return out;
}

http::Response authorization_code(const OidcContext& ctx, const http::Request& req,
                                  const http::FormData& form, const oidc::Client& client) {
  if (!client.allows_grant(oidc::kGrantAuthorizationCode)) {
    return oauth_error(400, "unauthorized_client", "grant not allowed for this client");
  }
  const auto code = form.get("code");
  const auto redirect_uri = form.get("redirect_uri");
  if (!code || code->empty()) return oauth_error(400, "invalid_request", "code is required");
  std::optional<Refusal> refusal;
  boost::json::object answer;
  const Status done = ctx.id().db.transaction([&](soci::session& sql) -> Status {
    const std::int64_t now = ctx.now();
    auto redeemed = AuthorizationCodeStore::redeem(sql, *code, now);
    if (!redeemed) return fail(redeemed.error());
    if (redeemed->outcome != CodeOutcome::kRedeemed) {
      // Reuse committed its revocation; the other outcomes changed nothing.
      refusal = Refusal{400, "invalid_grant", "the code is invalid, expired or already used"};
      return {};
    }
    const Grant& grant = *redeemed->grant;
    // The checks below roll the redemption back, so that a stolen code presented with the
    // wrong proof does not burn the genuine client's code.
    auto rollback = [&](std::string description) -> Status {
      refusal = Refusal{400, "invalid_grant", std::move(description)};
      return fail(Error::invalid("oidc.refused", "token request refused"));
    };
    if (grant.client_id != client.client_id)
      return rollback("the code was issued to another client");
    // RFC 6749 §4.1.3: redirect_uri must be identical when the request included it (OIDC
    // requires it there).
    if (!redirect_uri || *redirect_uri != grant.redirect_uri) {
      return rollback("redirect_uri does not match the authorization request");
    }
    const auto verifier = form.get("code_verifier");
    if (grant.code_challenge) {
      if (!verifier || !oidc::pkce_matches(*verifier, *grant.code_challenge)) {
        return rollback("PKCE verification failed");
      }
    } else if (verifier) {
      return rollback("code_verifier without a code_challenge");
    }
    auto account = AccountStore::find_by_id(sql, grant.account_id);
    if (!account) return fail(account.error());
    if (!account->has_value() || (*account)->status != AccountStatus::kActive) {
      return rollback("the account is not active");
    }
    auto tokens = user_tokens(ctx, sql, grant, client, **account, grant.scope, true);
    if (!tokens) return fail(tokens.error());
    answer = std::move(*tokens);
    return audit_issued(sql, req, client.client_id, grant.account_id, "authorization_code",
                        grant.scope, now);
  });
  if (refusal) return oauth_error(refusal->status, refusal->error, refusal->description);
  if (!done) return oauth_error(500, "server_error", "try again");
  return no_store_json(answer);
}

http::Response refresh_token(const OidcContext& ctx, const http::Request& req,
                             const http::FormData& form, const oidc::Client& client) {
  if (!client.allows_grant(oidc::kGrantRefreshToken)) {
    return oauth_error(400, "unauthorized_client", "grant not allowed for this client");
  }
  const auto token = form.get("refresh_token");
  if (!token || token->empty()) {
    return oauth_error(400, "invalid_request", "refresh_token is required");
  }
  std::optional<std::vector<std::string>> asked;
  if (const auto scope = form.get("scope")) {
    asked = oidc::parse_scopes(*scope);
    if (!asked) return oauth_error(400, "invalid_scope", "scope is malformed");
  }
  std::optional<Refusal> refusal;
  boost::json::object answer;
  const Status done = ctx.id().db.transaction([&](soci::session& sql) -> Status {
    const std::int64_t now = ctx.now();
    auto used = RefreshTokenStore::use(sql, *token, now);
    if (!used) return fail(used.error());
    if (used->outcome != RefreshOutcome::kRotated) {
      refusal = Refusal{400, "invalid_grant", "the refresh token is invalid, expired or used"};
      return {};
    }
    auto rollback = [&](int status, std::string error, std::string description) -> Status {
      refusal = Refusal{status, std::move(error), std::move(description)};
      return fail(Error::invalid("oidc.refused", "token request refused"));
    };
    auto grant = AuthorizationCodeStore::find(sql, used->token->grant_id);
    if (!grant) return fail(grant.error());
    if (!grant->has_value() || (*grant)->client_id != client.client_id) {
      return rollback(400, "invalid_grant", "the refresh token was issued to another client");
    }
    const auto granted =
        oidc::parse_scopes(used->token->scope).value_or(std::vector<std::string>{});
    // RFC 6749 §6: a narrower scope may be asked for, never a wider one.
    std::string scope = used->token->scope;
    if (asked && !asked->empty()) {
      if (!oidc::is_subset(*asked, granted)) {
        return rollback(400, "invalid_scope", "scope exceeds the original grant");
      }
      scope = oidc::join_scopes(*asked);
    }
    auto account = AccountStore::find_by_id(sql, (*grant)->account_id);
    if (!account) return fail(account.error());
    if (!account->has_value() || (*account)->status != AccountStatus::kActive) {
      return rollback(400, "invalid_grant", "the account is not active");
    }
    // The new refresh token carries the grant's full scope (user_tokens issues it when the
    // grant has offline_access), so narrowing one access token narrows nothing for later.
    auto tokens = user_tokens(ctx, sql, **grant, client, **account, scope, false);
    if (!tokens) return fail(tokens.error());
    if (!tokens->contains("refresh_token")) {
      auto refresh = RefreshTokenStore::issue(sql, (*grant)->id, (*grant)->scope, now,
                                              oidc::kRefreshTokenLifetime);
      if (!refresh) return fail(refresh.error());
      (*tokens)["refresh_token"] = *refresh;
    }
    answer = std::move(*tokens);
    return audit_issued(sql, req, client.client_id, (*grant)->account_id, "refresh_token", scope,
                        now);
  });
  if (refusal) return oauth_error(refusal->status, refusal->error, refusal->description);
  if (!done) return oauth_error(500, "server_error", "try again");
  return no_store_json(answer);
}

http::Response client_credentials(const OidcContext& ctx, const http::FormData& form,
                                  const oidc::Client& client) {
  if (!client.allows_grant(oidc::kGrantClientCredentials) || client.is_public()) {
    return oauth_error(400, "unauthorized_client", "grant not allowed for this client");
  }
  // Resident-facing scopes mean nothing without a resident.
  std::vector<std::string> allowed;
  for (const auto& s : client.scopes)
    if (s != "openid" && s != "offline_access") allowed.push_back(s);
  std::vector<std::string> scopes = allowed;
  if (const auto scope = form.get("scope"); scope && !scope->empty()) {
    const auto asked = oidc::parse_scopes(*scope);
    if (!asked || !oidc::is_subset(*asked, allowed)) {
      return oauth_error(400, "invalid_scope", "scope exceeds what this client may ask for");
    }
    scopes = *asked;
  }
  const std::string scope = oidc::join_scopes(scopes);
  const std::int64_t now = ctx.now();
  auto access = sign(ctx,
                     oidc::access_token_claims({.issuer = ctx.issuer(),
                                                .subject = client.client_id,
                                                .client_id = client.client_id,
                                                .scope = scope,
                                                .jti = crypto::random_token(16),
                                                .now = now}),
                     "at+jwt", jose::Algorithm::kEs256);
  if (!access) return oauth_error(503, "temporarily_unavailable", "no signing key");
  // No audit row: the audit log is each resident's record (and staff's), and a back end's
  // token for itself concerns no resident. Writing one per token would also make every
  // issuance wait for a disk flush on SQLite's single writer, capping a whole city's back ends
  // at a few hundred tokens a second. The access log and /metrics still count every one.
  boost::json::object out;
  out["access_token"] = *access;
  out["token_type"] = "Bearer";
  out["expires_in"] = oidc::kAccessTokenLifetime;
  out["scope"] = scope;
  return no_store_json(out);
}

http::Response token(const OidcContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return oauth_error(400, "invalid_request", "the body must be a form");
  for (const auto& [name, value] : form->fields()) {
    if (form->get_all(name).size() > 1) {
      return oauth_error(400, "invalid_request", "repeated parameter " + name);
    }
  }
  auto authenticated = authenticate_client(ctx, req, *form);
  if (auto* res = std::get_if<http::Response>(&authenticated)) return std::move(*res);
  const auto& client = std::get<oidc::Client>(authenticated);
  const auto grant_type = form->get_or("grant_type", "");
  if (grant_type.empty()) return oauth_error(400, "invalid_request", "grant_type is required");
  if (grant_type == oidc::kGrantAuthorizationCode) {
    return authorization_code(ctx, req, *form, client);
  }
  if (grant_type == oidc::kGrantRefreshToken) return refresh_token(ctx, req, *form, client);
  if (grant_type == oidc::kGrantClientCredentials) {
    return client_credentials(ctx, *form, client);
  }
  return oauth_error(400, "unsupported_grant_type", "unsupported grant_type");
}

}  // namespace

void add_token_routes(http::Router& router, Ctx ctx) {
  // A city's back ends call for client_credentials tokens more than anything else, and with the
  // client and the signing keys in memory such a request touches no database: it runs on the
  // I/O thread, sparing two thread hops and a queue. Code and refresh grants write to the
  // database and go to the worker pool, as does everything while a copy is being reloaded.
  auto needs_no_database = [ctx](const http::Request& req) {
    const auto& form = req.form();
    if (!form || form->get_or("grant_type", "") != oidc::kGrantClientCredentials) return false;
    if (!ctx->id().keys->peek()) return false;
    auto credentials = oidc::read_client_credentials(req.header("Authorization"), *form);
    if (!credentials) return true;  // refused before any lookup
    std::shared_ptr<const ClientMap> hold;
    return ctx->id().clients->find_cached(credentials->client_id, hold) != nullptr;
  };
  router.post(std::string(oidc::kTokenPath), [ctx](http::Request& req) { return token(*ctx, req); },
              {.run_inline_if = std::move(needs_no_database),
               .csrf_exempt = true,
               .max_body_bytes = 16 * 1024});
}

}  // namespace zocalo::identity::oidc_routes
