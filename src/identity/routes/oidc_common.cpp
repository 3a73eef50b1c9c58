#include "identity/routes/oidc_common.hpp"

#include <boost/json/serialize.hpp>
#include <cctype>

#include "identity/jose/jwt.hpp"
#include "identity/oidc/client_auth.hpp"
#include "identity/oidc/tokens.hpp"
#include "identity/routes/mi_llave_views.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/token_revocation_store.hpp"

namespace zocalo::identity::oidc_routes {

http::Response no_store_json(const boost::json::object& body, int status) {
  auto res = http::Response::json(boost::json::serialize(body), status);
  res.headers.set("Cache-Control", "no-store");
  res.headers.set("Pragma", "no-cache");
  return res;
}

http::Response oauth_error(int status, std::string_view error, std::string_view description) {
  boost::json::object body;
  body["error"] = error;
  if (!description.empty()) body["error_description"] = description;
  auto res = no_store_json(body, status);
  if (status == 401) res.headers.set("WWW-Authenticate", "Basic realm=\"zocalo\"");
  return res;
}

std::variant<oidc::Client, http::Response> authenticate_client(const OidcContext& ctx,
                                                               const http::Request& req,
                                                               const http::FormData& form) {
  auto creds = oidc::read_client_credentials(req.header("Authorization"), form);
  if (!creds) return oauth_error(401, "invalid_client", "client authentication failed");
  auto client = ctx.id().clients->find(creds->client_id);
  if (!client) return oauth_error(503, "temporarily_unavailable", "try again");
  if (!client->has_value() || !oidc::authenticates(**client, *creds)) {
    return oauth_error(401, "invalid_client", "client authentication failed");
  }
  return std::move(**client);
}

Result<std::string> sign(const OidcContext& ctx, const boost::json::object& claims,
                         std::string_view typ, jose::Algorithm alg) {
  auto keys = ctx.id().keys->get();
  if (!keys) return fail(keys.error());
  const auto key = (*keys)->current_signing_key(alg, ctx.now());
  if (!key) return fail(Error::unavailable("no signing key of that algorithm is active"));
  return jose::sign_jwt(*key, claims, typ);
}

Result<std::optional<ActiveAccessToken>> active_access_token(const OidcContext& ctx,
                                                             std::string_view token) {
  using None = std::optional<ActiveAccessToken>;
  const std::int64_t now = ctx.now();
  auto claims = ctx.verified_tokens->find(token, now);
  if (!claims) {
    auto keys = ctx.id().keys->get();
    if (!keys) return fail(keys.error());
    jose::VerifyOptions options;
    options.now = now;
    options.issuer = ctx.issuer();
    options.audience = ctx.issuer();
    options.typ = "at+jwt";
    options.leeway_seconds = 0;
    auto verified = jose::verify_jwt(token, (*keys)->lookup_at(now), options);
    if (!verified) return None();
    // Our access tokens always carry exp (oidc::access_token_claims); without it, no caching.
    if (const auto exp = int_claim(*verified, "exp")) {
      ctx.verified_tokens->remember(token, *verified, *exp, now);
    }
    claims = std::move(*verified);
  }
  const auto jti = string_claim(*claims, "jti");
  const auto client_id = string_claim(*claims, "client_id");
  if (!jti || !client_id) return None();
  auto client = ctx.id().clients->find(*client_id);
  if (!client) return fail(client.error());
  if (!client->has_value()) return None();
  ActiveAccessToken active{std::move(*claims), std::nullopt};
  bool live = false;
  const auto grant_id = string_claim(active.claims, oidc::kGrantClaim);
  const Status s = ctx.id().db.read([&](soci::session& sql) -> Status {
    if (!grant_id) {
      auto revoked = TokenRevocationStore::is_revoked(sql, *jti);
      if (!revoked) return fail(revoked.error());
      live = !*revoked;
      return {};
    }
    auto holder = AccountStore::find_token_holder(sql, *grant_id, *client_id, *jti);
    if (!holder) return fail(holder.error());
    live = holder->has_value() && (*holder)->status == AccountStatus::kActive;
    active.resident = std::move(*holder);
    return {};
  });
  if (!s) return fail(s.error());
  if (!live) return None();
  return None(std::move(active));
}

http::Response error_page(const OidcContext& ctx, http::Request& req, std::string_view message_key,
                          int status) {
  web::View view{web::View::type::object};
  view.set("message", std::string(ctx.id().renderer.text(req.locale, message_key)));
  return ctx.id().renderer.render_page(req, "oidc/error", view,
                                       {.title_key = "oidc.error.title", .status = status});
}

std::string csp_allowing_form_target(std::string_view uri) {
  std::string origin;
  const auto scheme_end = uri.find("://");
  if (scheme_end != std::string_view::npos) {
    const auto path = uri.find_first_of("/?#", scheme_end + 3);
    origin = std::string(uri.substr(0, path));
  }
  for (const char c : origin) {
    // Only what an origin may hold; anything else would inject into the header.
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == ':' || c == '/' ||
                    c == '.' || c == '-' || c == '[' || c == ']';
    if (!ok) return "";
  }
  return "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
         "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'" +
         (origin.empty() ? std::string() : " " + origin);
}

std::string local_time(std::int64_t unix_seconds) {
  return mi_llave::local_time(unix_seconds);
}

std::optional<std::string> string_claim(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> int_claim(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  return std::nullopt;
}

}  // namespace zocalo::identity::oidc_routes
