#include "app/api_keys_command.hpp"

#include <iostream>

#include "app/runtime.hpp"
#include "platform/core/time.hpp"
#include "requests/model/api_key.hpp"
#include "requests/store/api_key_store.hpp"

namespace zocalo::app {

int api_keys_add(const Config& config, const std::string& name) {
  if (Status s = requests::check_api_key_name(name); !s) {
    std::cerr << "zocalo apikeys add: " << s.error().detail << "\n";
    return 2;
  }
  auto db = open_and_migrate(config);
  if (!db) return 1;
  auto issued = requests::ApiKeyStore(*db).add(name, time::now_unix());
  if (!issued) {
    std::cerr << "zocalo apikeys add: nothing changed: " << issued.error().detail << "\n";
    return 1;
  }
  // The key goes to stdout alone on its line so that scripts can capture it; it is never
  // shown again.
  std::cout << issued->key << std::endl;
  std::cerr << "API key " << issued->record.id << " '" << name
            << "' created. Store it now: it cannot be shown again. Apps send it as api_key "
               "when they POST to /open311/v2/requests.{json,xml}.\n";
  return 0;
}

int api_keys_list(const Config& config) {
  auto db = open_and_migrate(config);
  if (!db) return 1;
  auto keys = requests::ApiKeyStore(*db).list();
  if (!keys) {
    std::cerr << "zocalo apikeys list: " << keys.error().detail << "\n";
    return 1;
  }
  for (const requests::ApiKeyRecord& k : *keys) {
    std::cout << k.id << "\t" << k.name << "\t" << time::to_iso8601(k.created_at) << "\t"
              << (k.revoked_at ? "revoked " + time::to_iso8601(*k.revoked_at) : "active") << "\n";
  }
  std::cout.flush();
  return 0;
}

int api_keys_revoke(const Config& config, long long id) {
  auto db = open_and_migrate(config);
  if (!db) return 1;
  if (Status s = requests::ApiKeyStore(*db).revoke(id, time::now_unix()); !s) {
    std::cerr << "zocalo apikeys revoke: " << s.error().detail << "\n";
    return 1;
  }
  std::cout << "API key " << id << " revoked." << std::endl;
  return 0;
}

}  // namespace zocalo::app
