#include "platform/core/text.hpp"

#include <gtest/gtest.h>

namespace zocalo::text {
namespace {

TEST(TextTest, TrimSpaceRemovesAsciiWhitespaceAtBothEndsOnly) {
  EXPECT_EQ(trim_space("  hola mundo \r\n"), "hola mundo");
  EXPECT_EQ(trim_space("\t\f\v"), "");
  EXPECT_EQ(trim_space(""), "");
  EXPECT_EQ(trim_space("sin espacios"), "sin espacios");
  EXPECT_EQ(trim_space("\xC2\xA0x"), "\xC2\xA0x");  // a no-break space is text, not ASCII space
}

TEST(TextTest, QuoteForLogKeepsOnlyAShortPrintableStart) {
  EXPECT_EQ(quote_for_log("bache"), "'bache'");
  EXPECT_EQ(quote_for_log("a\nb\x1b[31m\xC3\xB1"),
            "'a?b?[31m?"
            "?'");  // split: not a trigraph
  EXPECT_EQ(quote_for_log(std::string(50, 'x'), 4), "'xxxx...'");
}

TEST(TextTest, PrintableAsciiAndJsonEscaping) {
  EXPECT_TRUE(is_printable_ascii("Hola, mundo ~"));
  EXPECT_FALSE(is_printable_ascii("tab\t"));
  EXPECT_FALSE(is_printable_ascii("ñ"));
  std::string out;
  append_json_escaped(out, "a\"b\\c\n\x01");
  EXPECT_EQ(out, "a\\\"b\\\\c\\n\\u0001");
}

}  // namespace
}  // namespace zocalo::text
