// The OpenID Provider's routes (issue 3 item 4): discovery, authorize + consent, token,
// userinfo, introspection, revocation, RP-initiated logout, and the pages for connected
// services and the client register. Each group lives in its own routes/oidc_*.cpp.
#include "identity/oidc/tokens.hpp"
#include "identity/routes/identity_context.hpp"
#include "identity/routes/oidc_common.hpp"

namespace zocalo::identity {

Status register_oidc_routes(http::Router& router, std::shared_ptr<const IdentityContext> ctx) {
  auto oidc = std::make_shared<const oidc_routes::OidcContext>(oidc_routes::OidcContext{
      std::move(ctx), oidc::code_lifetime_from_env(),
      std::make_shared<jose::VerifiedTokenCache>(oidc_routes::kVerifiedTokenCacheEntries)});
  oidc_routes::add_resource_routes(router, oidc);
  oidc_routes::add_authorize_routes(router, oidc);
  oidc_routes::add_token_routes(router, oidc);
  oidc_routes::add_logout_routes(router, oidc);
  oidc_routes::add_oidc_pages(router, oidc);
  return {};
}

}  // namespace zocalo::identity
