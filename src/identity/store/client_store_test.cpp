#include "identity/store/client_store.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/authorization_code_store.hpp"
#include "identity/store/client_directory.hpp"
#include "identity/store/consent_store.hpp"
#include "identity/store/refresh_token_store.hpp"
#include "identity/store/token_revocation_store.hpp"

namespace zocalo::identity {
namespace {

class OidcStoreTest : public zocalo::testing::DbTest {
 protected:
  oidc::NewClient web() {
    return {.client_id = "web",
            .name = "Predial en línea",
            .redirect_uris = {"https://predial.example/cb"},
            .scopes = {"openid", "email", "offline_access"}};
  }
  long long account() {
    NewAccount a;
    a.email = "ana@example.mx";
    a.given_name = "Ana";
    a.family_name = "López";
    auto created = AccountStore(db()).create(a, 1000);
    EXPECT_TRUE(created) << created.error().detail;
    return created ? created->id : 0;
  }
  NewGrant grant(long long account_id, std::string login = "login-1") {
    return {.client_id = "web",
            .account_id = account_id,
            .login_id = std::move(login),
            .redirect_uri = "https://predial.example/cb",
            .scope = "openid email offline_access",
            .nonce = "n",
            .code_challenge = std::nullopt,
            .auth_time = 990,
            .acr = "urn:zocalo:loa:1",
            .amr = "pwd"};
  }
  IssuedCode issue(const NewGrant& g, std::int64_t now, std::int64_t lifetime = 60) {
    std::optional<IssuedCode> out;
    EXPECT_TRUE(db().transaction([&](soci::session& sql) -> Status {
      auto issued = AuthorizationCodeStore::create(sql, g, now, lifetime);
      if (!issued) return fail(issued.error());
      out = *issued;
      return {};
    }));
    return *out;
  }
  Redemption redeem(const std::string& code, std::int64_t now) {
    std::optional<Redemption> out;
    EXPECT_TRUE(db().transaction([&](soci::session& sql) -> Status {
      auto r = AuthorizationCodeStore::redeem(sql, code, now);
      if (!r) return fail(r.error());
      out = *r;
      return {};
    }));
    return *out;
  }
  std::string refresh(const std::string& grant_id, std::int64_t now) {
    std::string token;
    EXPECT_TRUE(db().transaction([&](soci::session& sql) -> Status {
      auto t = RefreshTokenStore::issue(sql, grant_id, "openid email offline_access", now, 100);
      if (!t) return fail(t.error());
      token = *t;
      return {};
    }));
    return token;
  }
  RefreshOutcome use(const std::string& token, std::int64_t now) {
    RefreshOutcome out = RefreshOutcome::kUnknown;
    EXPECT_TRUE(db().transaction([&](soci::session& sql) -> Status {
      auto r = RefreshTokenStore::use(sql, token, now);
      if (!r) return fail(r.error());
      out = r->outcome;
      return {};
    }));
    return out;
  }
  std::optional<RefreshToken> live(const std::string& token, std::int64_t now) {
    std::optional<RefreshToken> out;
    EXPECT_TRUE(db().read([&](soci::session& sql) -> Status {
      auto r = RefreshTokenStore::find_live(sql, token, now);
      if (!r) return fail(r.error());
      out = *r;
      return {};
    }));
    return out;
  }
};

TEST_P(OidcStoreTest, ClientsAreStoredWithAHashedSecretAndAudited) {
  ClientStore store(db());
  auto added = store.add(web(), ClientActor{}, 1000);
  ASSERT_TRUE(added) << added.error().detail;
  ASSERT_TRUE(added->secret);
  EXPECT_EQ(added->secret->size(), 43u);
  auto found = store.find("web");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "Predial en línea");
  EXPECT_NE((*found)->secret_hash, *added->secret);  // never the plaintext
  EXPECT_TRUE(oidc::client_secret_matches(**found, *added->secret));
  EXPECT_EQ((*found)->redirect_uris, std::vector<std::string>{"https://predial.example/cb"});
  EXPECT_EQ((*found)->grant_types,
            (std::vector<std::string>{"authorization_code", "refresh_token"}));

  auto again = store.add(web(), ClientActor{}, 1001);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().user_key, "identity.client.exists");

  oidc::NewClient app{.name = "App",
                      .type = oidc::ClientType::kPublic,
                      .redirect_uris = {"http://localhost:3000/cb"}};
  auto public_client = store.add(app, ClientActor{}, 1002);
  ASSERT_TRUE(public_client);
  EXPECT_FALSE(public_client->secret);
  auto list = store.list();
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);

  ASSERT_TRUE(store.remove("web", ClientActor{}, 1003));
  EXPECT_FALSE(store.find("web")->has_value());
  EXPECT_EQ(store.remove("web", ClientActor{}, 1004).error().kind, ErrorKind::kNotFound);
  auto chain = AuditLog(db()).verify();
  ASSERT_TRUE(chain);
  EXPECT_TRUE(chain->ok);
  EXPECT_EQ(chain->rows_checked, 3);  // two added, one removed
}

TEST_P(OidcStoreTest, CodeIsSingleUseAndReuseRevokesItsTokens) {
  ASSERT_TRUE(ClientStore(db()).add(web(), ClientActor{}, 1000));
  const long long id = account();
  const auto issued = issue(grant(id), 1000);
  EXPECT_EQ(issued.code.size(), 43u);
  EXPECT_EQ(redeem("not-a-code", 1001).outcome, CodeOutcome::kUnknown);
  const auto first = redeem(issued.code, 1001);
  ASSERT_EQ(first.outcome, CodeOutcome::kRedeemed);
  EXPECT_EQ(first.grant->nonce, "n");
  EXPECT_EQ(first.grant->account_id, id);
  const std::string token = refresh(first.grant->id, 1001);
  EXPECT_TRUE(live(token, 1002));

  // RFC 6749 §4.1.2: the second use fails and revokes what the first one issued.
  EXPECT_EQ(redeem(issued.code, 1002).outcome, CodeOutcome::kReused);
  EXPECT_FALSE(live(token, 1003));
  auto g = AuthorizationCodeStore(db()).find(first.grant->id);
  ASSERT_TRUE(g && g->has_value());
  EXPECT_TRUE((*g)->revoked_at);
  EXPECT_EQ(redeem(issued.code, 1004).outcome, CodeOutcome::kRevoked);
}

TEST_P(OidcStoreTest, CodeExpires) {
  ASSERT_TRUE(ClientStore(db()).add(web(), ClientActor{}, 1000));
  const auto issued = issue(grant(account()), 1000, 60);
  EXPECT_EQ(redeem(issued.code, 1060).outcome, CodeOutcome::kExpired);
}

TEST_P(OidcStoreTest, RefreshTokensRotateAndReuseRevokesTheFamily) {
  ASSERT_TRUE(ClientStore(db()).add(web(), ClientActor{}, 1000));
  const long long id = account();
  const auto issued = issue(grant(id), 1000);
  ASSERT_EQ(redeem(issued.code, 1000).outcome, CodeOutcome::kRedeemed);
  const std::string r1 = refresh(issued.grant.id, 1000);
  EXPECT_EQ(use(r1, 1010), RefreshOutcome::kRotated);
  const std::string r2 = refresh(issued.grant.id, 1010);
  EXPECT_TRUE(live(r2, 1011));
  EXPECT_FALSE(live(r1, 1011));
  // The old one comes back: someone else holds it. Everything of the grant goes.
  EXPECT_EQ(use(r1, 1020), RefreshOutcome::kReused);
  EXPECT_FALSE(live(r2, 1021));
  EXPECT_EQ(use(r2, 1022), RefreshOutcome::kRevoked);
  const std::string other = refresh(issue(grant(id), 1000).grant.id, 1000);
  EXPECT_EQ(use(other, 1200), RefreshOutcome::kExpired);  // issued for 100 s
  EXPECT_EQ(use("unknown", 1000), RefreshOutcome::kUnknown);
}

TEST_P(OidcStoreTest, ConsentsAccumulateListAndRevokeWithTheirGrants) {
  ASSERT_TRUE(ClientStore(db()).add(web(), ClientActor{}, 1000));
  const long long id = account();
  ConsentStore consents(db());
  EXPECT_FALSE(consents.find(id, "web")->has_value());
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return ConsentStore::grant(sql, id, "web", {"openid", "email"}, 1000);
  }));
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return ConsentStore::grant(sql, id, "web", {"openid", "offline_access"}, 1100);
  }));
  EXPECT_EQ(**consents.find(id, "web"),
            (std::vector<std::string>{"openid", "email", "offline_access"}));
  auto list = consents.list_for_account(id);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().client_name, "Predial en línea");
  EXPECT_EQ(list->front().granted_at, 1100);

  const auto issued = issue(grant(id), 1000);
  ASSERT_EQ(redeem(issued.code, 1000).outcome, CodeOutcome::kRedeemed);
  const std::string token = refresh(issued.grant.id, 1000);
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    auto gone = ConsentStore::revoke(sql, id, "web");
    if (!gone || !*gone) return fail(Error::internal("consent not revoked"));
    auto revoked = AuthorizationCodeStore::revoke_for_client(sql, id, "web", 1200);
    if (!revoked || *revoked != 1) return fail(Error::internal("grant not revoked"));
    return {};
  }));
  EXPECT_FALSE(consents.find(id, "web")->has_value());
  EXPECT_FALSE(live(token, 1201));
}

TEST_P(OidcStoreTest, GrantsOfALoginForLogout) {
  ASSERT_TRUE(ClientStore(db()).add(web(), ClientActor{}, 1000));
  const long long id = account();
  issue(grant(id, "login-a"), 1000);
  issue(grant(id, "login-a"), 1001);
  issue(grant(id, "login-b"), 1002);
  ASSERT_TRUE(db().read([&](soci::session& sql) -> Status {
    auto a = AuthorizationCodeStore::for_login(sql, "login-a");
    if (!a) return fail(a.error());
    EXPECT_EQ(a->size(), 2u);
    return {};
  }));
}

TEST_P(OidcStoreTest, RevokedAccessTokensAreRememberedUntilTheyExpire) {
  TokenRevocationStore store(db());
  EXPECT_FALSE(*store.is_revoked("jti-1"));
  ASSERT_TRUE(db().transaction(
      [&](soci::session& sql) { return TokenRevocationStore::revoke(sql, "jti-1", 2000, 1000); }));
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {  // idempotent
    return TokenRevocationStore::revoke(sql, "jti-1", 2000, 1001);
  }));
  EXPECT_TRUE(*store.is_revoked("jti-1"));
  EXPECT_EQ(*store.purge_expired(1999), 0);
  EXPECT_EQ(*store.purge_expired(2001), 1);
  EXPECT_FALSE(*store.is_revoked("jti-1"));
}

TEST_P(OidcStoreTest, RemovingAClientRemovesItsGrantsAndConsents) {
  ClientStore clients(db());
  ASSERT_TRUE(clients.add(web(), ClientActor{}, 1000));
  const long long id = account();
  const auto issued = issue(grant(id), 1000);
  const std::string token = refresh(issued.grant.id, 1000);
  ASSERT_TRUE(db().transaction(
      [&](soci::session& sql) { return ConsentStore::grant(sql, id, "web", {"openid"}, 1000); }));
  ASSERT_TRUE(clients.remove("web", ClientActor{}, 1100));
  EXPECT_FALSE(live(token, 1101));
  EXPECT_FALSE(AuthorizationCodeStore(db()).find(issued.grant.id)->has_value());
  EXPECT_TRUE(ConsentStore(db()).list_for_account(id)->empty());
}

// The token holder query: one row only while the grant is live for that client and the jti is
// not revoked.
TEST_P(OidcStoreTest, TokenHolderIsFoundOnlyWhileTheTokenIsLive) {
  ASSERT_TRUE(ClientStore(db()).add(web(), ClientActor{}, 1000));
  const long long id = account();
  const auto issued = issue(grant(id), 1000);
  auto holder = [&](std::string_view grant_id, std::string_view client_id, std::string_view jti) {
    std::optional<Account> out;
    EXPECT_TRUE(db().read([&](soci::session& sql) -> Status {
      auto found = AccountStore::find_token_holder(sql, grant_id, client_id, jti);
      if (!found) return fail(found.error());
      out = *found;
      return {};
    }));
    return out;
  };
  const auto found = holder(issued.grant.id, "web", "jti-1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->email.value_or(""), "ana@example.mx");
  EXPECT_EQ(found->given_name, "Ana");
  EXPECT_FALSE(holder(issued.grant.id, "other-client", "jti-1")) << "the grant is web's";
  EXPECT_FALSE(holder("no-such-grant", "web", "jti-1"));
  ASSERT_TRUE(db().transaction(
      [&](soci::session& sql) { return TokenRevocationStore::revoke(sql, "jti-1", 2000, 1001); }));
  EXPECT_FALSE(holder(issued.grant.id, "web", "jti-1")) << "the jti is revoked";
  EXPECT_TRUE(holder(issued.grant.id, "web", "jti-2")) << "another token of the grant still is";
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return AuthorizationCodeStore::revoke(sql, issued.grant.id, 1002);
  }));
  EXPECT_FALSE(holder(issued.grant.id, "web", "jti-2")) << "the grant is revoked";
}

TEST_P(OidcStoreTest, ClientDirectoryServesItsCopyAndFallsBackForNewClients) {
  ClientStore clients(db());
  ASSERT_TRUE(clients.add(web(), ClientActor{}, 1000));
  ClientDirectory directory(db(), std::chrono::seconds(3600));
  std::shared_ptr<const ClientMap> hold;
  EXPECT_EQ(directory.find_cached("web", hold), nullptr) << "nothing loaded yet";
  auto found = directory.find("web");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->name, "Predial en línea");
  const oidc::Client* cached = directory.find_cached("web", hold);
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached->client_id, "web");

  // Registered after the copy was made (e.g. on another node): found in the database.
  auto app = web();
  app.client_id = "app";
  ASSERT_TRUE(clients.add(app, ClientActor{}, 1001));
  EXPECT_TRUE(directory.find("app")->has_value());
  EXPECT_EQ(directory.find_cached("app", hold), nullptr) << "not in the copy";
  EXPECT_FALSE(directory.find("nobody")->has_value());

  // Removed elsewhere: the copy keeps it until it is reloaded (IdentityOptions::client_refresh).
  ASSERT_TRUE(clients.remove("web", ClientActor{}, 1002));
  EXPECT_TRUE(directory.find("web")->has_value());
  ASSERT_TRUE(directory.refresh());
  EXPECT_FALSE(directory.find("web")->has_value());
  EXPECT_EQ(directory.find_cached("web", hold), nullptr);
  EXPECT_NE(directory.find_cached("app", hold), nullptr);
}

TEST_P(OidcStoreTest, ClientDirectoryWithoutAgeReloadsEveryTime) {
  ClientStore clients(db());
  ASSERT_TRUE(clients.add(web(), ClientActor{}, 1000));
  ClientDirectory directory(db(), std::chrono::seconds(0));
  EXPECT_TRUE(directory.find("web")->has_value());
  ASSERT_TRUE(clients.remove("web", ClientActor{}, 1001));
  EXPECT_FALSE(directory.find("web")->has_value());
  std::shared_ptr<const ClientMap> hold;
  EXPECT_EQ(directory.find_cached("web", hold), nullptr) << "a stale copy is never peeked";
}

ZOCALO_INSTANTIATE_DB_TEST(OidcStoreTest);

}  // namespace
}  // namespace zocalo::identity
