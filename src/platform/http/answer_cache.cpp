#include "platform/http/answer_cache.hpp"

#include <utility>

#include "platform/http/gzip.hpp"

namespace zocalo::http {

struct AnswerCache::Pending {
  explicit Pending(std::int64_t v) : version(v) {}
  const std::int64_t version;
  bool done = false;
  Result<std::shared_ptr<const CachedAnswer>> result = fail(Error::internal("render unfinished"));
};

namespace {

std::size_t size_of(const std::string& key, const CachedAnswer& answer) {
  return key.size() + answer.body.size() + answer.gzip_body.size();
}

Result<std::shared_ptr<const CachedAnswer>> make_answer(std::int64_t version,
                                                        const AnswerCache::Render& render,
                                                        bool with_gzip) {
  Result<std::string> body = render();
  if (!body) return fail(body.error());
  auto answer = std::make_shared<CachedAnswer>();
  answer->version = version;
  answer->rendered_at = std::chrono::steady_clock::now();
  answer->body = std::move(*body);
  if (with_gzip) answer->gzip_body = gzip_compress(answer->body);
  return std::shared_ptr<const CachedAnswer>(std::move(answer));
}

}  // namespace

AnswerCache::AnswerCache(AnswerCacheOptions options) : options_(options) {}

Result<std::shared_ptr<const CachedAnswer>> AnswerCache::get(const std::string& key,
                                                             std::int64_t version,
                                                             const Render& render) {
  if (options_.max_bytes == 0) {
    {
      std::lock_guard lock(mutex_);
      ++stats_.renders;
    }
    return make_answer(version, render, false);
  }
  std::unique_lock lock(mutex_);
  Slot& slot = slots_[key];
  if (slot.answer && slot.answer->version >= version) {
    ++stats_.hits;
    lru_.splice(lru_.end(), lru_, slot.lru);
    std::shared_ptr<const CachedAnswer> kept = slot.answer;
    const bool fresh = std::chrono::steady_clock::now() - kept->rendered_at < options_.max_age;
    if (fresh || slot.refreshing || slot.pending) return kept;
    slot.refreshing = true;
    lock.unlock();
    // Rendered after `kept`, so its data is at least as new as kept's version.
    auto refreshed = render_and_keep(key, kept->version, render, nullptr);
    return refreshed ? refreshed : kept;
  }
  if (slot.pending && slot.pending->version >= version) {
    std::shared_ptr<Pending> pending = slot.pending;
    ++stats_.waits;
    rendered_.wait(lock, [&pending] { return pending->done; });
    return pending->result;
  }
  // A render for an older version may still run; its waiters keep their own Pending.
  auto pending = std::make_shared<Pending>(version);
  slot.pending = pending;
  lock.unlock();
  return render_and_keep(key, version, render, std::move(pending));
}

Result<std::shared_ptr<const CachedAnswer>> AnswerCache::render_and_keep(
    const std::string& key, std::int64_t version, const Render& render,
    std::shared_ptr<Pending> pending) {
  Result<std::shared_ptr<const CachedAnswer>> result = fail(Error::internal("render threw"));
  const auto finish = [&] {
    std::lock_guard lock(mutex_);
    ++stats_.renders;
    Slot& slot = slots_[key];
    if (result && (*result)->body.size() <= options_.max_answer_bytes) keep(key, *result);
    if (pending) {
      pending->result = result;
      pending->done = true;
      if (slot.pending == pending) slot.pending.reset();
    } else {
      slot.refreshing = false;
    }
    erase_if_unused(key);
    rendered_.notify_all();
  };
  try {
    result = make_answer(version, render, true);
  } catch (...) {
    finish();
    throw;
  }
  finish();
  return result;
}

void AnswerCache::keep(const std::string& key, std::shared_ptr<const CachedAnswer> answer) {
  Slot& slot = slots_[key];
  if (slot.answer) {
    // Versions only grow: an answer of an older version never replaces a newer one.
    if (answer->version < slot.answer->version) return;
    drop_answer(slot);
  }
  stats_.bytes += size_of(key, *answer);
  ++stats_.answers;
  slot.answer = std::move(answer);
  slot.lru = lru_.insert(lru_.end(), key);
  while ((stats_.bytes > options_.max_bytes || stats_.answers > options_.max_answers) &&
         !lru_.empty()) {
    const std::string oldest = lru_.front();
    drop_answer(slots_[oldest]);
    ++stats_.evictions;
    if (oldest != key) erase_if_unused(oldest);
  }
}

void AnswerCache::drop_answer(Slot& slot) {
  if (!slot.answer) return;
  stats_.bytes -= size_of(*slot.lru, *slot.answer);
  --stats_.answers;
  lru_.erase(slot.lru);
  slot.answer.reset();
}

void AnswerCache::erase_if_unused(const std::string& key) {
  auto it = slots_.find(key);
  if (it != slots_.end() && !it->second.answer && !it->second.pending && !it->second.refreshing) {
    slots_.erase(it);
  }
}

AnswerCache::Stats AnswerCache::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace zocalo::http
