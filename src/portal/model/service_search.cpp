#include "portal/model/service_search.hpp"

#include <algorithm>

#include "platform/core/utf8.hpp"
#include "portal/model/search_text.hpp"

namespace zocalo::portal {
namespace {

constexpr int kTitleWeight = 3;
constexpr int kKeywordWeight = 2;
constexpr int kSummaryWeight = 1;
constexpr std::size_t kMinPrefix = 3;  // "ag" would match half the city
constexpr std::size_t kMaxSuffix = 2;  // plural endings: -s, -es
constexpr std::size_t kMinStem = 4;

// 2 for the same word, 1 for a prefix or plural match, 0 otherwise.
int word_match(std::string_view term, std::string_view word) {
  if (term == word) return 2;
  if (term.size() >= kMinPrefix && word.starts_with(term)) return 1;
  if (word.size() >= kMinStem && term.starts_with(word) &&
      term.size() - word.size() <= kMaxSuffix) {
    return 1;
  }
  return 0;
}

int best_match(std::string_view term, const std::vector<std::string>& words) {
  int best = 0;
  for (const auto& word : words) best = std::max(best, word_match(term, word));
  return best;
}

std::vector<std::string> words_of(const std::vector<std::string>& texts) {
  std::vector<std::string> words;
  for (const auto& text : texts) {
    for (auto& word : search_words(text)) {
      if (std::find(words.begin(), words.end(), word) == words.end())
        words.push_back(std::move(word));
    }
  }
  return words;
}

}  // namespace

Status check_search_query(std::string_view query) {
  if (utf8::count_code_points(query) > kMaxSearchChars) {
    return fail(Error::invalid("portal.search.too_long",
                               "search query of " + std::to_string(query.size()) + " bytes"));
  }
  return {};
}

void ServiceSearch::add(const SearchDocument& document) {
  documents_.push_back({document.id, words_of(document.titles), words_of(document.keywords),
                        words_of(document.summaries)});
}

std::vector<std::string> ServiceSearch::search(std::string_view query, std::size_t limit) const {
  const std::vector<std::string> terms = search_words(query);
  if (terms.empty()) return {};
  struct Scored {
    int score;
    std::size_t order;
  };
  std::vector<Scored> hits;
  for (std::size_t i = 0; i < documents_.size(); ++i) {
    const Indexed& doc = documents_[i];
    int total = 0;
    for (const auto& term : terms) {
      const int score = std::max({kTitleWeight * best_match(term, doc.title_words),
                                  kKeywordWeight * best_match(term, doc.keyword_words),
                                  kSummaryWeight * best_match(term, doc.summary_words)});
      if (score == 0) {
        total = 0;
        break;
      }
      total += score;
    }
    if (total > 0) hits.push_back({total, i});
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const Scored& a, const Scored& b) { return a.score > b.score; });
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < hits.size() && i < limit; ++i) {
    ids.push_back(documents_[hits[i].order].id);
  }
  return ids;
}

}  // namespace zocalo::portal
