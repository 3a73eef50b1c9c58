#include "requests/routes/operator_folio_speech.hpp"

namespace zocalo::requests {

SpokenFolio speak_folio(std::string_view compact) {
  SpokenFolio out;
  for (std::size_t i = 0; i < compact.size(); ++i) {
    const char c = compact[i];
    SpokenSymbol s;
    s.symbol = c;
    s.is_letter = c >= 'A' && c <= 'Z';
    // Catalog keys are lower case.
    if (s.is_letter)
      s.hint_key = std::string("operador.phonetic.") + static_cast<char>(c - 'A' + 'a');
    (i < compact.size() / 2 ? out.first : out.second).push_back(s);
    if (i > 0) out.spelled += i == compact.size() / 2 ? " \u2013 " : " ";
    out.spelled += c;
  }
  return out;
}

}  // namespace zocalo::requests
