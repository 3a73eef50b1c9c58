#include "platform/http/headers.hpp"

#include <gtest/gtest.h>

namespace zocalo::http {
namespace {

TEST(Iequals, ComparesAsciiCaseInsensitively) {
  EXPECT_TRUE(iequals("Content-Type", "content-type"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("Content-Type", "Content-Typ"));
  EXPECT_FALSE(iequals("a", "b"));
  // Only ASCII folds: a Latin-1 or UTF-8 byte is compared as is.
  EXPECT_FALSE(iequals("\xC3\xA1", "\xC3\x81"));
  // '@' and '`' sit next to 'A' and 'a' and must not be folded into them.
  EXPECT_FALSE(iequals("@", "`"));
}

TEST(IsToken, AcceptsRfc9110TcharsOnly) {
  EXPECT_TRUE(is_token("Content-Type"));
  EXPECT_TRUE(is_token("!#$%&'*+-.^_`|~09azAZ"));
  for (const char* bad :
       {"", "a b", "a:b", "a\"b", "a;b", "a,b", "a=b", "(a)", "a/b", "a\tb", "\xC3\xA1", "a\r\n"}) {
    EXPECT_FALSE(is_token(bad)) << bad;
  }
}

TEST(Headers, GetIsCaseInsensitiveAndReturnsTheFirst) {
  Headers h;
  h.add("Accept", "text/html");
  h.add("accept", "application/json");
  EXPECT_EQ(h.get("ACCEPT"), "text/html");
  EXPECT_TRUE(h.has("accept"));
  EXPECT_FALSE(h.get("Cookie").has_value());
}

TEST(Headers, AddKeepsEveryFieldInOrder) {
  Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("Vary", "Accept");
  h.add("Set-Cookie", "b=2");
  ASSERT_EQ(h.fields().size(), 3u);
  EXPECT_EQ(h.fields()[0].second, "a=1");
  EXPECT_EQ(h.fields()[2].second, "b=2");
}

TEST(Headers, SetReplacesAllFieldsOfThatNameInPlace) {
  Headers h;
  h.add("X-A", "1");
  h.add("Vary", "Accept");
  h.add("x-a", "2");
  h.add("X-B", "3");
  h.set("X-A", "new");
  ASSERT_EQ(h.fields().size(), 3u);
  EXPECT_EQ(h.fields()[0].first, "X-A");
  EXPECT_EQ(h.fields()[0].second, "new");
  EXPECT_EQ(h.fields()[1].first, "Vary");
  EXPECT_EQ(h.fields()[2].first, "X-B");
  h.set("Location", "/");
  EXPECT_EQ(h.fields().back().first, "Location");
}

TEST(Headers, EraseRemovesEveryFieldOfThatName) {
  Headers h;
  h.add("Set-Cookie", "a=1");
  h.add("Vary", "Accept");
  h.add("set-cookie", "b=2");
  h.erase("SET-COOKIE");
  ASSERT_EQ(h.fields().size(), 1u);
  EXPECT_EQ(h.fields()[0].first, "Vary");
  h.erase("absent");
  EXPECT_EQ(h.fields().size(), 1u);
}

TEST(Headers, CrLfAndNulInValuesCannotSplitTheHeader) {
  Headers h;
  h.set("Location", "/ok\r\nSet-Cookie: session=evil");
  h.add("X-Note", std::string("a\nb\0c", 5));
  EXPECT_EQ(h.get("Location"), "/ok  Set-Cookie: session=evil");
  EXPECT_EQ(h.get("X-Note"), "a b c");
  EXPECT_FALSE(h.has("Set-Cookie"));
}

}  // namespace
}  // namespace zocalo::http
