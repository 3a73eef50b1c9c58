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
  std::string same_site = "Lax";  // "Strict", "Lax", "None" or empty (attribute left out)
  // The Set-Cookie value. Value bytes outside RFC 6265 §4.1.1 cookie-octet are percent-encoded
  // so the header cannot be split or extended; SameSite=None implies Secure (browsers drop it
  // otherwise). A name that is not a token, a Path with CTL or ';', or an unknown SameSite is a
  // programming error: std::invalid_argument.
  std::string serialize() const;
};

// Parses a Cookie request header (RFC 6265 §4.2.1). Pairs keep their order; a malformed pair
// (no '=', bad name character, a value byte outside printable ASCII) is skipped as browsers
// do. At most 50 pairs are returned; the header's length is bounded by the caller.
std::vector<std::pair<std::string, std::string>> parse_cookie_header(std::string_view header);

}  // namespace zocalo::http
