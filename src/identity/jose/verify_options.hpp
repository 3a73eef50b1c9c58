#pragma once
// What verify_jwt() checks beyond the signature. Defaults are the strict, common case; callers
// state what they expect (issuer, audience, typ) instead of verify_jwt() guessing.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "identity/jose/algorithm.hpp"

namespace zocalo::identity::jose {

struct VerifyOptions {
  // Seconds since the Unix epoch; nullopt reads the system clock. Tests pin it.
  std::optional<std::int64_t> now;
  // RFC 8725 §3.1: the verifier, not the token, decides which algorithms are acceptable.
  std::vector<Algorithm> algorithms = {Algorithm::kRs256, Algorithm::kEs256};
  // RFC 7519 §4.1.1: when set, "iss" must be present and equal (case-sensitive).
  std::optional<std::string> issuer;
  // RFC 7519 §4.1.3: when set, "aud" (a string or an array of strings) must contain it. When
  // unset, a token carrying "aud" is rejected: its audience cannot be us if we name none.
  std::optional<std::string> audience;
  // RFC 7515 §4.1.9 / RFC 9068 §4: when set, the header "typ" must equal it, compared without
  // case and with an optional "application/" prefix ("at+jwt" for access tokens).
  std::optional<std::string> typ;
  // RFC 7519 §4.1.4-5 allow "some small leeway ... to account for clock skew".
  std::int64_t leeway_seconds = 60;
  // Checked before any decoding, so a huge token costs nothing but its length.
  std::size_t max_token_bytes = 16 * 1024;
};

}  // namespace zocalo::identity::jose
