#include "platform/web/weighted_list.hpp"

namespace zocalo::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
bool parse_q(std::string_view text, double& q) {
  if (text.empty() || text.size() > 5 || (text[0] != '0' && text[0] != '1')) return false;
  if (text.size() > 1 && text[1] != '.') return false;
  int thousandths = 0;
  for (std::size_t i = 2; i < 5; ++i) {
    const int digit = i < text.size() ? text[i] - '0' : 0;
    if (digit < 0 || digit > 9) return false;
    thousandths = thousandths * 10 + digit;
  }
  if (text[0] == '1' && thousandths != 0) return false;
  q = text[0] == '1' ? 1.0 : thousandths / 1000.0;
  return true;
}

}  // namespace

std::vector<WeightedToken> parse_weighted_list(std::string_view header, std::size_t max_items) {
  std::vector<WeightedToken> out;
  while (!header.empty() && out.size() < max_items) {
    const std::size_t comma = header.find(',');
    const std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);

    const std::size_t semi = item.find(';');
    const std::string_view token = trim(item.substr(0, semi));
    if (token.empty() || token.size() > 64) continue;
    WeightedToken parsed;
    parsed.token.reserve(token.size());
    for (const char c : token) {
      parsed.token += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    bool ok = true;
    if (semi != std::string_view::npos) {
      const std::string_view param = trim(item.substr(semi + 1));
      ok = (param.starts_with("q=") || param.starts_with("Q=")) &&
           parse_q(trim(param.substr(2)), parsed.q);
    }
    if (ok) out.push_back(std::move(parsed));
  }
  return out;
}

}  // namespace zocalo::web
