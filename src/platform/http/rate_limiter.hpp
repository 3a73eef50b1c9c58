#pragma once
// Token buckets per client key (an IP address, or an IPv6 /64), in sharded maps that stay
// bounded: entries idle long enough to have refilled are evicted, and a full shard drops an
// entry rather than grow.
#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace zocalo::http {

struct RateLimitOptions {
  double requests_per_second = 10;   // sustained rate per client
  double burst = 40;                 // bucket size: requests a client may make at once
  std::size_t max_clients = 100000;  // across all shards
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  struct Decision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  // when refused: until one token is back (>= 1 s)
  };

  explicit RateLimiter(RateLimitOptions options);

  // Takes one token from `client`'s bucket.
  Decision acquire(std::string_view client, Clock::time_point now = Clock::now());
  std::size_t tracked_clients() const;

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point last;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::string, Bucket, StringHash, std::equal_to<>> buckets;
    Clock::time_point last_sweep;
  };
  static constexpr std::size_t kShards = 16;

  // Removes buckets that have been idle long enough to be full again: forgetting them changes
  // nothing a client could notice.
  void sweep(Shard& shard, Clock::time_point now);

  RateLimitOptions options_;
  std::size_t per_shard_;
  Clock::duration refill_time_;  // idle time after which a bucket is full
  std::array<Shard, kShards> shards_;
};

}  // namespace zocalo::http
