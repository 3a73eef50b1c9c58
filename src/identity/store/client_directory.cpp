#include "identity/store/client_directory.hpp"

#include <utility>

#include "identity/store/client_store.hpp"

namespace zocalo::identity {

ClientDirectory::ClientDirectory(db::Database& db, std::chrono::seconds max_age)
    : db_(db),
      snapshot_(
          [&db]() -> Result<ClientMap> {
            auto clients = ClientStore(db).list(kMaxDirectoryClients);
            if (!clients) return fail(clients.error());
            ClientMap map;
            for (auto& c : *clients) {
              std::string id = c.client_id;
              map.emplace(std::move(id), std::move(c));
            }
            return map;
          },
          max_age, "identity.clients.reload_failed") {}

Result<std::optional<oidc::Client>> ClientDirectory::find(std::string_view client_id) {
  if (auto copy = snapshot_.get()) {
    const auto it = (*copy)->find(client_id);
    if (it != (*copy)->end()) return std::optional<oidc::Client>(it->second);
  }
  return ClientStore(db_).find(client_id);
}

const oidc::Client* ClientDirectory::find_cached(std::string_view client_id,
                                                 std::shared_ptr<const ClientMap>& hold) const {
  hold = snapshot_.peek();
  if (!hold) return nullptr;
  const auto it = hold->find(client_id);
  return it == hold->end() ? nullptr : &it->second;
}

}  // namespace zocalo::identity
