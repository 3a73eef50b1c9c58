#include "platform/http/cookie.hpp"

#include <algorithm>
#include <stdexcept>

#include "platform/core/text.hpp"
#include "platform/http/header_syntax.hpp"
#include "platform/http/headers.hpp"

namespace zocalo::http {
namespace {

// A Cookie header carrying more than this is junk or an attack; browsers send a handful.
constexpr std::size_t kMaxCookiePairs = 50;

// RFC 6265 §4.1.1: cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E (no CTLs,
// whitespace, DQUOTE, comma, semicolon or backslash).
bool is_cookie_octet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

}  // namespace

std::string Cookie::serialize() const {
  if (!is_token(name)) throw std::invalid_argument("cookie name is not an RFC 6265 token");
  // RFC 6265 §4.1.1: path-value = <any CHAR except CTLs or ";">
  const bool path_ok = std::all_of(path.begin(), path.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x7F && c != ';';
  });
  if (!path_ok) throw std::invalid_argument("cookie path holds a CTL or ';'");
  std::string_view site;
  if (iequals(same_site, "Strict")) {
    site = "Strict";
  } else if (iequals(same_site, "Lax")) {
    site = "Lax";
  } else if (iequals(same_site, "None")) {
    site = "None";
  } else if (!same_site.empty()) {
    throw std::invalid_argument("cookie SameSite must be Strict, Lax or None");
  }

  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out = name;
  out += '=';
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_cookie_octet(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  if (!path.empty()) {
    out += "; Path=";
    out += path;
  }
  if (max_age) {
    // RFC 6265 §5.2.2: Max-Age <= 0 expires the cookie at once; we never send a negative one.
    out += "; Max-Age=";
    out += std::to_string(std::max<std::int64_t>(*max_age, 0));
  }
  if (http_only) out += "; HttpOnly";
  // RFC 6265bis §5.6.7: browsers reject SameSite=None without Secure.
  if (secure || site == "None") out += "; Secure";
  if (!site.empty()) {
    out += "; SameSite=";
    out += site;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_cookie_header(std::string_view header) {
  // RFC 6265 §4.2.1: cookie-string = cookie-pair *( ";" SP cookie-pair ). We accept what
  // browsers really send (missing or extra spaces, tabs) and skip pairs we cannot trust.
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start <= header.size() && pairs.size() < kMaxCookiePairs) {
    std::size_t semi = header.find(';', start);
    if (semi == std::string_view::npos) semi = header.size();
    const std::string_view pair = header.substr(start, semi - start);
    start = semi + 1;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view name = trim_ows(pair.substr(0, eq));
    std::string_view value = trim_ows(pair.substr(eq + 1));
    if (!is_token(name)) continue;
    // RFC 6265 §4.1.1: cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE ).
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    // Our own cookies are ASCII tokens; a value with CTLs (CR, LF, NUL) or raw 8-bit bytes was
    // not set by us and is dropped rather than passed on.
    if (!text::is_printable_ascii(value)) continue;
    pairs.emplace_back(std::string(name), std::string(value));
  }
  return pairs;
}

}  // namespace zocalo::http
