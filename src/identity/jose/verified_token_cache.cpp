#include "identity/jose/verified_token_cache.hpp"

#include "platform/core/crypto.hpp"

namespace zocalo::identity::jose {

VerifiedTokenCache::VerifiedTokenCache(std::size_t capacity) : capacity_(capacity) {}

std::optional<boost::json::object> VerifiedTokenCache::find(std::string_view token,
                                                            std::int64_t now) const {
  const std::string key = crypto::sha256(token);
  std::lock_guard lock(mu_);
  const auto it = entries_.find(key);
  if (it == entries_.end() || it->second.exp <= now) return std::nullopt;
  return it->second.claims;
}

void VerifiedTokenCache::remember(std::string_view token, const boost::json::object& claims,
                                  std::int64_t exp, std::int64_t now) {
  if (capacity_ == 0 || exp <= now) return;
  std::string key = crypto::sha256(token);
  std::lock_guard lock(mu_);
  if (entries_.size() >= capacity_ && !entries_.contains(key)) {
    std::erase_if(entries_, [now](const auto& e) { return e.second.exp <= now; });
    // Still crowded with live tokens: forget arbitrary ones (each is verified again on its next
    // use, nothing worse).
    while (entries_.size() > capacity_ / 2) entries_.erase(entries_.begin());
  }
  entries_.insert_or_assign(std::move(key), Entry{claims, exp});
}

std::size_t VerifiedTokenCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace zocalo::identity::jose
