#pragma once
// The provider's signing keys over time: a pure value, with no clock and no storage (a store
// will load and save the KeyRecords). Every question takes `now`, so rotation timelines are
// tested by passing times, not by waiting.
//
// Rotation (OpenID Connect Core §10.1.1): a new key per algorithm is published, the old ones stop
// signing and stay in the JWKS until every token they signed has expired, then drop out.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "identity/jose/jwt.hpp"
#include "identity/jose/key_record.hpp"

namespace zocalo::identity::jose {

class KeySet {
 public:
  KeySet() = default;
  explicit KeySet(std::vector<KeyRecord> records) : records_(std::move(records)) {}

  const std::vector<KeyRecord>& records() const { return records_; }

  // The key that signs new tokens of `alg` at `now`: of those that sign at `now`, the most
  // recently activated. nullopt before the first rotation.
  std::optional<SigningKey> current_signing_key(Algorithm alg, std::int64_t now) const;

  // RFC 7517 §5 JWK Set {"keys":[...]} of every key published at `now` (current, pre-published
  // and retired-but-unexpired), most recently activated first.
  boost::json::object jwks(std::int64_t now) const;

  // The published key with this kid at `now`, for verify_jwt(). An expired key is not found,
  // so its tokens stop verifying the moment it leaves the JWKS.
  std::optional<SigningKey> verification_key(std::string_view kid, std::int64_t now) const;
  // verification_key() bound to `now`, holding its own copy of the records.
  KeyLookup lookup_at(std::int64_t now) const;

  // The next key set: expired keys dropped, every key still signing retired at
  // `now + publish_ahead` and set to expire `max_token_lifetime` later, and one new key per
  // algorithm created now that starts signing at `now + publish_ahead`.
  //
  // `max_token_lifetime` must cover the longest-lived token any key signs plus the leeway that
  // verifiers allow for clock skew (VerifyOptions::leeway_seconds), or the last tokens of a
  // retired key would be rejected while still valid. `publish_ahead` should exceed how long
  // relying parties cache the JWKS. Throws std::invalid_argument for negative durations and
  // std::runtime_error if key generation fails.
  KeySet rotate(std::int64_t now, std::int64_t max_token_lifetime,
                std::int64_t publish_ahead = 0) const;

 private:
  std::vector<KeyRecord> records_;
};

}  // namespace zocalo::identity::jose
