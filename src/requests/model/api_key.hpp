#pragma once
// Open311 GeoReport v2 api_key: issued by the city to each app or channel that may POST
// requests and updates. The key is shown once when it is made; the database keeps only its
// SHA-256, so a leaked database does not leak working keys (the key has 192 random bits, so a
// fast unsalted hash is enough: there is nothing to guess).
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::requests {

inline constexpr std::string_view kApiKeyPrefix = "z311_";
inline constexpr std::size_t kApiKeyMaxBytes = 200;  // longer input is not a key of ours
inline constexpr std::size_t kApiKeyNameMaxBytes = 64;

// A new key: "z311_" and 32 base64url characters (24 bytes) from the OS CSPRNG.
std::string generate_api_key();
// What the database keeps: lower-case hex SHA-256 of the key as sent.
std::string api_key_hash(std::string_view key);
// Key names become the request's channel ("api:<name>"): 1..64 of [a-z0-9_.-], lower case,
// starting with a letter or digit. Fails with "requests.api_key.name_invalid".
Status check_api_key_name(std::string_view name);

}  // namespace zocalo::requests
