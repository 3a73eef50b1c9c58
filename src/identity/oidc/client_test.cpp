#include "identity/oidc/client.hpp"

#include <gtest/gtest.h>

#include "identity/oidc/client_auth.hpp"
#include "identity/oidc/scope.hpp"

namespace zocalo::identity::oidc {
namespace {

TEST(ClientTest, RedirectUrisMustBeHttpsOrLoopbackWithoutFragment) {
  EXPECT_TRUE(valid_redirect_uri("https://tramites.cdmx.gob.mx/callback"));
  EXPECT_TRUE(valid_redirect_uri("http://localhost:3000/callback"));
  EXPECT_TRUE(valid_redirect_uri("http://127.0.0.1/cb"));
  EXPECT_TRUE(valid_redirect_uri("http://[::1]:8080/cb"));
  EXPECT_FALSE(valid_redirect_uri("http://tramites.cdmx.gob.mx/callback"));
  EXPECT_FALSE(valid_redirect_uri("http://localhost.evil.example/cb"));
  EXPECT_FALSE(valid_redirect_uri("https://rp.example/cb#frag"));
  EXPECT_FALSE(valid_redirect_uri("https://rp.example/c b"));
  EXPECT_FALSE(valid_redirect_uri("javascript:alert(1)"));
  EXPECT_FALSE(valid_redirect_uri("https:///path"));
  EXPECT_FALSE(valid_redirect_uri(""));
}

TEST(ClientTest, RegistrationRules) {
  NewClient c{.name = "Predial", .redirect_uris = {"https://predial.example/cb"}};
  auto ok = validate_new_client(c);
  ASSERT_TRUE(ok) << ok.error().detail;
  EXPECT_EQ(ok->grant_types, (std::vector<std::string>{"authorization_code", "refresh_token"}));
  EXPECT_TRUE(has_scope(ok->scopes, "openid"));

  NewClient no_redirect{.name = "X"};
  EXPECT_FALSE(validate_new_client(no_redirect));
  NewClient backend{.name = "B", .grant_types = {"client_credentials"}};
  EXPECT_TRUE(validate_new_client(backend));
  NewClient public_backend{
      .name = "B", .type = ClientType::kPublic, .grant_types = {"client_credentials"}};
  EXPECT_FALSE(validate_new_client(public_backend));
  NewClient bad_grant{.name = "B", .grant_types = {"password"}};
  EXPECT_FALSE(validate_new_client(bad_grant));
  NewClient blank{.name = "   ", .grant_types = {"client_credentials"}};
  EXPECT_FALSE(validate_new_client(blank));
  NewClient bad_id{.client_id = "a b", .name = "B", .grant_types = {"client_credentials"}};
  EXPECT_FALSE(validate_new_client(bad_id));
}

TEST(ClientTest, SecretsCompareByHash) {
  Client c;
  c.type = ClientType::kConfidential;
  c.secret_hash = hash_client_secret("s3cret-s3cret-s3cret");
  EXPECT_TRUE(client_secret_matches(c, "s3cret-s3cret-s3cret"));
  EXPECT_FALSE(client_secret_matches(c, "s3cret-s3cret-s3creT"));
  c.type = ClientType::kPublic;
  EXPECT_FALSE(client_secret_matches(c, "s3cret-s3cret-s3cret"));
  EXPECT_EQ(new_client_secret().size(), 43u);
  EXPECT_NE(new_client_id(), new_client_id());
  // A client_id is pasted into `zocalo clients remove ID`: it must never look like an option.
  for (int i = 0; i < 200; ++i) {
    const std::string id = new_client_id();
    ASSERT_EQ(id.size(), 32u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  }
}

TEST(ClientAuthTest, BasicPostAndNone) {
  http::FormData empty;
  // "web:s%3Acret" -> secret "s:cret" (RFC 6749 §2.3.1 form-encodes before base64).
  auto basic = read_client_credentials("Basic d2ViOnMlM0FjcmV0", empty);
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->client_id, "web");
  EXPECT_EQ(basic->secret, "s:cret");
  EXPECT_EQ(basic->method, ClientAuthMethod::kBasic);

  http::FormData post;
  post.add("client_id", "web");
  post.add("client_secret", "x");
  auto by_post = read_client_credentials(std::nullopt, post);
  ASSERT_TRUE(by_post);
  EXPECT_EQ(by_post->method, ClientAuthMethod::kPost);
  // Two methods at once is refused.
  EXPECT_FALSE(read_client_credentials("Basic d2ViOnMlM0FjcmV0", post));

  http::FormData none;
  none.add("client_id", "app");
  auto public_auth = read_client_credentials(std::nullopt, none);
  ASSERT_TRUE(public_auth);
  EXPECT_FALSE(public_auth->secret);
  EXPECT_FALSE(read_client_credentials(std::nullopt, empty));
  EXPECT_FALSE(read_client_credentials("Basic !!!!", empty));
  EXPECT_FALSE(read_client_credentials("Basic d2Vi", empty));  // "web", no colon

  Client app;
  app.type = ClientType::kPublic;
  EXPECT_TRUE(authenticates(app, *public_auth));
  EXPECT_FALSE(authenticates(app, *by_post));
  Client web;
  web.secret_hash = hash_client_secret("x");
  EXPECT_TRUE(authenticates(web, *by_post));
  EXPECT_FALSE(authenticates(web, *public_auth));
}

TEST(ClientAuthTest, Base64) {
  EXPECT_EQ(base64_decode("Zm9vYmFy"), "foobar");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_FALSE(base64_decode("Zm9vYg="));
  EXPECT_FALSE(base64_decode("Zm=vYmFy"));
}

TEST(ScopeTest, ParseJoinAndSets) {
  EXPECT_EQ(parse_scopes("openid  email openid"), (std::vector<std::string>{"openid", "email"}));
  EXPECT_FALSE(parse_scopes("openid \\x"));
  EXPECT_FALSE(parse_scopes(std::string(1001, 'a')));
  EXPECT_EQ(parse_scopes(""), std::vector<std::string>{});
  EXPECT_TRUE(is_subset({"openid"}, {"openid", "email"}));
  EXPECT_FALSE(is_subset({"openid", "phone"}, {"openid", "email"}));
  EXPECT_EQ(join_scopes({"a", "b"}), "a b");
}

}  // namespace
}  // namespace zocalo::identity::oidc
