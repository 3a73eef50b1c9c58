#include <memory>
#include <string_view>

#include "identity/identity.hpp"
#include "identity/routes/identity_context.hpp"
#include "platform/core/time.hpp"

namespace zocalo::identity {
namespace {

// OpenID Connect Discovery 1.0 §3: the issuer is an https URL (http on loopback and in tests)
// with no query or fragment, and tokens carry it byte for byte, so a trailing slash would make
// "iss" differ from what relying parties compare it with.
bool valid_issuer(std::string_view issuer) {
  const bool scheme = issuer.starts_with("https://") || issuer.starts_with("http://");
  if (!scheme || issuer.ends_with('/')) return false;
  if (issuer.find_first_of("?# \t\r\n") != std::string_view::npos) return false;
  return issuer.size() <= 200 && issuer.find("://") + 3 < issuer.size();
}

}  // namespace

Status register_routes(http::Router& router, db::Database& db, const web::Renderer& renderer,
                       const web::ErrorPages& errors, IdentityOptions options) {
  if (!options.key_encryption) {
    return fail(
        Error::invalid("identity.keys.invalid", "IdentityOptions::key_encryption is unset"));
  }
  if (options.key_refresh.count() < 0 || options.jwks_max_age.count() < 0) {
    return fail(Error::invalid("identity.keys.invalid", "key durations must not be negative"));
  }
  if (options.login_idle_timeout.count() <= 0 || options.login_absolute_lifetime.count() <= 0) {
    return fail(Error::invalid("identity.login.invalid", "login timeouts must be positive"));
  }
  if (!valid_issuer(options.issuer)) {
    return fail(Error::invalid("identity.issuer.invalid",
                               "issuer must be an http(s) URL without a trailing slash, query or "
                               "fragment: " +
                                   options.issuer));
  }
  if (!options.clock) options.clock = time::now_unix;

  auto keys = std::make_shared<KeySetSnapshot>(db, options.key_encryption, options.key_refresh);
  if (auto first = keys->get(); !first) return fail(first.error());
  add_jwks_route(router, keys, JwksRouteOptions{options.jwks_max_age, options.clock});

  auto clients = std::make_shared<ClientDirectory>(db, options.client_refresh);
  PasswordHasher hasher(options.password_hashing);
  auto ctx = std::make_shared<const IdentityContext>(IdentityContext{
      db, renderer, errors, std::move(options), std::move(hasher), keys, std::move(clients)});
  for (auto group : {register_sign_in_routes, register_account_routes, register_admin_routes,
                     register_oidc_routes}) {
    if (Status s = group(router, ctx); !s) return s;
  }
  return {};
}

}  // namespace zocalo::identity
