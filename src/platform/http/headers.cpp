#include "platform/http/headers.hpp"

#include <algorithm>

namespace zocalo::http {
namespace {

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// RFC 9110 §5.5: CR, LF and NUL in a field value are invalid and dangerous; a recipient may
// replace them with SP. We do the same on the way out, so no value can inject a header line.
std::string neutralise_value(std::string value) {
  for (char& c : value) {
    if (c == '\r' || c == '\n' || c == '\0') c = ' ';
  }
  return value;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
  // "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  for (char c : s) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && kSymbols.find(c) == std::string_view::npos) return false;
  }
  return true;
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (iequals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

void Headers::set(std::string_view name, std::string value) {
  // Keep the first field's position so the order on the wire stays stable; drop the rest.
  auto first = std::find_if(fields_.begin(), fields_.end(),
                            [&](const auto& f) { return iequals(f.first, name); });
  if (first == fields_.end()) {
    fields_.emplace_back(std::string(name), neutralise_value(std::move(value)));
    return;
  }
  first->second = neutralise_value(std::move(value));
  auto rest = std::remove_if(std::next(first), fields_.end(),
                             [&](const auto& f) { return iequals(f.first, name); });
  fields_.erase(rest, fields_.end());
}

void Headers::add(std::string_view name, std::string value) {
  fields_.emplace_back(std::string(name), neutralise_value(std::move(value)));
}

void Headers::erase(std::string_view name) {
  std::erase_if(fields_, [&](const auto& f) { return iequals(f.first, name); });
}

}  // namespace zocalo::http
