#include "identity/oidc/discovery.hpp"

#include <boost/json/array.hpp>
#include <string>

#include "identity/oidc/claims.hpp"
#include "identity/oidc/scope.hpp"

namespace zocalo::identity::oidc {
namespace {

boost::json::array strings(std::initializer_list<std::string_view> list) {
  boost::json::array a;
  for (const auto s : list) a.emplace_back(s);
  return a;
}

}  // namespace

boost::json::object discovery_document(std::string_view issuer) {
  const std::string base(issuer);
  boost::json::object d;
  d["issuer"] = base;
  d["authorization_endpoint"] = base + std::string(kAuthorizePath);
  d["token_endpoint"] = base + std::string(kTokenPath);
  d["userinfo_endpoint"] = base + std::string(kUserinfoPath);
  d["jwks_uri"] = base + std::string(kJwksPath);
  d["end_session_endpoint"] = base + std::string(kLogoutPath);
  d["introspection_endpoint"] = base + std::string(kIntrospectPath);
  d["revocation_endpoint"] = base + std::string(kRevokePath);
  boost::json::array scopes;
  for (const auto s : kSupportedScopes) scopes.emplace_back(s);
  d["scopes_supported"] = std::move(scopes);
  d["response_types_supported"] = strings({"code"});
  d["response_modes_supported"] = strings({"query"});
  d["grant_types_supported"] =
      strings({"authorization_code", "refresh_token", "client_credentials"});
  d["subject_types_supported"] = strings({"public"});
  d["id_token_signing_alg_values_supported"] = strings({"RS256", "ES256"});
  d["userinfo_signing_alg_values_supported"] = strings({"none"});
  d["code_challenge_methods_supported"] = strings({"S256"});
  const auto auth_methods = strings({"client_secret_basic", "client_secret_post"});
  d["token_endpoint_auth_methods_supported"] = auth_methods;
  d["introspection_endpoint_auth_methods_supported"] = auth_methods;
  d["revocation_endpoint_auth_methods_supported"] = auth_methods;
  d["acr_values_supported"] = strings({"urn:zocalo:loa:1", "urn:zocalo:loa:2", "urn:zocalo:loa:3"});
  boost::json::array claims;
  for (const auto& c : supported_claims()) claims.emplace_back(c);
  d["claims_supported"] = std::move(claims);
  d["claim_types_supported"] = strings({"normal"});
  d["ui_locales_supported"] = strings({"es-MX", "en"});
  d["claims_locales_supported"] = strings({"es-MX"});
  d["prompt_values_supported"] = strings({"none", "login", "consent", "select_account"});
  d["claims_parameter_supported"] = false;
  d["request_parameter_supported"] = false;
  d["request_uri_parameter_supported"] = false;
  d["require_request_uri_registration"] = false;
  // RFC 9207: every authorization response carries "iss", against mix-up attacks.
  d["authorization_response_iss_parameter_supported"] = true;
  d["backchannel_logout_supported"] = true;
  d["backchannel_logout_session_supported"] = true;
  d["frontchannel_logout_supported"] = false;
  return d;
}

}  // namespace zocalo::identity::oidc
