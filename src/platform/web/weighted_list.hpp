#pragma once
// Lists with quality values, as in Accept-Language and Accept-Encoding (RFC 9110 §12.4.2):
// "en-US,en;q=0.9,es;q=0.5". Bounded: outside input.
#include <string>
#include <string_view>
#include <vector>

namespace zocalo::web {

struct WeightedToken {
  std::string token;  // lower-cased
  double q = 1.0;     // 0..1; 0 means "not acceptable"
};

// Tokens in header order; malformed items and q-values are skipped, at most `max_items` kept.
std::vector<WeightedToken> parse_weighted_list(std::string_view header, std::size_t max_items = 32);

}  // namespace zocalo::web
