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

}  // namespace
}  // namespace zocalo::text
