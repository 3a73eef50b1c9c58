#pragma once
// Proof Key for Code Exchange (RFC 7636), S256 only: "plain" proves nothing to a provider that
// an attacker who saw the authorization request cannot also prove (RFC 7636 §7.2).
#include <string>
#include <string_view>

namespace zocalo::identity::oidc {

// RFC 7636 §4.1: 43..128 characters of [A-Za-z0-9-._~].
bool valid_code_verifier(std::string_view verifier);
// An S256 challenge: BASE64URL(SHA-256(verifier)), exactly 43 characters of base64url.
bool valid_code_challenge(std::string_view challenge);
// RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))).
std::string s256_challenge(std::string_view verifier);
// §4.6: whether `verifier` is well formed and hashes to `challenge` (constant-time compare).
bool pkce_matches(std::string_view verifier, std::string_view challenge);

}  // namespace zocalo::identity::oidc
