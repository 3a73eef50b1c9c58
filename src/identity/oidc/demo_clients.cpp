#include "identity/oidc/demo_clients.hpp"

#include "identity/store/client_store.hpp"

namespace zocalo::identity::oidc {

Status seed_demo_clients(db::Database& db, std::int64_t now) {
  const std::vector<std::string> all_scopes = {"openid",  "profile", "email",         "phone",
                                               "address", "curp",    "offline_access"};
  std::vector<NewClient> clients;
  clients.push_back(
      {.client_id = "demo-web",
       .name = "Demo web (confidential)",
       .type = ClientType::kConfidential,
       .redirect_uris = {"http://localhost:3000/callback", "http://127.0.0.1:3000/callback"},
       .post_logout_redirect_uris = {"http://localhost:3000/", "http://127.0.0.1:3000/"},
       .scopes = all_scopes,
       .grant_types = {"authorization_code", "refresh_token"},
       .secret = "demo-web-secret-2026"});
  clients.push_back(
      {.client_id = "demo-app",
       .name = "Demo app (public, PKCE)",
       .type = ClientType::kPublic,
       .redirect_uris = {"http://localhost:3000/app/callback",
                         "http://127.0.0.1:3000/app/callback"},
       .post_logout_redirect_uris = {"http://localhost:3000/app/", "http://127.0.0.1:3000/app/"},
       .scopes = all_scopes,
       .grant_types = {"authorization_code", "refresh_token"}});
  clients.push_back({.client_id = "demo-backend",
                     .name = "Demo back end (client credentials)",
                     .type = ClientType::kConfidential,
                     .scopes = {"requests.read", "requests.write"},
                     .grant_types = {"client_credentials"},
                     .secret = "demo-backend-secret-2026"});
  return db.transaction([&](soci::session& sql) -> Status {
    for (const auto& c : clients) {
      auto found = ClientStore::find(sql, *c.client_id);
      if (!found) return fail(found.error());
      if (found->has_value()) continue;
      auto added = ClientStore::add(sql, c, ClientActor{}, now);
      if (!added) return fail(added.error());
    }
    return {};
  });
}

}  // namespace zocalo::identity::oidc
