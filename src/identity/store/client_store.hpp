#pragma once
// SQL for the OpenID Provider's clients (migrations/*/0009_oidc.sql). Registering and removing
// a client are audited (client.added, client.removed) in the same transaction.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/model/audit_event.hpp"
#include "identity/oidc/client.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

inline constexpr int kMaxListedClients = 500;

// Who registers or removes a client, for the audit log.
struct ClientActor {
  ActorKind kind = ActorKind::kSystem;  // kStaff from the admin page, kSystem from the CLI
  std::string id;                       // the staff account id as text; "" for the system
  std::optional<long long> account_id;
  std::optional<std::string> ip;
};

struct RegisteredClient {
  oidc::Client client;
  std::optional<std::string> secret;  // the plaintext, shown once; never stored
};

class ClientStore {
 public:
  explicit ClientStore(db::Database& db) : db_(db) {}

  // Validates (oidc::validate_new_client), stores the hash of a fresh (or the given) secret
  // and appends client.added. kConflict identity.client.exists when the id is taken.
  static Result<RegisteredClient> add(soci::session& sql, const oidc::NewClient& client,
                                      const ClientActor& actor, std::int64_t now);
  Result<RegisteredClient> add(const oidc::NewClient& client, const ClientActor& actor,
                               std::int64_t now);

  static Result<std::optional<oidc::Client>> find(soci::session& sql, std::string_view client_id);
  Result<std::optional<oidc::Client>> find(std::string_view client_id);
  // Every client, by name (at most `limit`).
  Result<std::vector<oidc::Client>> list(int limit = kMaxListedClients);

  // Deletes the client with its grants, refresh tokens and consents (ON DELETE CASCADE) and
  // appends client.removed; its access tokens stop being active because introspection and
  // userinfo look the client up. kNotFound for an unknown id.
  Status remove(std::string_view client_id, const ClientActor& actor, std::int64_t now);

 private:
  db::Database& db_;
};

}  // namespace zocalo::identity
