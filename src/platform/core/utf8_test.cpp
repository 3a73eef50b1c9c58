#include "platform/core/utf8.hpp"

#include <gtest/gtest.h>

namespace zocalo::utf8 {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  for (std::string_view ok : {"", "abc", "Coyoacán", "ñandú", "東京", "🌮", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_TRUE(is_valid(ok)) << ok;
  }
}

TEST(Utf8Test, RejectsEveryIllFormedShape) {
  for (std::string_view bad :
       {"\x80", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF0\x80\x80\xAF",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xC3", "\xE2\x82", "a\xC3(b"}) {
    EXPECT_FALSE(is_valid(bad)) << testing::PrintToString(std::string(bad));
    EXPECT_FALSE(decode(bad).has_value());
  }
}

TEST(Utf8Test, TruncateCutsAtCodePointBoundaries) {
  EXPECT_EQ(truncate("Núñez", 3), "N\xc3\xba");  // "Nú": the ñ would not fit whole
  EXPECT_EQ(truncate("Núñez", 2), "N");
  EXPECT_EQ(truncate("Núñez", 100), "Núñez");
  EXPECT_EQ(truncate("a\xff", 10), "a\xef\xbf\xbd");  // invalid byte replaced, then kept
  EXPECT_EQ(truncate("", 0), "");
}

TEST(Utf8Test, CountsCodePointsNotBytes) {
  EXPECT_EQ(count_code_points(""), 0u);
  EXPECT_EQ(count_code_points("abc"), 3u);
  EXPECT_EQ(count_code_points("ñandú"), 5u);
  EXPECT_EQ(count_code_points("東京"), 2u);
  EXPECT_EQ(count_code_points("🌮"), 1u);
}

TEST(Utf8Test, ReplacesIllFormedBytesWithTheReplacementCharacter) {
  EXPECT_EQ(to_valid("a\xFF"
                     "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(to_valid("ñ"), "ñ");
}

TEST(Utf8Test, DecodeAndEncodeRoundTrip) {
  for (std::string_view text : {"", "Zócalo", "東京", "🌮 y más"}) {
    const auto decoded = decode(text);
    ASSERT_TRUE(decoded.has_value()) << text;
    EXPECT_EQ(encode(*decoded), text);
  }
  EXPECT_EQ(decode("ñ")->size(), 1u);
}

}  // namespace
}  // namespace zocalo::utf8
