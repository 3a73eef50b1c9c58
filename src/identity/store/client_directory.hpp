#pragma once
// Every registered client in memory, so that issuing a client_credentials token and checking an
// access token read no database: the token endpoint is the one a city's back ends call most.
// A copy of at most kMaxDirectoryClients clients, reloaded every `max_age`
// (platform/core/refreshing_snapshot.hpp); a client missing from the copy is looked up in the
// database, so a client registered a moment ago on another node works at once. A removed one
// disappears from this node's copy at once when removed here (refresh()), within `max_age`
// when removed elsewhere.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "identity/oidc/client.hpp"
#include "platform/core/refreshing_snapshot.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

inline constexpr int kMaxDirectoryClients = 10'000;

using ClientMap = std::map<std::string, oidc::Client, std::less<>>;

class ClientDirectory {
 public:
  // `db` must outlive the directory.
  ClientDirectory(db::Database& db, std::chrono::seconds max_age);

  // The client from the copy, or from the database when the copy lacks it (or none could be
  // loaded). nullopt: no such client.
  Result<std::optional<oidc::Client>> find(std::string_view client_id);

  // Without touching the database: the client when a fresh copy has it; nullptr when the copy
  // is stale or lacks it (then ask find() from a thread that may block).
  const oidc::Client* find_cached(std::string_view client_id,
                                  std::shared_ptr<const ClientMap>& hold) const;

  // Reloads now: after this node registered or removed a client.
  Status refresh() { return snapshot_.refresh(); }

 private:
  db::Database& db_;
  RefreshingSnapshot<ClientMap> snapshot_;
};

}  // namespace zocalo::identity
