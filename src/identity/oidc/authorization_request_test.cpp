#include "identity/oidc/authorization_request.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "identity/oidc/pkce.hpp"

namespace zocalo::identity::oidc {
namespace {

constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";  // RFC 7636 B
constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

Client confidential() {
  Client c;
  c.client_id = "web";
  c.name = "Web";
  c.type = ClientType::kConfidential;
  c.redirect_uris = {"https://rp.example/cb", "https://rp.example/cb?x=1"};
  c.scopes = {"openid", "profile", "email", "offline_access"};
  c.grant_types = {"authorization_code", "refresh_token"};
  return c;
}

Client public_client() {
  Client c = confidential();
  c.client_id = "app";
  c.type = ClientType::kPublic;
  return c;
}

http::FormData base() {
  http::FormData f;
  f.add("client_id", "web");
  f.add("redirect_uri", "https://rp.example/cb");
  f.add("response_type", "code");
  f.add("scope", "openid email");
  f.add("state", "xyz");
  return f;
}

http::FormData with(http::FormData f, const std::string& name, const std::string& value) {
  f.add(name, value);
  return f;
}

http::FormData without(const http::FormData& f, const std::string& name) {
  http::FormData out;
  for (const auto& [n, v] : f.fields())
    if (n != name) out.add(n, v);
  return out;
}

struct Case {
  const char* name;
  http::FormData params;
  bool public_client;
  bool known_client;
  // Expected: "" for success, else the error code; redirect tells where it goes.
  std::string error;
  bool redirect;
};

TEST(AuthorizationRequestTest, TableOfRules) {
  const std::vector<Case> cases = {
      {"valid confidential", base(), false, true, "", false},
      {"valid with PKCE",
       with(with(base(), "code_challenge", kChallenge), "code_challenge_method", "S256"), false,
       true, "", false},
      {"unknown client never redirects", base(), false, false, "invalid_client", false},
      {"missing client_id", without(base(), "client_id"), false, true, "invalid_client", false},
      {"repeated client_id", with(base(), "client_id", "web"), false, true, "invalid_client",
       false},
      {"missing redirect_uri", without(base(), "redirect_uri"), false, true, "invalid_request",
       false},
      {"unregistered redirect_uri",
       with(without(base(), "redirect_uri"), "redirect_uri", "https://evil.example/cb"), false,
       true, "invalid_request", false},
      {"redirect_uri prefix is not a match",
       with(without(base(), "redirect_uri"), "redirect_uri", "https://rp.example/cb/x"), false,
       true, "invalid_request", false},
      {"redirect_uri differing in case",
       with(without(base(), "redirect_uri"), "redirect_uri", "https://RP.example/cb"), false, true,
       "invalid_request", false},
      {"repeated scope", with(base(), "scope", "openid"), false, true, "invalid_request", true},
      {"missing response_type", without(base(), "response_type"), false, true, "invalid_request",
       true},
      {"implicit flow refused",
       with(without(base(), "response_type"), "response_type", "id_token token"), false, true,
       "unsupported_response_type", true},
      {"no openid scope", with(without(base(), "scope"), "scope", "email"), false, true,
       "invalid_scope", true},
      {"malformed scope", with(without(base(), "scope"), "scope", "openid \"x\""), false, true,
       "invalid_scope", true},
      {"request object", with(base(), "request", "eyJ..."), false, true, "request_not_supported",
       true},
      {"request_uri", with(base(), "request_uri", "https://x"), false, true,
       "request_uri_not_supported", true},
      {"fragment response mode", with(base(), "response_mode", "fragment"), false, true,
       "invalid_request", true},
      {"plain PKCE refused",
       with(with(base(), "code_challenge", kChallenge), "code_challenge_method", "plain"), false,
       true, "invalid_request", true},
      {"PKCE without method means plain", with(base(), "code_challenge", kChallenge), false, true,
       "invalid_request", true},
      {"malformed challenge",
       with(with(base(), "code_challenge", "short"), "code_challenge_method", "S256"), false, true,
       "invalid_request", true},
      {"public client without PKCE", with(without(base(), "client_id"), "client_id", "app"), true,
       true, "invalid_request", true},
      {"public client with PKCE",
       with(with(with(without(base(), "client_id"), "client_id", "app"), "code_challenge",
                 kChallenge),
            "code_challenge_method", "S256"),
       true, true, "", false},
      {"prompt none with login", with(base(), "prompt", "none login"), false, true,
       "invalid_request", true},
      {"unknown prompt", with(base(), "prompt", "always"), false, true, "invalid_request", true},
      {"prompt login consent", with(base(), "prompt", "login consent"), false, true, "", false},
      {"negative max_age", with(base(), "max_age", "-1"), false, true, "invalid_request", true},
      {"text max_age", with(base(), "max_age", "soon"), false, true, "invalid_request", true},
      {"long state", with(without(base(), "state"), "state", std::string(501, 's')), false, true,
       "invalid_request", true},
      {"long nonce", with(base(), "nonce", std::string(501, 'n')), false, true, "invalid_request",
       true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Client client = c.public_client ? public_client() : confidential();
    const auto outcome =
        validate_authorization_request(c.params, c.known_client ? &client : nullptr);
    if (c.error.empty()) {
      ASSERT_TRUE(std::holds_alternative<AuthorizationRequest>(outcome))
          << std::get<AuthorizationError>(outcome).description;
      continue;
    }
    ASSERT_TRUE(std::holds_alternative<AuthorizationError>(outcome));
    const auto& e = std::get<AuthorizationError>(outcome);
    EXPECT_EQ(e.error, c.error);
    EXPECT_EQ(e.redirect, c.redirect);
    if (!c.redirect) {
      EXPECT_TRUE(e.redirect_uri.empty());
    }
  }
}

TEST(AuthorizationRequestTest, KeepsWhatTheRequestSaid) {
  auto params = base();
  params.add("nonce", "n-0S6_WzA2Mj");
  params.add("prompt", "login");
  params.add("max_age", "300");
  params.add("acr_values", "urn:zocalo:loa:3 urn:zocalo:loa:2 urn:other");
  params.add("ui_locales", "fr en-US es-MX");
  params.add("code_challenge", kChallenge);
  params.add("code_challenge_method", "S256");
  const Client client = confidential();
  const auto outcome = validate_authorization_request(params, &client);
  ASSERT_TRUE(std::holds_alternative<AuthorizationRequest>(outcome));
  const auto& r = std::get<AuthorizationRequest>(outcome);
  EXPECT_EQ(r.client_id, "web");
  EXPECT_EQ(r.state, "xyz");
  EXPECT_EQ(r.nonce, "n-0S6_WzA2Mj");
  EXPECT_TRUE(r.prompt_login);
  EXPECT_FALSE(r.prompt_none);
  EXPECT_EQ(r.max_age, 300);
  EXPECT_EQ(r.acr_min, LevelOfAssurance::kCurpValidated);  // the lowest acceptable level
  EXPECT_EQ(r.ui_locale, "en");  // the first supported language in the list
  EXPECT_EQ(r.code_challenge, kChallenge);
  EXPECT_EQ(r.scopes, (std::vector<std::string>{"openid", "email"}));
}

TEST(AuthorizationRequestTest, ScopesNarrowToTheClientAndTheProvider) {
  auto params = without(base(), "scope");
  params.add("scope", "email openid phone unknown_scope offline_access");
  const Client client = confidential();  // allowed: openid profile email offline_access
  const auto outcome = validate_authorization_request(params, &client);
  ASSERT_TRUE(std::holds_alternative<AuthorizationRequest>(outcome));
  EXPECT_EQ(std::get<AuthorizationRequest>(outcome).scopes,
            (std::vector<std::string>{"openid", "email", "offline_access"}));
}

TEST(AuthorizationRequestTest, ErrorRedirectCarriesStateAndIssuer) {
  const AuthorizationError e{true, "login_required", "no one", "https://rp.example/cb?x=1",
                             std::string("a b&c")};
  EXPECT_EQ(error_redirect(e, "https://llave.example"),
            "https://rp.example/cb?x=1&error=login_required&error_description=no%20one&"
            "state=a%20b%26c&iss=https%3A%2F%2Fllave.example");
}

TEST(AuthorizationRequestTest, ReauthenticationFollowsMaxAgePromptLoginAndTheMarker) {
  AuthorizationRequest r;
  EXPECT_FALSE(needs_reauthentication(r, 1000, 5000));
  r.max_age = 600;
  EXPECT_TRUE(needs_reauthentication(r, 1000, 5000));
  EXPECT_FALSE(needs_reauthentication(r, 4500, 5000));
  r.max_age = 0;
  r.auth_after = 4990;
  EXPECT_FALSE(needs_reauthentication(r, 4995, 5000));  // signed in again after the marker
  EXPECT_TRUE(needs_reauthentication(r, 4000, 5000));
  AuthorizationRequest login;
  login.prompt_login = true;
  EXPECT_TRUE(needs_reauthentication(login, 4999, 5000));
  login.auth_after = 4999;
  EXPECT_FALSE(needs_reauthentication(login, 4999, 5000));
}

TEST(AuthorizationRequestTest, QueryRoundTripDropsFormFieldsAndReplacesTheMarker) {
  auto params = base();
  params.add("_csrf", "t");
  params.add("decision", "allow");
  params.add(std::string(kAuthAfterParam), "1");
  EXPECT_EQ(to_query(params, 42),
            "client_id=web&redirect_uri=https%3A%2F%2Frp.example%2Fcb&response_type=code&"
            "scope=openid%20email&state=xyz&llave_auth_after=42");
  const auto reparsed = http::parse_urlencoded(to_query(params, std::nullopt));
  ASSERT_TRUE(reparsed);
  EXPECT_EQ(reparsed->get_or("redirect_uri", ""), "https://rp.example/cb");
  EXPECT_FALSE(reparsed->has("_csrf"));
}

TEST(PkceTest, Rfc7636AppendixBExample) {
  EXPECT_EQ(s256_challenge(kVerifier), kChallenge);
  EXPECT_TRUE(pkce_matches(kVerifier, kChallenge));
  EXPECT_FALSE(pkce_matches(std::string(kVerifier) + "x", kChallenge));
  EXPECT_FALSE(pkce_matches("short", s256_challenge("short")));  // verifier under 43 chars
  EXPECT_FALSE(valid_code_verifier(std::string(129, 'a')));
  EXPECT_FALSE(valid_code_verifier(std::string(43, '+')));
  EXPECT_TRUE(valid_code_verifier(std::string(128, '~')));
  EXPECT_FALSE(valid_code_challenge(std::string(kChallenge) + "A"));
}

}  // namespace
}  // namespace zocalo::identity::oidc
