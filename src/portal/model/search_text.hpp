#pragma once
// Text folding for search: people type "alcaldia", "ALCALDÍA" or "alcaldías" and mean the same
// thing, in Spanish or in English, on a phone keyboard that may lack accents.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace zocalo::portal {

// Lower case, Latin accents and tildes removed (á→a, ü→u, ñ→n, ç→c), every run of
// punctuation or white space one space, trimmed. Other characters pass through unchanged.
std::string fold_for_search(std::string_view text);

// The words of `text` after folding, without Spanish and English stop words ("de", "the").
std::vector<std::string> search_words(std::string_view text);

}  // namespace zocalo::portal
