#pragma once
// A bounded cache of rendered answers, each valid for one version of the data it was rendered
// from (ADR 0008). The caller reads the data's current version first (a cheap query), then
// asks for the answer at that version:
//   - an answer rendered at that version or a later one is served as it is;
//   - otherwise one caller renders it and the others asking for the same key wait for that
//     render instead of repeating it (no stampede when the data changes);
//   - an answer older than max_age is re-rendered by one caller while the others are still
//     served the previous one (the data has not changed; only time-relative parts, such as a
//     default "last 90 days" window, may have moved by at most max_age).
// Both codings are kept: the identity bytes and their gzip, so a hit costs no compression.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "platform/core/result.hpp"

namespace zocalo::http {

struct CachedAnswer {
  std::int64_t version = 0;
  std::chrono::steady_clock::time_point rendered_at;
  std::string body;
  std::string gzip_body;  // `body` gzip-compressed (RFC 9110 §8.4.1.3); empty when not cached
};

struct AnswerCacheOptions {
  // All kept answers together, both codings; 0 turns the cache off (every call renders).
  std::size_t max_bytes = std::size_t{64} << 20;
  std::size_t max_answer_bytes = std::size_t{8} << 20;  // a larger answer is never kept
  std::size_t max_answers = 4096;
  std::chrono::milliseconds max_age{60000};
};

class AnswerCache {
 public:
  using Render = std::function<Result<std::string>()>;

  struct Stats {
    std::uint64_t hits = 0;     // served a kept answer (including a stale one being refreshed)
    std::uint64_t renders = 0;  // calls of a render function
    std::uint64_t waits = 0;    // callers that waited for another caller's render
    std::uint64_t evictions = 0;
    std::size_t bytes = 0;
    std::size_t answers = 0;
  };

  explicit AnswerCache(AnswerCacheOptions options);
  AnswerCache(const AnswerCache&) = delete;
  AnswerCache& operator=(const AnswerCache&) = delete;

  // The answer for `key` at data `version` or later, rendering it with `render` when needed. A
  // render's error is returned to its caller and to those waiting for it, and nothing is kept.
  Result<std::shared_ptr<const CachedAnswer>> get(const std::string& key, std::int64_t version,
                                                  const Render& render);

  Stats stats() const;

 private:
  struct Pending;
  struct Slot {
    std::shared_ptr<const CachedAnswer> answer;
    std::list<std::string>::iterator lru;  // valid while `answer` is set
    std::shared_ptr<Pending> pending;      // a render in progress for a newer version
    bool refreshing = false;               // a render in progress for an answer past max_age
  };

  Result<std::shared_ptr<const CachedAnswer>> render_and_keep(const std::string& key,
                                                              std::int64_t version,
                                                              const Render& render,
                                                              std::shared_ptr<Pending> pending);
  void keep(const std::string& key, std::shared_ptr<const CachedAnswer> answer);
  void drop_answer(Slot& slot);
  void erase_if_unused(const std::string& key);

  const AnswerCacheOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable rendered_;
  std::unordered_map<std::string, Slot> slots_;
  std::list<std::string> lru_;  // keys of slots holding an answer, least recently used first
  Stats stats_;
};

}  // namespace zocalo::http
