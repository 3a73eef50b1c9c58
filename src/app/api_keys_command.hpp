#pragma once
// `zocalo apikeys add NAME | list | revoke ID`: the Open311 API keys the city issues to apps
// and channels (requests/store/api_key_store.hpp). Each returns the process exit code.
#include <string>

#include "app/config.hpp"

namespace zocalo::app {

// Prints the new key once (only its SHA-256 is stored) on stdout, then how to use it.
// Exit 2 for a malformed name, 1 when the name is taken or the database fails.
int api_keys_add(const Config& config, const std::string& name);
// One line per key: id, name, created (UTC), "revoked <when>" or "active". Never the key.
int api_keys_list(const Config& config);
// Revokes key `id` (its requests keep their channel). Exit 1 when there is no such key.
int api_keys_revoke(const Config& config, long long id);

}  // namespace zocalo::app
