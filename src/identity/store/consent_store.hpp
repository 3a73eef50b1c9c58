#pragma once
// SQL for residents' consents (migrations/*/0009_oidc.sql): which scopes a resident let each
// client know. The consent page is skipped while a consent covers the request; Mi Llave lists
// and revokes them.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

struct Consent {
  std::string client_id;
  std::string client_name;
  std::vector<std::string> scopes;
  std::int64_t granted_at = 0;
};

class ConsentStore {
 public:
  explicit ConsentStore(db::Database& db) : db_(db) {}

  // Records that the resident allowed `scopes` (added to what they allowed before).
  static Status grant(soci::session& sql, long long account_id, std::string_view client_id,
                      const std::vector<std::string>& scopes, std::int64_t now);
  // The scopes the resident allowed this client, or nullopt when they never did.
  Result<std::optional<std::vector<std::string>>> find(long long account_id,
                                                       std::string_view client_id);
  // Every consent of the account, most recent first (at most 200).
  Result<std::vector<Consent>> list_for_account(long long account_id);
  // Deletes the consent; false when there was none.
  static Result<bool> revoke(soci::session& sql, long long account_id, std::string_view client_id);

 private:
  db::Database& db_;
};

}  // namespace zocalo::identity
