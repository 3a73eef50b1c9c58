#include "platform/web/locale.hpp"

#include "platform/http/form.hpp"
#include "platform/web/weighted_list.hpp"

namespace zocalo::web {
namespace {

constexpr std::int64_t kOneYearSeconds = 365LL * 24 * 60 * 60;
constexpr std::size_t kMaxReturnPath = 2048;

std::string_view primary_subtag(std::string_view tag) {
  return tag.substr(0, tag.find('-'));
}

std::optional<std::string> query_lang(const http::Request& req) {
  if (req.raw_query.empty()) return std::nullopt;
  const auto& query = req.query();
  if (!query) return std::nullopt;
  const auto lang = query->get("lang");
  if (!lang) return std::nullopt;
  return std::string(*lang);
}

}  // namespace

std::optional<std::string> match_locale(std::string_view tag,
                                        std::span<const std::string> supported) {
  if (tag.empty() || tag.size() > 35) return std::nullopt;  // RFC 5646 §4.4.1 suggests 35
  for (const auto& locale : supported) {
    if (http::iequals(locale, tag)) return locale;
  }
  const std::string_view primary = primary_subtag(tag);
  for (const auto& locale : supported) {
    if (http::iequals(primary_subtag(locale), primary)) return locale;
  }
  return std::nullopt;
}

std::optional<std::string> negotiate_locale(std::string_view accept_language,
                                            std::span<const std::string> supported) {
  std::optional<std::string> best;
  double best_q = 0;
  for (const auto& item : parse_weighted_list(accept_language)) {
    if (item.q <= best_q) continue;  // strictly greater: the earlier of equals wins
    if (auto locale = match_locale(item.token, supported)) {
      best = std::move(locale);
      best_q = item.q;
    }
  }
  return best;
}

std::string locale_for(const http::Request& req, std::span<const std::string> supported) {
  if (supported.empty()) return req.locale;
  if (const auto lang = query_lang(req)) {
    if (auto locale = match_locale(*lang, supported)) return *locale;
  }
  if (const auto cookie = req.cookie(kLangCookie)) {
    if (auto locale = match_locale(*cookie, supported)) return *locale;
  }
  if (const auto accept = req.header("Accept-Language")) {
    if (auto locale = negotiate_locale(*accept, supported)) return *locale;
  }
  return supported.front();
}

std::string lang_param(std::string_view locale) {
  return std::string(primary_subtag(locale));
}

std::string safe_return_path(std::string_view next) {
  if (next.empty() || next.size() > kMaxReturnPath || next.front() != '/') return "/";
  // "//evil" and "/\evil" are protocol-relative to browsers (WHATWG URL treats \ as /).
  if (next.size() > 1 && (next[1] == '/' || next[1] == '\\')) return "/";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(next.size());
  for (const char c : next) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '\\') return "/";
    // Non-ASCII and characters not allowed raw in a Location value are percent-encoded.
    if (byte >= 0x80 || c == ' ' || c == '"' || c == '<' || c == '>' || c == '`') {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

Result<http::Response> switch_language(const http::Request& req,
                                       std::span<const std::string> supported) {
  const auto& query = req.query();
  if (!query) return fail(query.error());
  const auto locale = match_locale(query->get_or("lang", ""), supported);
  if (!locale) return fail(Error::invalid("error.invalid_language", "unknown lang"));
  http::Response res = http::Response::redirect(safe_return_path(query->get_or("next", "/")));
  http::Cookie cookie;
  cookie.name = std::string(kLangCookie);
  cookie.value = *locale;
  cookie.max_age = kOneYearSeconds;
  cookie.same_site = "Lax";
  cookie.secure = req.secure;
  res.set_cookie(cookie);
  return res;
}

http::Middleware locale_middleware(std::vector<std::string> supported) {
  return [supported = std::move(supported)](http::Request& req, const http::Next& next) {
    req.locale = locale_for(req, supported);
    http::Response res = next(req);
    const auto type = res.headers.get("Content-Type");
    if (type && type->starts_with("text/html")) {
      if (!res.headers.has("Content-Language")) res.headers.set("Content-Language", req.locale);
      res.headers.add("Vary", "Accept-Language, Cookie");
    }
    return res;
  };
}

}  // namespace zocalo::web
