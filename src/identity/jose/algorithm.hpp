#pragma once
// The JWS "alg" values the OpenID Provider signs and verifies with (RFC 7518 §3.1).
// OpenID Connect Core §15.1 makes RS256 mandatory to implement; ES256 gives shorter tokens.
// Nothing else is listed on purpose: no "none" (RFC 7518 §3.6) and no HS* (a shared secret is
// the wrong tool for tokens that many parties verify, and RFC 8725 §3.1 warns of HS256 tokens
// "verified" with an RSA public key used as the HMAC secret).
#include <array>
#include <optional>
#include <string_view>

namespace zocalo::identity::jose {

enum class Algorithm {
  kRs256,  // RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3), RSA keys of 2048 bits or more
  kEs256,  // ECDSA on P-256 with SHA-256 (RFC 7518 §3.4)
};

inline constexpr std::array<Algorithm, 2> kAllAlgorithms = {Algorithm::kRs256, Algorithm::kEs256};

// The registered name, e.g. "RS256".
std::string_view algorithm_name(Algorithm alg);
// Exact, case-sensitive match (RFC 7515 §4.1.1: "alg" is a case-sensitive string); nullopt for
// every name this provider does not support, "none" and "HS256" included.
std::optional<Algorithm> parse_algorithm(std::string_view name);

}  // namespace zocalo::identity::jose
