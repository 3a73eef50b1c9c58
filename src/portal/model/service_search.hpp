#pragma once
// Search over the service directory, in memory: a city has hundreds of services, not millions,
// so a scan of pre-folded words answers in microseconds and needs no index to keep in step.
//
// A document matches when every word of the query matches one of its words, ignoring case,
// accents and stop words; a query word also matches as the start of a longer word ("alcal"
// finds "alcaldías") and a plural finds its singular ("alcaldias" finds "alcaldía").
// Matches in a title weigh more than in keywords, and those more than in a summary.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"

namespace zocalo::portal {

inline constexpr std::size_t kMaxSearchChars = 200;

// Fails (invalid input, "portal.search.too_long") beyond kMaxSearchChars code points.
Status check_search_query(std::string_view query);

struct SearchDocument {
  std::string id;
  std::vector<std::string> titles;     // in every language
  std::vector<std::string> summaries;  // in every language
  std::vector<std::string> keywords;   // Spanish and English
};

class ServiceSearch {
 public:
  void add(const SearchDocument& document);
  // Ids of the matching documents, best first (ties keep the order added); empty when the
  // query has no words.
  std::vector<std::string> search(std::string_view query, std::size_t limit = 50) const;

 private:
  struct Indexed {
    std::string id;
    std::vector<std::string> title_words;
    std::vector<std::string> keyword_words;
    std::vector<std::string> summary_words;
  };
  std::vector<Indexed> documents_;
};

}  // namespace zocalo::portal
