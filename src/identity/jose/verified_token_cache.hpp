#pragma once
// The claims of tokens whose signature and claims verify_jwt() already accepted, so that a
// token presented again skips the signature check. A resource server calls userinfo or
// introspection with the same access token for the token's whole life (10 minutes), and the
// ES256 verification is most of such a call's CPU (~60 µs of ~100 µs on this project's 2-core
// machine). Envoy's JWT filter keeps the same kind of cache.
//
// Only a token that passed every check is remembered, keyed by the SHA-256 of the whole token
// (header, claims and signature), so a hit is that very token. A hit rechecks expiry, the one
// check whose answer changes with time (nbf and iat only become easier to pass); everything
// that can end a token early — revocation, its grant, its client, its resident — is not cached
// and stays the caller's to check on every call. Bounded: at most `capacity` entries; a full
// cache drops its expired entries and, if still over half full, arbitrary ones down to half, so
// the sweep costs O(1) per insert on average even under a flood of distinct tokens.
#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace zocalo::identity::jose {

class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(std::size_t capacity);

  // The remembered claims of `token` when it is still unexpired at `now` (exp > now).
  std::optional<boost::json::object> find(std::string_view token, std::int64_t now) const;

  // Remembers the claims of a token verify_jwt() accepted at `now`; `exp` is its expiry.
  void remember(std::string_view token, const boost::json::object& claims, std::int64_t exp,
                std::int64_t now);

  std::size_t size() const;

 private:
  struct Entry {
    boost::json::object claims;
    std::int64_t exp = 0;
  };

  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // key: raw SHA-256 of the token
};

}  // namespace zocalo::identity::jose
