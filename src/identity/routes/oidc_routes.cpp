// Placeholder until its owner lands the routes.
#include "identity/routes/identity_context.hpp"

namespace zocalo::identity {

Status register_oidc_routes(http::Router&, std::shared_ptr<const IdentityContext>) {
  return {};
}

}  // namespace zocalo::identity
