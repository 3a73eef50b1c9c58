#pragma once
// SQL for the Open311 API keys (migrations/*/0010_requests.sql, open311_api_keys).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::requests {

struct ApiKeyRecord {
  long long id = 0;
  std::string name;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> revoked_at;
};

struct IssuedApiKey {
  ApiKeyRecord record;
  std::string key;  // shown once; only its hash is stored
};

class ApiKeyStore {
 public:
  explicit ApiKeyStore(db::Database& db) : db_(db) {}

  // A new random key named `name` (check_api_key_name). Fails with
  // "requests.api_key.name_taken" (conflict) when the name is in use, revoked or not.
  Result<IssuedApiKey> add(const std::string& name, std::int64_t now);
  // Stores a key whose value the caller chose (the documented demo key). Idempotent: an
  // existing key of that name is left as it is.
  Status add_fixed(const std::string& name, const std::string& key, std::int64_t now);
  // Every key, oldest first.
  Result<std::vector<ApiKeyRecord>> list();
  // Revokes key `id`; not found → kNotFound, already revoked → ok (nothing changes).
  Status revoke(long long id, std::int64_t now);
  // The live (not revoked) key whose hash matches `key`; nullopt for an unknown or revoked
  // key or one that cannot be ours (too long, empty).
  Result<std::optional<ApiKeyRecord>> authenticate(const std::string& key);

 private:
  db::Database& db_;
};

}  // namespace zocalo::requests
