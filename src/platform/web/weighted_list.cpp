#include "platform/web/weighted_list.hpp"

#include "platform/http/header_syntax.hpp"

namespace zocalo::web {
std::vector<WeightedToken> parse_weighted_list(std::string_view header, std::size_t max_items) {
  std::vector<WeightedToken> out;
  while (!header.empty() && out.size() < max_items) {
    const std::size_t comma = header.find(',');
    const std::string_view item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);

    const std::size_t semi = item.find(';');
    const std::string_view token = http::trim_ows(item.substr(0, semi));
    if (token.empty() || token.size() > 64) continue;
    WeightedToken parsed;
    parsed.token.reserve(token.size());
    for (const char c : token) {
      parsed.token += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    bool ok = true;
    if (semi != std::string_view::npos) {
      const std::string_view param = http::trim_ows(item.substr(semi + 1));
      const auto q = (param.starts_with("q=") || param.starts_with("Q="))
                         ? http::parse_qvalue(http::trim_ows(param.substr(2)))
                         : std::nullopt;
      ok = q.has_value();
      if (ok) parsed.q = *q / 1000.0;
    }
    if (ok) out.push_back(std::move(parsed));
  }
  return out;
}

}  // namespace zocalo::web
