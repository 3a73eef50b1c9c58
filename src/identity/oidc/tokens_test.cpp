#include "identity/oidc/tokens.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "identity/oidc/claims.hpp"
#include "identity/oidc/discovery.hpp"

namespace zocalo::identity::oidc {
namespace {

TEST(TokensTest, AtHashIsTheLeftHalfOfSha256) {
  // OpenID Connect Core, Appendix A.3/A.4 example: access token
  // "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y" has at_hash "77QmUPtjPfzWtF2AnpK9RQ".
  EXPECT_EQ(at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"), "77QmUPtjPfzWtF2AnpK9RQ");
}

TEST(TokensTest, IdTokenClaims) {
  const auto c = id_token_claims({.issuer = "https://llave.example",
                                  .subject = "sub1",
                                  .client_id = "web",
                                  .now = 1000,
                                  .auth_time = 900,
                                  .nonce = "n",
                                  .acr = "urn:zocalo:loa:2",
                                  .amr = "pwd otp",
                                  .sid = "sid1",
                                  .access_token = "at"});
  EXPECT_EQ(c.at("iss"), "https://llave.example");
  EXPECT_EQ(c.at("aud"), "web");
  EXPECT_EQ(c.at("exp").as_int64(), 1000 + kIdTokenLifetime);
  EXPECT_EQ(c.at("auth_time").as_int64(), 900);
  EXPECT_EQ(c.at("nonce"), "n");
  EXPECT_EQ(boost::json::serialize(c.at("amr")), R"(["pwd","otp"])");
  EXPECT_EQ(std::string(c.at("at_hash").as_string()), at_hash("at"));
}

TEST(TokensTest, AccessAndLogoutTokens) {
  const auto a = access_token_claims({.issuer = "https://i",
                                      .subject = "s",
                                      .client_id = "c",
                                      .scope = "openid",
                                      .jti = "j",
                                      .now = 10,
                                      .grant_id = "g"});
  EXPECT_EQ(a.at("aud"), "https://i");
  EXPECT_EQ(a.at("exp").as_int64(), 10 + kAccessTokenLifetime);
  EXPECT_EQ(a.at(kGrantClaim), "g");
  EXPECT_FALSE(a.contains("acr"));
  const auto l = logout_token_claims("https://i", "c", "s", "sid", "j", 10);
  EXPECT_TRUE(l.at("events").as_object().contains(kBackchannelLogoutEvent));
  EXPECT_FALSE(l.contains("nonce"));  // Back-Channel Logout §2.4 forbids it
}

TEST(TokensTest, CodeLifetimeIsBounded) {
  EXPECT_EQ(parse_code_lifetime("2"), 2);
  EXPECT_EQ(parse_code_lifetime("600"), 600);
  EXPECT_FALSE(parse_code_lifetime("0"));
  EXPECT_FALSE(parse_code_lifetime("601"));
  EXPECT_FALSE(parse_code_lifetime("5s"));
}

TEST(TokensTest, SessionIdHidesTheLoginId) {
  EXPECT_EQ(session_id_for("login").size(), 22u);
  EXPECT_EQ(session_id_for("login"), session_id_for("login"));
  EXPECT_NE(session_id_for("login"), session_id_for("login2"));
  EXPECT_EQ(session_id_for("login").find("login"), std::string::npos);
}

TEST(ClaimsTest, OnlyWhatTheScopesAllow) {
  Account a;
  a.subject = "sub";
  a.given_name = "Ana";
  a.family_name = "López";
  a.email = "ana@example.mx";
  a.email_verified_at = 5;
  a.phone = "+525512345678";
  a.curp = "LOAA900101MDFPNN09";
  a.address = R"({"locality":"Coyoacán"})";
  const auto only_openid = claims_for_scopes(a, {"openid"});
  EXPECT_EQ(only_openid.size(), 1u);
  const auto email = claims_for_scopes(a, {"openid", "email"});
  EXPECT_EQ(email.at("email"), "ana@example.mx");
  EXPECT_TRUE(email.at("email_verified").as_bool());
  EXPECT_FALSE(email.contains("name"));
  const auto all = claims_for_scopes(a, {"openid", "profile", "phone", "address", "curp"});
  EXPECT_EQ(all.at("name"), "Ana López");
  EXPECT_FALSE(all.at("phone_number_verified").as_bool());
  EXPECT_EQ(all.at("address").as_object().at("locality"), "Coyoacán");
  EXPECT_EQ(all.at("curp"), "LOAA900101MDFPNN09");
  EXPECT_FALSE(all.contains("email"));
}

TEST(DiscoveryTest, MetadataPerDiscoveryAndStandards) {
  const auto d = discovery_document("https://llave.example");
  EXPECT_EQ(d.at("issuer"), "https://llave.example");
  EXPECT_EQ(d.at("token_endpoint"), "https://llave.example/oidc/token");
  EXPECT_EQ(d.at("jwks_uri"), "https://llave.example/.well-known/jwks.json");
  EXPECT_EQ(boost::json::serialize(d.at("code_challenge_methods_supported")), R"(["S256"])");
  EXPECT_EQ(boost::json::serialize(d.at("id_token_signing_alg_values_supported")),
            R"(["RS256","ES256"])");
  EXPECT_EQ(boost::json::serialize(d.at("ui_locales_supported")), R"(["es-MX","en"])");
  EXPECT_FALSE(d.at("claims_parameter_supported").as_bool());
  EXPECT_TRUE(d.at("backchannel_logout_supported").as_bool());
  EXPECT_EQ(d.at("end_session_endpoint"), "https://llave.example/oidc/logout");
}

}  // namespace
}  // namespace zocalo::identity::oidc
