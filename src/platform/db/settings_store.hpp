#pragma once
// Node-wide settings in the `settings` table (key -> text), and the shared secrets every node of
// a cluster must agree on (the session/CSRF key): the first node to start creates them.
#include <cstddef>
#include <optional>
#include <string>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::db {

class SettingsStore {
 public:
  explicit SettingsStore(Database& db) : db_(db) {}

  // The value under `key`, or nullopt when unset.
  Result<std::optional<std::string>> get(const std::string& key);
  // Inserts or replaces.
  Status set(const std::string& key, const std::string& value);
  // The secret named `name` (stored under "secret.<name>"), `bytes` raw random bytes. Created on
  // first use; when several nodes race, the first insert wins and all return its value.
  // A stored secret of another length is a misconfiguration: kInternal.
  Result<std::string> get_or_create_secret(const std::string& name, std::size_t bytes);

 private:
  Database& db_;
};

}  // namespace zocalo::db
