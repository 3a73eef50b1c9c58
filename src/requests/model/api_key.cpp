#include "requests/model/api_key.hpp"

#include "platform/core/crypto.hpp"

namespace zocalo::requests {

std::string generate_api_key() {
  return std::string(kApiKeyPrefix) + crypto::random_token(24);
}

std::string api_key_hash(std::string_view key) {
  return crypto::sha256_hex(key);
}

Status check_api_key_name(std::string_view name) {
  const auto bad = [] {
    return fail(Error::invalid("requests.api_key.name_invalid",
                               "a key name is 1 to 64 of a-z 0-9 _ . - starting with a-z or 0-9"));
  };
  if (name.empty() || name.size() > kApiKeyNameMaxBytes) return bad();
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && (i == 0 || (c != '_' && c != '.' && c != '-'))) return bad();
  }
  return {};
}

}  // namespace zocalo::requests
