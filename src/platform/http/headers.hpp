#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace zocalo::http {

// Header fields in arrival order; names compare case-insensitively (RFC 9110 §5.1).
// set() and add() replace CR, LF and NUL in a value with SP (RFC 9110 §5.5), so a value built
// from input can never split a response header.
class Headers {
 public:
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  // Replaces every field named `name`.
  void set(std::string_view name, std::string value);
  // Adds a field even when one of that name exists (Set-Cookie, Vary).
  void add(std::string_view name, std::string value);
  void erase(std::string_view name);
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

bool iequals(std::string_view a, std::string_view b);
// A non-empty RFC 9110 §5.6.2 token (header names, parameter names, cookie names).
bool is_token(std::string_view s);

}  // namespace zocalo::http
