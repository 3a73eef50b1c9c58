#include "identity/oidc/scope.hpp"

#include <algorithm>

namespace zocalo::identity::oidc {

bool is_supported_scope(std::string_view scope) {
  return std::find(std::begin(kSupportedScopes), std::end(kSupportedScopes), scope) !=
         std::end(kSupportedScopes);
}

std::optional<std::vector<std::string>> parse_scopes(std::string_view text) {
  if (text.size() > kMaxScopeBytes) return std::nullopt;
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && text[end] != ' ') {
      const auto c = static_cast<unsigned char>(text[end]);
      if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') return std::nullopt;
      ++end;
    }
    std::string token(text.substr(i, end - i));
    if (!has_scope(out, token)) {
      if (out.size() == kMaxScopes) return std::nullopt;
      out.push_back(std::move(token));
    }
    i = end;
  }
  return out;
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

bool has_scope(const std::vector<std::string>& scopes, std::string_view scope) {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

bool is_subset(const std::vector<std::string>& inner, const std::vector<std::string>& outer) {
  return std::all_of(inner.begin(), inner.end(),
                     [&](const std::string& s) { return has_scope(outer, s); });
}

std::vector<std::string> intersect(const std::vector<std::string>& scopes,
                                   const std::vector<std::string>& allowed) {
  std::vector<std::string> out;
  for (const auto& s : scopes)
    if (has_scope(allowed, s)) out.push_back(s);
  return out;
}

}  // namespace zocalo::identity::oidc
