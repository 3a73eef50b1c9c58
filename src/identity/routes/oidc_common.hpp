#pragma once
// What the OpenID Provider's handlers share (routes/oidc_*.cpp): the context, OAuth JSON
// answers, client authentication, signing and checking our own tokens.
#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "identity/jose/verified_token_cache.hpp"
#include "identity/model/account.hpp"
#include "identity/oidc/client.hpp"
#include "identity/routes/identity_context.hpp"
#include "platform/core/result.hpp"
#include "platform/http/form.hpp"
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"

namespace zocalo::identity::oidc_routes {

// Access tokens remembered as verified (10,000 × ~1 KB at most).
inline constexpr std::size_t kVerifiedTokenCacheEntries = 10'000;

struct OidcContext {
  std::shared_ptr<const IdentityContext> identity;
  std::int64_t code_lifetime = 60;  // oidc::code_lifetime_from_env()
  std::shared_ptr<jose::VerifiedTokenCache> verified_tokens;

  const IdentityContext& id() const { return *identity; }
  std::int64_t now() const { return identity->now(); }
  const std::string& issuer() const { return identity->options.issuer; }
};
using Ctx = std::shared_ptr<const OidcContext>;

// application/json with Cache-Control: no-store (RFC 6749 §5.1).
http::Response no_store_json(const boost::json::object& body, int status = 200);
// RFC 6749 §5.2 error; 401 invalid_client carries WWW-Authenticate: Basic (§5.2).
http::Response oauth_error(int status, std::string_view error, std::string_view description);

// Authenticates the client of a token/introspection/revocation request, or returns the 401
// invalid_client answer (unknown client, wrong secret, malformed credentials alike).
std::variant<oidc::Client, http::Response> authenticate_client(const OidcContext& ctx,
                                                               const http::Request& req,
                                                               const http::FormData& form);

// Signs with the current key of `alg` (kid in the header). ID tokens and logout tokens use
// RS256, the one algorithm every relying party must accept (OIDC Core §15.1); access tokens
// use ES256 (RFC 9068 leaves the choice to the provider; resource servers pick the key by kid
// from the JWKS), which signs about ten times faster than RSA-2048 — the difference between a
// few thousand and tens of thousands of back-end tokens a second on two cores.
Result<std::string> sign(const OidcContext& ctx, const boost::json::object& claims,
                         std::string_view typ, jose::Algorithm alg = jose::Algorithm::kRs256);

// An RFC 9068 access token we issued that is still active: signature, iss, aud, typ and exp
// checked; not revoked by jti; its client still registered; when it came from a resident's
// grant, the grant not revoked and the resident's account active. nullopt when any of that
// fails. One database query per call: the client comes from the in-memory directory, and a
// token seen before skips its signature check (jose::VerifiedTokenCache).
struct ActiveAccessToken {
  boost::json::object claims;
  std::optional<Account> resident;  // tokens from a grant; client_credentials tokens have none
};
Result<std::optional<ActiveAccessToken>> active_access_token(const OidcContext& ctx,
                                                             std::string_view token);

// A short, plain-words HTML page for failures that must not be redirected (unknown client,
// unregistered redirect_uri, bad logout request).
http::Response error_page(const OidcContext& ctx, http::Request& req, std::string_view message_key,
                          int status = 400);

// The security-header CSP with form-action widened to the origin of `uri`: the consent and
// logout forms answer with a redirect to the client, and browsers apply form-action to it.
std::string csp_allowing_form_target(std::string_view uri);

// "2026-11-23 18:31" in Mexico City.
std::string local_time(std::int64_t unix_seconds);

// Claim helpers.
std::optional<std::string> string_claim(const boost::json::object& claims, std::string_view name);
std::optional<std::int64_t> int_claim(const boost::json::object& claims, std::string_view name);

// Route groups (routes/oidc_*.cpp), registered by register_oidc_routes.
void add_authorize_routes(http::Router& router, Ctx ctx);
void add_token_routes(http::Router& router, Ctx ctx);
void add_resource_routes(http::Router& router, Ctx ctx);
void add_logout_routes(http::Router& router, Ctx ctx);
void add_oidc_pages(http::Router& router, Ctx ctx);

}  // namespace zocalo::identity::oidc_routes
