#pragma once
// Which language a request is answered in. In order: an explicit ?lang= (es|en), the `lang`
// cookie set by the language switch, the browser's Accept-Language, then the default (the
// first supported locale, es-MX). `supported` lists catalog locales, default first.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/http/router.hpp"

namespace zocalo::web {

inline constexpr std::string_view kLangCookie = "lang";

// Matches one language tag: exact (case-insensitive) first, then by primary subtag, so
// "es", "es-419" and "es-mx" all give "es-MX" and "en-GB" gives "en".
std::optional<std::string> match_locale(std::string_view tag,
                                        std::span<const std::string> supported);
// Accept-Language negotiation: highest q-value wins, header order breaks ties, q=0 excludes.
std::optional<std::string> negotiate_locale(std::string_view accept_language,
                                            std::span<const std::string> supported);
// The locale for `req` by the order above; never fails.
std::string locale_for(const http::Request& req, std::span<const std::string> supported);
// What ?lang= carries for a locale: its primary subtag ("es" for "es-MX").
std::string lang_param(std::string_view locale);

// A same-site path to send the browser back to: `next` when it is a plain absolute path,
// "/" otherwise. Absolute URLs, "//host", "/\host", control characters and over-long values
// are refused, so the language switch can never become an open redirect.
std::string safe_return_path(std::string_view next);

// GET /idioma?lang=en&next=/servicios: remembers the choice in a one-year `lang` cookie
// (SameSite=Lax) and answers 303 to `next`. An unknown language is invalid input.
Result<http::Response> switch_language(const http::Request& req,
                                       std::span<const std::string> supported);

// Sets req.locale for every request, and Content-Language plus Vary on HTML answers (a shared
// cache must not give an English page to a Spanish reader).
http::Middleware locale_middleware(std::vector<std::string> supported);

}  // namespace zocalo::web
