#include "platform/http/cookie.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace zocalo::http {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(CookieSerialize, DefaultsAreHttpOnlyLaxAtRoot) {
  Cookie c{.name = "zs", .value = "abc123"};
  EXPECT_EQ(c.serialize(), "zs=abc123; Path=/; HttpOnly; SameSite=Lax");
}

TEST(CookieSerialize, WritesEveryAttribute) {
  Cookie c{.name = "zs",
           .value = "tok-_.~",
           .path = "/cuenta",
           .max_age = 3600,
           .http_only = true,
           .secure = true,
           .same_site = "Strict"};
  EXPECT_EQ(c.serialize(),
            "zs=tok-_.~; Path=/cuenta; Max-Age=3600; HttpOnly; Secure; SameSite=Strict");
}

TEST(CookieSerialize, ZeroOrNegativeMaxAgeDeletes) {
  Cookie c{.name = "zs", .value = "", .max_age = 0, .http_only = false, .same_site = ""};
  EXPECT_EQ(c.serialize(), "zs=; Path=/; Max-Age=0");
  c.max_age = -5;
  EXPECT_EQ(c.serialize(), "zs=; Path=/; Max-Age=0");
}

TEST(CookieSerialize, SameSiteNoneImpliesSecure) {
  Cookie c{.name = "a", .value = "1", .same_site = "none"};
  EXPECT_EQ(c.serialize(), "a=1; Path=/; HttpOnly; Secure; SameSite=None");
}

TEST(CookieSerialize, EmptyPathIsLeftOut) {
  Cookie c{.name = "a", .value = "1", .path = "", .http_only = false, .same_site = ""};
  EXPECT_EQ(c.serialize(), "a=1");
}

TEST(CookieSerialize, ValueBytesOutsideCookieOctetAreEncoded) {
  struct Case {
    std::string value;
    std::string encoded;
  };
  const Case cases[] = {
      {"x\r\nSet-Cookie: admin=1", "x%0D%0ASet-Cookie:%20admin=1"},
      {"a;Path=/evil", "a%3BPath=/evil"},
      {"\"quoted\"", "%22quoted%22"},
      {"a,b\\c", "a%2Cb%5Cc"},
      {std::string("nul\0", 4), "nul%00"},
      {"\xC3\xB1", "%C3%B1"},
  };
  for (const Case& k : cases) {
    Cookie c{.name = "a", .value = k.value, .path = "", .http_only = false, .same_site = ""};
    EXPECT_EQ(c.serialize(), "a=" + k.encoded) << k.encoded;
  }
}

TEST(CookieSerialize, ProgrammingErrorsThrow) {
  EXPECT_THROW((Cookie{.name = ""}.serialize()), std::invalid_argument);
  EXPECT_THROW((Cookie{.name = "a b"}.serialize()), std::invalid_argument);
  EXPECT_THROW((Cookie{.name = "a\r\nX: y"}.serialize()), std::invalid_argument);
  EXPECT_THROW((Cookie{.name = "a", .path = "/;Domain=evil"}.serialize()), std::invalid_argument);
  EXPECT_THROW((Cookie{.name = "a", .path = "/\r\n"}.serialize()), std::invalid_argument);
  EXPECT_THROW((Cookie{.name = "a", .same_site = "Loose"}.serialize()), std::invalid_argument);
}

TEST(ParseCookieHeader, ReadsPairsInOrder) {
  EXPECT_EQ(parse_cookie_header("zs=abc; lang=es-MX; zs=older"),
            (Pairs{{"zs", "abc"}, {"lang", "es-MX"}, {"zs", "older"}}));
}

TEST(ParseCookieHeader, ToleratesMissingAndExtraWhitespace) {
  EXPECT_EQ(parse_cookie_header("a=1;b=2 ;  c = 3\t;\td=4  "),
            (Pairs{{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}}));
}

TEST(ParseCookieHeader, StripsOneLayerOfDquotes) {
  EXPECT_EQ(parse_cookie_header("a=\"1\"; b=\"\"; c=\"x; d=\"\"\"\""),
            (Pairs{{"a", "1"}, {"b", ""}, {"c", "\"x"}, {"d", "\"\""}}));
}

TEST(ParseCookieHeader, KeepsEqualsInValues) {
  EXPECT_EQ(parse_cookie_header("t=YWJj=="), (Pairs{{"t", "YWJj=="}}));
  EXPECT_EQ(parse_cookie_header("e="), (Pairs{{"e", ""}}));
}

TEST(ParseCookieHeader, SkipsMalformedPairs) {
  struct Case {
    const char* label;
    std::string header;
  };
  const Case cases[] = {
      {"no equals", "flag"},
      {"empty name", "=v"},
      {"space in name", "a b=1"},
      {"separator in name", "a(b)=1"},
      {"quote in name", "\"a\"=1"},
      {"CR LF in value", "a=1\r\nSet-Cookie: x=y"},
      {"NUL in value", std::string("a=1\0", 4)},
      {"DEL in value", "a=1\x7F"},
      {"8-bit value", "a=\xC3\xB1"},
      {"empty", ""},
      {"only separators", ";;; ;"},
  };
  for (const Case& c : cases) {
    EXPECT_TRUE(parse_cookie_header(c.header).empty()) << c.label;
  }
  EXPECT_EQ(parse_cookie_header("bad; a b=1; ok=1; x=\r; good=2"),
            (Pairs{{"ok", "1"}, {"good", "2"}}));
}

TEST(ParseCookieHeader, CapsAtFiftyPairs) {
  std::string header;
  for (int i = 0; i < 500; ++i) header += "c" + std::to_string(i) + "=v; ";
  const Pairs pairs = parse_cookie_header(header);
  ASSERT_EQ(pairs.size(), 50u);
  EXPECT_EQ(pairs.front().first, "c0");
  EXPECT_EQ(pairs.back().first, "c49");
}

TEST(ParseCookieHeader, MalformedPairsDoNotCountTowardsTheCap) {
  std::string header;
  for (int i = 0; i < 100; ++i) header += "junk; ";
  header += "zs=ok";
  EXPECT_EQ(parse_cookie_header(header), (Pairs{{"zs", "ok"}}));
}

TEST(Cookie, SerializedTokenValuesRoundTripThroughParse) {
  Cookie c{.name = "zs", .value = "Zm9vYmFy-_x", .max_age = 60, .secure = true};
  const Pairs pairs = parse_cookie_header(c.serialize());
  ASSERT_FALSE(pairs.empty());
  EXPECT_EQ(pairs.front(), (std::pair<std::string, std::string>{"zs", "Zm9vYmFy-_x"}));
}

}  // namespace
}  // namespace zocalo::http
