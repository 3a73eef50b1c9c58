#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/core/result.hpp"

namespace zocalo::http {

struct Cookie {
  std::string name;
  std::string value;
  std::string path = "/";
  std::optional<std::int64_t> max_age;  // seconds; 0 deletes
  bool http_only = true;
  bool secure = false;
  std::string same_site = "Lax";
  std::string serialize() const;
};

// Parses a Cookie request header (RFC 6265 §4.2.1). Pairs keep their order; a malformed pair
// (no '=', bad name character) is skipped as browsers do, bounds are enforced by the caller.
std::vector<std::pair<std::string, std::string>> parse_cookie_header(std::string_view header);

}  // namespace zocalo::http
