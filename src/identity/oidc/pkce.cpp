#include "identity/oidc/pkce.hpp"

#include "platform/core/crypto.hpp"

namespace zocalo::identity::oidc {
namespace {

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

bool valid_code_verifier(std::string_view verifier) {
  if (verifier.size() < 43 || verifier.size() > 128) return false;
  for (const char c : verifier)
    if (!unreserved(c)) return false;
  return true;
}

bool valid_code_challenge(std::string_view challenge) {
  if (challenge.size() != 43) return false;
  const auto bytes = crypto::base64url_decode(challenge);
  return bytes && bytes->size() == 32;
}

std::string s256_challenge(std::string_view verifier) {
  return crypto::base64url_encode(crypto::sha256(verifier));
}

bool pkce_matches(std::string_view verifier, std::string_view challenge) {
  if (!valid_code_verifier(verifier) || !valid_code_challenge(challenge)) return false;
  return crypto::constant_time_equal(s256_challenge(verifier), challenge);
}

}  // namespace zocalo::identity::oidc
