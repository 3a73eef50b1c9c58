#include "platform/http/answer_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "platform/http/gzip.hpp"

namespace zocalo::http {
namespace {

using namespace std::chrono_literals;

// A render function that counts its calls and answers "<name>#<call>".
struct CountingRender {
  std::string name;
  std::atomic<int> calls{0};
  AnswerCache::Render fn() {
    return [this]() -> Result<std::string> { return name + "#" + std::to_string(++calls); };
  }
};

TEST(AnswerCacheTest, ServesTheKeptAnswerWhileTheVersionHolds) {
  AnswerCache cache({});
  CountingRender render{"lista"};
  auto first = cache.get("k", 7, render.fn());
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)->body, "lista#1");
  EXPECT_EQ(gzip_decompress((*first)->gzip_body, 100).value_or(""), "lista#1");
  auto again = cache.get("k", 7, render.fn());
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)->body, "lista#1");
  // A caller that read an older version may be given the newer answer.
  EXPECT_EQ((*cache.get("k", 6, render.fn()))->body, "lista#1");
  EXPECT_EQ(render.calls, 1);
  EXPECT_EQ(cache.stats().hits, 2u);
}

TEST(AnswerCacheTest, ANewVersionIsRenderedAgainAndReplacesTheOld) {
  AnswerCache cache({});
  CountingRender render{"lista"};
  ASSERT_TRUE(cache.get("k", 1, render.fn()));
  auto newer = cache.get("k", 2, render.fn());
  ASSERT_TRUE(newer);
  EXPECT_EQ((*newer)->body, "lista#2");
  EXPECT_EQ((*newer)->version, 2);
  EXPECT_EQ((*cache.get("k", 2, render.fn()))->body, "lista#2");
  EXPECT_EQ(cache.stats().answers, 1u);
}

TEST(AnswerCacheTest, KeysAreIndependent) {
  AnswerCache cache({});
  CountingRender a{"a"};
  CountingRender b{"b"};
  EXPECT_EQ((*cache.get("json|es", 1, a.fn()))->body, "a#1");
  EXPECT_EQ((*cache.get("xml|es", 1, b.fn()))->body, "b#1");
  EXPECT_EQ((*cache.get("json|es", 1, b.fn()))->body, "a#1");
  EXPECT_EQ(cache.stats().answers, 2u);
}

TEST(AnswerCacheTest, ARenderErrorIsReturnedAndNothingIsKept) {
  AnswerCache cache({});
  int calls = 0;
  const AnswerCache::Render failing = [&]() -> Result<std::string> {
    ++calls;
    return fail(Error::unavailable("database away"));
  };
  auto answer = cache.get("k", 1, failing);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().kind, ErrorKind::kUnavailable);
  EXPECT_FALSE(cache.get("k", 1, failing));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(cache.stats().answers, 0u);
}

TEST(AnswerCacheTest, AThrowingRenderLeavesTheCacheUsable) {
  AnswerCache cache({});
  EXPECT_THROW(cache.get("k", 1, []() -> Result<std::string> { throw std::runtime_error("x"); }),
               std::runtime_error);
  CountingRender render{"ok"};
  EXPECT_EQ((*cache.get("k", 1, render.fn()))->body, "ok#1");
}

TEST(AnswerCacheTest, AnAnswerPastMaxAgeIsRenderedAgainAtTheSameVersion) {
  AnswerCacheOptions options;
  options.max_age = 0ms;
  AnswerCache cache(options);
  CountingRender render{"ventana"};
  EXPECT_EQ((*cache.get("k", 3, render.fn()))->body, "ventana#1");
  EXPECT_EQ((*cache.get("k", 3, render.fn()))->body, "ventana#2");
  EXPECT_EQ((*cache.get("k", 3, render.fn()))->version, 3);
}

TEST(AnswerCacheTest, StaysWithinItsByteAndCountBounds) {
  AnswerCacheOptions options;
  options.max_answers = 3;
  options.max_answer_bytes = 1000;
  AnswerCache cache(options);
  for (int i = 0; i < 10; ++i) {
    const std::string key = "k" + std::to_string(i);
    ASSERT_TRUE(cache.get(key, 1, [&]() -> Result<std::string> { return key; }));
  }
  EXPECT_EQ(cache.stats().answers, 3u);
  EXPECT_EQ(cache.stats().evictions, 7u);
  // The most recently used stay.
  int calls = 0;
  const AnswerCache::Render count = [&]() -> Result<std::string> {
    return std::to_string(++calls);
  };
  EXPECT_EQ((*cache.get("k9", 1, count))->body, "k9");
  EXPECT_EQ((*cache.get("k0", 1, count))->body, "1");
  // An answer over max_answer_bytes is served but never kept.
  const std::string big(2000, 'x');
  ASSERT_EQ((*cache.get("big", 1, [&]() -> Result<std::string> { return big; }))->body, big);
  EXPECT_EQ((*cache.get("big", 1, count))->body, "2");

  AnswerCacheOptions small;
  small.max_bytes = 300;
  AnswerCache tight(small);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(tight.get("k" + std::to_string(i), 1,
                          []() -> Result<std::string> { return std::string(100, 'y'); }));
    EXPECT_LE(tight.stats().bytes, 300u);
  }
}

TEST(AnswerCacheTest, OffRendersEveryCall) {
  AnswerCacheOptions options;
  options.max_bytes = 0;
  AnswerCache cache(options);
  CountingRender render{"r"};
  EXPECT_EQ((*cache.get("k", 1, render.fn()))->body, "r#1");
  EXPECT_EQ((*cache.get("k", 1, render.fn()))->body, "r#2");
  EXPECT_EQ(cache.stats().answers, 0u);
}

// Callers arriving while an answer is being rendered wait for that render (no stampede when the
// data changes). The render holds until every other caller is waiting for it.
TEST(AnswerCacheTest, ConcurrentCallersShareOneRender) {
  AnswerCache cache({});
  constexpr int kCallers = 8;
  std::atomic<int> renders{0};
  const AnswerCache::Render slow = [&]() -> Result<std::string> {
    ++renders;
    const auto give_up = std::chrono::steady_clock::now() + 10s;
    while (cache.stats().waits < kCallers - 1 && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(1ms);
    }
    return std::string("compartida");
  };
  std::vector<std::thread> threads;
  std::atomic<int> served{0};
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&] {
      auto answer = cache.get("k", 5, slow);
      if (answer && (*answer)->body == "compartida") ++served;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(renders, 1);
  EXPECT_EQ(served, kCallers);
  EXPECT_EQ(cache.stats().waits, static_cast<std::uint64_t>(kCallers - 1));
}

}  // namespace
}  // namespace zocalo::http
