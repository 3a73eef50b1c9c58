#include "platform/web/locale.hpp"

#include <gtest/gtest.h>

#include "platform/web/weighted_list.hpp"

namespace zocalo::web {
namespace {

const std::vector<std::string> kSupported{"es-MX", "en"};

TEST(LocaleTest, MatchesTagsExactlyThenByPrimaryLanguage) {
  EXPECT_EQ(match_locale("es-MX", kSupported), "es-MX");
  EXPECT_EQ(match_locale("es-mx", kSupported), "es-MX");
  EXPECT_EQ(match_locale("es", kSupported), "es-MX");
  EXPECT_EQ(match_locale("es-419", kSupported), "es-MX");
  EXPECT_EQ(match_locale("en", kSupported), "en");
  EXPECT_EQ(match_locale("en-GB", kSupported), "en");
  EXPECT_FALSE(match_locale("fr-FR", kSupported));
  EXPECT_FALSE(match_locale("", kSupported));
  EXPECT_FALSE(match_locale("*", kSupported));
}

TEST(LocaleTest, AcceptLanguageHighestQualityWins) {
  EXPECT_EQ(negotiate_locale("en-US,en;q=0.9,es;q=0.5", kSupported), "en");
  EXPECT_EQ(negotiate_locale("fr;q=1, es;q=0.3, en;q=0.2", kSupported), "es-MX");
  EXPECT_EQ(negotiate_locale("en;q=0.2, es-MX;q=0.8", kSupported), "es-MX");
  EXPECT_EQ(negotiate_locale("es;q=0.5, en;q=0.5", kSupported), "es-MX");  // tie: first wins
  EXPECT_EQ(negotiate_locale("EN", kSupported), "en");
}

TEST(LocaleTest, AcceptLanguageZeroQualityExcludesAndJunkIsIgnored) {
  EXPECT_FALSE(negotiate_locale("en;q=0", kSupported));
  EXPECT_EQ(negotiate_locale("en;q=0, es;q=0.1", kSupported), "es-MX");
  EXPECT_FALSE(negotiate_locale("fr, de;q=0.9", kSupported));
  EXPECT_FALSE(negotiate_locale(";;;,,,=", kSupported));
  EXPECT_EQ(negotiate_locale("en;q=2, es;q=abc, en-GB;q=0.7", kSupported), "en");
  EXPECT_FALSE(negotiate_locale("", kSupported));
}

TEST(LocaleTest, WeightedListIsBounded) {
  std::string header;
  for (int i = 0; i < 1000; ++i) header += "xx-" + std::to_string(i) + ";q=0.5,";
  EXPECT_EQ(parse_weighted_list(header).size(), 32u);
}

http::Request request_with(std::string query, std::string cookie, std::string accept) {
  http::Request req;
  req.raw_query = std::move(query);
  if (!cookie.empty()) req.headers.set("Cookie", std::move(cookie));
  if (!accept.empty()) req.headers.set("Accept-Language", std::move(accept));
  return req;
}

TEST(LocaleTest, ChoosesQueryThenCookieThenAcceptLanguageThenDefault) {
  EXPECT_EQ(locale_for(request_with("lang=en", "lang=es-MX", "es"), kSupported), "en");
  EXPECT_EQ(locale_for(request_with("", "lang=en", "es"), kSupported), "en");
  EXPECT_EQ(locale_for(request_with("", "lang=es-MX", "en"), kSupported), "es-MX");
  EXPECT_EQ(locale_for(request_with("", "", "en-US,en;q=0.9"), kSupported), "en");
  EXPECT_EQ(locale_for(request_with("", "", ""), kSupported), "es-MX");
  // Unknown or malformed values fall through to the next source.
  EXPECT_EQ(locale_for(request_with("lang=fr", "lang=de", "en"), kSupported), "en");
  EXPECT_EQ(locale_for(request_with("lang=%ZZ", "", "en"), kSupported), "en");
}

TEST(LocaleTest, ReturnPathAcceptsSameSitePaths) {
  EXPECT_EQ(safe_return_path("/servicios"), "/servicios");
  EXPECT_EQ(safe_return_path("/buscar?q=agua&x=1"), "/buscar?q=agua&x=1");
  EXPECT_EQ(safe_return_path("/"), "/");
  EXPECT_EQ(safe_return_path("/buscar?q=año"), "/buscar?q=a%C3%B1o");
}

TEST(LocaleTest, ReturnPathRefusesOpenRedirects) {
  for (const std::string_view next :
       {"https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
        "javascript:alert(1)", "evil.example", "", "/ok\r\nSet-Cookie: x=1", "/\tx",
        "///evil.example", "http:/evil.example"}) {
    EXPECT_EQ(safe_return_path(next), "/") << next;
  }
  EXPECT_EQ(safe_return_path("/" + std::string(5000, 'a')), "/");
}

TEST(LocaleTest, SwitchSetsYearLongLaxCookieAndRedirectsToNext) {
  http::Request req;
  req.raw_query = "lang=en&next=%2Fservicios";
  auto res = switch_language(req, kSupported);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 303);
  EXPECT_EQ(res->headers.get("Location"), "/servicios");
  const std::string cookie(*res->headers.get("Set-Cookie"));
  EXPECT_NE(cookie.find("lang=en"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Max-Age=31536000"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
}

TEST(LocaleTest, SwitchToSpanishStoresTheFullLocale) {
  http::Request req;
  req.raw_query = "lang=es";
  auto res = switch_language(req, kSupported);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->headers.get("Location"), "/");
  EXPECT_NE(res->headers.get("Set-Cookie")->find("lang=es-MX"), std::string::npos);
}

TEST(LocaleTest, SwitchNeverRedirectsOffSite) {
  for (const std::string query :
       {"lang=en&next=https%3A%2F%2Fevil.example%2F", "lang=en&next=%2F%2Fevil.example",
        "lang=en&next=%2F%5Cevil.example", "lang=en&next=%2Fok%0D%0ALocation%3A%20x"}) {
    http::Request req;
    req.raw_query = query;
    auto res = switch_language(req, kSupported);
    ASSERT_TRUE(res) << query;
    EXPECT_EQ(res->headers.get("Location"), "/") << query;
  }
}

TEST(LocaleTest, SwitchToUnknownLanguageIsInvalidInput) {
  http::Request req;
  req.raw_query = "lang=xx&next=%2F";
  auto res = switch_language(req, kSupported);
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(res.error().user_key, "error.invalid_language");
}

TEST(LocaleTest, MiddlewareSetsLocaleAndLanguageHeadersOnHtmlOnly) {
  const http::Middleware middleware = locale_middleware(kSupported);
  http::Request req = request_with("", "", "en");
  std::string seen;
  const http::Response html = middleware(req, [&](http::Request& r) {
    seen = r.locale;
    return http::Response::html("<p>hi</p>");
  });
  EXPECT_EQ(seen, "en");
  EXPECT_EQ(html.headers.get("Content-Language"), "en");
  EXPECT_EQ(html.headers.get("Vary"), "Accept-Language, Cookie");

  http::Request css_req = request_with("", "", "en");
  const http::Response css = middleware(
      css_req, [](http::Request&) { return http::Response::with_type("text/css", "a{}"); });
  EXPECT_FALSE(css.headers.has("Content-Language"));
  EXPECT_FALSE(css.headers.has("Vary"));
}

}  // namespace
}  // namespace zocalo::web
