#include "portal/model/search_text.hpp"

#include <algorithm>
#include <array>

namespace zocalo::portal {
namespace {

// Folding of U+00C0..U+00FF (Latin-1 Supplement letters) to ASCII; 0 keeps the character.
constexpr std::array<char, 64> kLatin1Fold = {
    'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',  // C0-CF
    'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   's',  // D0-DF
    'a', 'a', 'a', 'a', 'a', 'a', 'a', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',  // E0-EF
    'd', 'n', 'o', 'o', 'o', 'o', 'o', 0,   'o', 'u', 'u', 'u', 'u', 'y', 0,   'y',  // F0-FF
};

constexpr std::array<std::string_view, 34> kStopWords = {
    "a",   "al",  "an",  "and", "con", "de",   "del",  "e",  "el",   "en",   "for", "in",
    "la",  "las", "los", "mi",  "my",  "o",    "of",   "on", "or",   "para", "por", "su",
    "the", "to",  "u",   "un",  "una", "unas", "unos", "y",  "your", "tu",
};

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

}  // namespace

std::string fold_for_search(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  auto emit = [&](std::string_view piece) {
    if (pending_space && !out.empty()) out += ' ';
    pending_space = false;
    out += piece;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    // U+00C0..U+00FF are encoded as C3 80..C3 BF.
    if (c == 0xC3 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0xBF) {
        const char folded = kLatin1Fold[next - 0x80];
        if (folded != 0) {
          emit(std::string_view(&folded, 1));
        } else {
          emit(text.substr(i, 2));
        }
        ++i;
        continue;
      }
    }
    // U+0080..U+00BF (C2 xx: ¿ ¡ « » ° ...) and U+2000..U+203F (E2 80 xx: dashes, curly
    // quotes, ellipsis) are punctuation: they separate words.
    if (c == 0xC2 && i + 1 < text.size()) {
      pending_space = true;
      ++i;
      continue;
    }
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      pending_space = true;
      i += 2;
      continue;
    }
    if (is_word_byte(c)) {
      const char ch = static_cast<char>(c);
      emit(std::string_view(&ch, 1));
    } else {
      pending_space = true;
    }
  }
  return out;
}

std::vector<std::string> search_words(std::string_view text) {
  const std::string folded = fold_for_search(text);
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    const std::string_view word(folded.data() + start, end - start);
    if (std::find(kStopWords.begin(), kStopWords.end(), word) == kStopWords.end()) {
      words.emplace_back(word);
    }
    start = end + 1;
  }
  return words;
}

}  // namespace zocalo::portal
