#pragma once
// The provider's metadata (OpenID Connect Discovery 1.0 §3, RFC 8414), served at
// /.well-known/openid-configuration. Pure: everything follows from the issuer.
#include <boost/json/object.hpp>
#include <string_view>

namespace zocalo::identity::oidc {

// Endpoint paths under the issuer.
inline constexpr std::string_view kAuthorizePath = "/oidc/authorize";
inline constexpr std::string_view kTokenPath = "/oidc/token";
inline constexpr std::string_view kUserinfoPath = "/oidc/userinfo";
inline constexpr std::string_view kIntrospectPath = "/oidc/introspect";
inline constexpr std::string_view kRevokePath = "/oidc/revoke";
inline constexpr std::string_view kLogoutPath = "/oidc/logout";
inline constexpr std::string_view kJwksPath = "/.well-known/jwks.json";
inline constexpr std::string_view kConsentPath = "/llave/autorizar";

// `issuer` exactly as configured (Discovery §4.3: it must equal the "iss" of every token).
boost::json::object discovery_document(std::string_view issuer);

}  // namespace zocalo::identity::oidc
