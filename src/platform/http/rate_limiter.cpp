#include "platform/http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace zocalo::http {
namespace {
// A shard sweeps at most this often when it is full; between sweeps it drops an arbitrary
// entry, so a flood of new addresses costs O(1) per request, not a scan each time.
constexpr auto kMinSweepInterval = std::chrono::seconds(1);
}  // namespace

RateLimiter::RateLimiter(RateLimitOptions options) : options_(options) {
  if (!(options_.requests_per_second > 0) || !(options_.burst >= 1)) {
    throw std::invalid_argument("rate limit needs requests_per_second > 0 and burst >= 1");
  }
  per_shard_ = std::max<std::size_t>(1, options_.max_clients / kShards);
  refill_time_ = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(options_.burst / options_.requests_per_second));
}

RateLimiter::Decision RateLimiter::acquire(std::string_view client, Clock::time_point now) {
  Shard& shard = shards_[std::hash<std::string_view>{}(client) % kShards];
  std::lock_guard lock(shard.mu);
  auto it = shard.buckets.find(client);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= per_shard_) {
      if (now - shard.last_sweep >= kMinSweepInterval) sweep(shard, now);
      if (shard.buckets.size() >= per_shard_) shard.buckets.erase(shard.buckets.begin());
    } else if (now - shard.last_sweep >= refill_time_ + std::chrono::seconds(60)) {
      sweep(shard, now);  // keep memory proportional to recent clients even when not full
    }
    it = shard.buckets.emplace(std::string(client), Bucket{options_.burst, now}).first;
  } else {
    const double elapsed = std::chrono::duration<double>(now - it->second.last).count();
    if (elapsed > 0) {
      it->second.tokens =
          std::min(options_.burst, it->second.tokens + elapsed * options_.requests_per_second);
      it->second.last = now;
    }
  }
  Bucket& b = it->second;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return {};
  }
  const double wait = (1 - b.tokens) / options_.requests_per_second;
  return {false,
          std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))))};
}

std::size_t RateLimiter::tracked_clients() const {
  std::size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.buckets.size();
  }
  return n;
}

void RateLimiter::sweep(Shard& shard, Clock::time_point now) {
  shard.last_sweep = now;
  std::erase_if(shard.buckets,
                [&](const auto& entry) { return now - entry.second.last >= refill_time_; });
}

}  // namespace zocalo::http
