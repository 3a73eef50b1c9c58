#include "platform/http/header_syntax.hpp"

#include <gtest/gtest.h>

namespace zocalo::http {
namespace {

TEST(QValueTest, ParsesTheGrammarInThousandths) {
  EXPECT_EQ(parse_qvalue("1"), 1000);
  EXPECT_EQ(parse_qvalue("1.000"), 1000);
  EXPECT_EQ(parse_qvalue("0"), 0);
  EXPECT_EQ(parse_qvalue("0.5"), 500);
  EXPECT_EQ(parse_qvalue("0.125"), 125);
  EXPECT_EQ(parse_qvalue("0."), 0);
}

TEST(QValueTest, RejectsWhatTheGrammarDoesNot) {
  for (std::string_view bad : {"", "2", "1.5", "1.001", "0.1234", "-0", ".5", "0,5", "0.5x", "q"}) {
    EXPECT_FALSE(parse_qvalue(bad).has_value()) << bad;
  }
}

TEST(QValueTest, TrimsOnlyOptionalWhitespace) {
  EXPECT_EQ(trim_ows(" \tgzip \t"), "gzip");
  EXPECT_EQ(trim_ows("\n gzip"), "\n gzip");
  EXPECT_EQ(trim_ows("   "), "");
}

}  // namespace
}  // namespace zocalo::http
