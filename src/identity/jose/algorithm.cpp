#include "identity/jose/algorithm.hpp"

namespace zocalo::identity::jose {

std::string_view algorithm_name(Algorithm alg) {
  switch (alg) {
    case Algorithm::kRs256:
      return "RS256";
    case Algorithm::kEs256:
      return "ES256";
  }
  return "";  // unreachable: every enumerator is handled above
}

std::optional<Algorithm> parse_algorithm(std::string_view name) {
  for (Algorithm alg : kAllAlgorithms) {
    if (name == algorithm_name(alg)) return alg;
  }
  return std::nullopt;
}

}  // namespace zocalo::identity::jose
