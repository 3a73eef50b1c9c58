#pragma once
// Reading a folio over the phone (issue 4, item 4: "reads the folio back"): the symbols one by
// one in two groups, each letter with a word that starts with it, so that "M" is not heard as
// "N" nor "B" as "D" on a bad line.
#include <string>
#include <string_view>
#include <vector>

namespace zocalo::requests {

struct SpokenSymbol {
  char symbol = '0';
  bool is_letter = false;
  std::string
      hint_key;  // catalog key of the word for a letter ("operador.phonetic.k"); empty for digits
};

struct SpokenFolio {
  std::vector<SpokenSymbol> first, second;  // the two groups of four
  std::string spelled;                      // "4 K 7 P – 2 M 9 X"
};

// `compact`: a canonical folio (8 symbols of model/folio's alphabet), as the store keeps it.
SpokenFolio speak_folio(std::string_view compact);

}  // namespace zocalo::requests
