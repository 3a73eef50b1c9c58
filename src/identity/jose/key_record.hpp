#pragma once
// One key in the provider's rotation, with the moments that decide what it may do. Times are
// seconds since the Unix epoch, as every timestamp is stored.
//
//   created_at    it appears in the JWKS (published before it signs, so relying parties that
//                 cache the JWKS already know it when the first token arrives)
//   activated_at  it may sign
//   retired_at    it stops signing, but stays published for the tokens it signed
//   expires_at    it leaves the JWKS: retired_at + the longest token lifetime, when the last
//                 token it could have signed has expired
#include <cstdint>
#include <optional>

#include "identity/jose/signing_key.hpp"

namespace zocalo::identity::jose {

struct KeyRecord {
  SigningKey key;
  std::int64_t created_at = 0;
  std::int64_t activated_at = 0;
  std::optional<std::int64_t> retired_at;
  std::optional<std::int64_t> expires_at;

  // Signs at `now`: activated, not yet retired.
  bool signs_at(std::int64_t now) const {
    return activated_at <= now && (!retired_at || now < *retired_at);
  }
  // Listed in the JWKS (and accepted for verification) at `now`: created, not yet expired.
  bool published_at(std::int64_t now) const {
    return created_at <= now && (!expires_at || now < *expires_at);
  }
};

}  // namespace zocalo::identity::jose
