#include "identity/jose/key_set.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <stdexcept>

namespace zocalo::identity::jose {

std::optional<SigningKey> KeySet::current_signing_key(Algorithm alg, std::int64_t now) const {
  const KeyRecord* best = nullptr;
  for (const auto& r : records_) {
    if (r.key.algorithm() != alg || !r.signs_at(now)) continue;
    // `>=`: with equal activation times the later record (the newer rotation) wins.
    if (!best || r.activated_at >= best->activated_at) best = &r;
  }
  if (!best) return std::nullopt;
  return best->key;
}

boost::json::object KeySet::jwks(std::int64_t now) const {
  std::vector<const KeyRecord*> published;
  for (const auto& r : records_) {
    if (r.published_at(now)) published.push_back(&r);
  }
  std::stable_sort(published.begin(), published.end(),
                   [](const auto* a, const auto* b) { return a->activated_at > b->activated_at; });
  boost::json::array keys;
  for (const auto* r : published) keys.push_back(r->key.public_jwk());
  return {{"keys", std::move(keys)}};
}

std::optional<SigningKey> KeySet::verification_key(std::string_view kid, std::int64_t now) const {
  for (const auto& r : records_) {
    if (r.key.kid() == kid && r.published_at(now)) return r.key;
  }
  return std::nullopt;
}

KeyLookup KeySet::lookup_at(std::int64_t now) const {
  return [set = *this, now](std::string_view kid) { return set.verification_key(kid, now); };
}

KeySet KeySet::rotate(std::int64_t now, std::int64_t max_token_lifetime,
                      std::int64_t publish_ahead) const {
  if (max_token_lifetime < 0 || publish_ahead < 0) {
    throw std::invalid_argument("KeySet::rotate: durations must not be negative");
  }
  const std::int64_t switch_at = now + publish_ahead;
  std::vector<KeyRecord> next;
  for (const auto& r : records_) {
    if (r.expires_at && *r.expires_at <= now) continue;  // no token of it can still be valid
    KeyRecord kept = r;
    if (!kept.retired_at || *kept.retired_at > switch_at) {
      // Tokens it signs up to switch_at live at most max_token_lifetime longer.
      kept.retired_at = switch_at;
      kept.expires_at = switch_at + max_token_lifetime;
    } else if (!kept.expires_at) {
      kept.expires_at = *kept.retired_at + max_token_lifetime;  // a record saved half-retired
    }
    next.push_back(std::move(kept));
  }
  for (Algorithm alg : kAllAlgorithms) {
    next.push_back(
        KeyRecord{SigningKey::generate(alg), now, switch_at, std::nullopt, std::nullopt});
  }
  return KeySet(std::move(next));
}

}  // namespace zocalo::identity::jose
