// The provider's API for relying parties and resource servers: discovery, userinfo (OpenID
// Connect Core §5.3, bearer per RFC 6750), introspection (RFC 7662) and revocation
// (RFC 7009).
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "identity/jose/jwt.hpp"
#include "identity/oidc/claims.hpp"
#include "identity/oidc/discovery.hpp"
#include "identity/oidc/scope.hpp"
#include "identity/oidc/tokens.hpp"
#include "identity/routes/oidc_common.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/authorization_code_store.hpp"
#include "identity/store/refresh_token_store.hpp"
#include "identity/store/token_revocation_store.hpp"

namespace zocalo::identity::oidc_routes {
namespace {

// RFC 6750 §3: the challenge; without an error code when no token was sent at all (§3.1).
http::Response bearer_error(int status, std::string_view error, std::string_view description) {
  boost::json::object body;
  std::string challenge = "Bearer realm=\"zocalo\"";
  if (!error.empty()) {
    challenge += ", error=\"" + std::string(error) + "\", error_description=\"" +
                 std::string(description) + "\"";
    body["error"] = error;
    body["error_description"] = description;
  }
  auto res = no_store_json(body, status);
  res.headers.set("WWW-Authenticate", challenge);
  return res;
}

http::Response discovery(const OidcContext& ctx) {
  auto res = http::Response::json(boost::json::serialize(oidc::discovery_document(ctx.issuer())));
  res.headers.set("Cache-Control", "public, max-age=3600");
  res.headers.set("Access-Control-Allow-Origin", "*");
  return res;
}

http::Response userinfo(const OidcContext& ctx, http::Request& req) {
  std::optional<std::string> token;
  const auto authorization = req.header("Authorization");
  if (authorization) {
    if (authorization->size() < 7 ||
        (authorization->substr(0, 7) != "Bearer " && authorization->substr(0, 7) != "bearer ")) {
      return bearer_error(401, "invalid_request", "use the Bearer scheme");
    }
    token = std::string(authorization->substr(7));
  }
  if (req.method == http::Method::kPost) {
    // RFC 6750 §2.2: the token may come in a form body instead, never in both.
    const auto& form = req.form();
    if (form && form->has("access_token")) {
      if (token) return bearer_error(400, "invalid_request", "token sent twice");
      token = std::string(*form->get("access_token"));
    }
  }
  if (!token || token->empty()) return bearer_error(401, "", "");
  auto active = active_access_token(ctx, *token);
  if (!active) return bearer_error(503, "temporarily_unavailable", "try again");
  if (!active->has_value()) return bearer_error(401, "invalid_token", "the token is not active");
  const auto& c = (*active)->claims;
  const auto scope = oidc::parse_scopes(string_claim(c, "scope").value_or(""))
                         .value_or(std::vector<std::string>{});
  // Client-credentials tokens name no resident; userinfo needs openid (OIDC Core §5.3).
  const auto& resident = (*active)->resident;
  if (!resident || !oidc::has_scope(scope, "openid")) {
    return bearer_error(403, "insufficient_scope", "the token does not carry openid");
  }
  return no_store_json(oidc::claims_for_scopes(*resident, scope));
}

http::Response introspect(const OidcContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return oauth_error(400, "invalid_request", "the body must be a form");
  auto authenticated = authenticate_client(ctx, req, *form);
  if (auto* res = std::get_if<http::Response>(&authenticated)) return std::move(*res);
  const auto& client = std::get<oidc::Client>(authenticated);
  // RFC 7662 §2.1: the caller must be authorised; a public client proves nothing about itself.
  if (client.is_public())
    return oauth_error(401, "invalid_client", "public clients may not introspect");
  const auto token = form->get("token");
  if (!token) return oauth_error(400, "invalid_request", "token is required");
  boost::json::object out;
  out["active"] = false;
  // RFC 9068 tokens have two dots; refresh tokens are opaque base64url.
  if (token->find('.') != std::string_view::npos) {
    auto active = active_access_token(ctx, *token);
    if (!active) return oauth_error(503, "temporarily_unavailable", "try again");
    if (active->has_value()) {
      const auto& c = (*active)->claims;
      out["active"] = true;
      for (const auto* name : {"scope", "client_id", "sub", "iss", "jti", "acr"}) {
        if (const auto v = string_claim(c, name)) out[name] = *v;
      }
      for (const auto* name : {"exp", "iat", "auth_time"}) {
        if (const auto v = int_claim(c, name)) out[name] = *v;
      }
      out["aud"] = ctx.issuer();
      out["token_type"] = "Bearer";
    }
    return no_store_json(out);
  }
  const Status s = ctx.id().db.read([&](soci::session& sql) -> Status {
    auto found = RefreshTokenStore::find_live(sql, *token, ctx.now());
    if (!found) return fail(found.error());
    if (!found->has_value()) return {};
    auto grant = AuthorizationCodeStore::find(sql, (*found)->grant_id);
    if (!grant) return fail(grant.error());
    // A refresh token is its own client's business only.
    if (!grant->has_value() || (*grant)->client_id != client.client_id) return {};
    auto account = AccountStore::find_by_id(sql, (*grant)->account_id);
    if (!account) return fail(account.error());
    if (!account->has_value()) return {};
    out["active"] = true;
    out["scope"] = (*found)->scope;
    out["client_id"] = client.client_id;
    out["sub"] = (*account)->subject;
    out["iss"] = ctx.issuer();
    out["exp"] = (*found)->expires_at;
    out["iat"] = (*found)->created_at;
    out["token_type"] = "refresh_token";
    return {};
  });
  if (!s) return oauth_error(503, "temporarily_unavailable", "try again");
  return no_store_json(out);
}

http::Response revoke(const OidcContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return oauth_error(400, "invalid_request", "the body must be a form");
  auto authenticated = authenticate_client(ctx, req, *form);
  if (auto* res = std::get_if<http::Response>(&authenticated)) return std::move(*res);
  const auto& client = std::get<oidc::Client>(authenticated);
  const auto token = form->get("token");
  if (!token) return oauth_error(400, "invalid_request", "token is required");
  const auto hint = form->get_or("token_type_hint", "");
  if (!hint.empty() && hint != "access_token" && hint != "refresh_token") {
    return oauth_error(400, "unsupported_token_type", "unknown token_type_hint");
  }
  const std::int64_t now = ctx.now();
  std::optional<boost::json::object> access;
  if (token->find('.') != std::string_view::npos) {
    auto active = active_access_token(ctx, *token);
    if (!active) return oauth_error(503, "temporarily_unavailable", "try again");
    if (active->has_value()) access = std::move((*active)->claims);
  }
  const Status s = ctx.id().db.transaction([&](soci::session& sql) -> Status {
    if (access) {
      // RFC 7009 §2.1: a client revokes only its own tokens; others get the same 200.
      if (string_claim(*access, "client_id") != client.client_id) return {};
      return TokenRevocationStore::revoke(sql, string_claim(*access, "jti").value_or(""),
                                          int_claim(*access, "exp").value_or(now), now);
    }
    auto found = RefreshTokenStore::find_live(sql, *token, now);
    if (!found) return fail(found.error());
    if (!found->has_value()) return {};
    auto grant = AuthorizationCodeStore::find(sql, (*found)->grant_id);
    if (!grant) return fail(grant.error());
    if (!grant->has_value() || (*grant)->client_id != client.client_id) return {};
    // §2.1: revoking a refresh token SHOULD also invalidate the access tokens of its grant.
    return AuthorizationCodeStore::revoke(sql, (*grant)->id, now);
  });
  if (!s) return oauth_error(503, "temporarily_unavailable", "try again");
  auto res = http::Response::empty(200);
  res.headers.set("Cache-Control", "no-store");
  return res;
}

}  // namespace

void add_resource_routes(http::Router& router, Ctx ctx) {
  router.get("/.well-known/openid-configuration", [ctx](http::Request&) { return discovery(*ctx); },
             {.run_inline = true});
  router.get(std::string(oidc::kUserinfoPath),
             [ctx](http::Request& req) { return userinfo(*ctx, req); });
  router.post(std::string(oidc::kUserinfoPath),
              [ctx](http::Request& req) { return userinfo(*ctx, req); },
              {.csrf_exempt = true, .max_body_bytes = 16 * 1024});
  router.post(std::string(oidc::kIntrospectPath),
              [ctx](http::Request& req) { return introspect(*ctx, req); },
              {.csrf_exempt = true, .max_body_bytes = 32 * 1024});
  router.post(std::string(oidc::kRevokePath),
              [ctx](http::Request& req) { return revoke(*ctx, req); },
              {.csrf_exempt = true, .max_body_bytes = 32 * 1024});
}

}  // namespace zocalo::identity::oidc_routes
