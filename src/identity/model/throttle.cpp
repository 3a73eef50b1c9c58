#include "identity/model/throttle.hpp"

#include "platform/core/crypto.hpp"

namespace zocalo::identity {

std::int64_t backoff_seconds(const ThrottleRule& rule, int failures) {
  if (failures < rule.free_failures) return 0;
  const int exponent = failures - rule.free_failures;
  // 2^62 overflows nothing, but any exponent past the cap's bit length is the cap.
  if (exponent >= 62) return rule.max_wait;
  const std::int64_t wait = std::int64_t{1} << exponent;
  return wait < rule.max_wait ? wait : rule.max_wait;
}

std::string identifier_bucket(std::string_view normalised_identifier) {
  return crypto::sha256_hex(std::string("llave.identifier:") + std::string(normalised_identifier));
}

}  // namespace zocalo::identity
