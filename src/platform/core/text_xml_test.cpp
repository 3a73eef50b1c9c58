#include <gtest/gtest.h>

#include <string>

#include "platform/core/text.hpp"

namespace zocalo::text {
namespace {

const std::string kFffd = "\xEF\xBF\xBD";

TEST(XmlTextTest, PlainTextAndAllowedControlsPassUnchanged) {
  EXPECT_EQ(clean_xml_text("Bache en Avenida Juárez, 3 m² \t\r\n"),
            "Bache en Avenida Juárez, 3 m² \t\r\n");
  EXPECT_EQ(clean_xml_text("emoji 🚧 and CJK 道路"), "emoji 🚧 and CJK 道路");
  EXPECT_EQ(clean_xml_text(""), "");
}

TEST(XmlTextTest, ControlCharactersXmlForbidsBecomeReplacementCharacters) {
  EXPECT_EQ(clean_xml_text(std::string("a\0b", 3)), "a" + kFffd + "b");
  EXPECT_EQ(clean_xml_text("\x01\x08\x0B\x0C\x0E\x1F"),
            kFffd + kFffd + kFffd + kFffd + kFffd + kFffd);
  EXPECT_EQ(clean_xml_text("\xEF\xBF\xBE|\xEF\xBF\xBF"), kFffd + "|" + kFffd);  // U+FFFE, U+FFFF
  // DEL and C1 controls are allowed (if discouraged) by XML 1.0: kept.
  EXPECT_EQ(clean_xml_text("\x7F\xC2\x85"), "\x7F\xC2\x85");
}

TEST(XmlTextTest, InvalidUtf8BytesAreReplacedOneByOne) {
  EXPECT_EQ(clean_xml_text("a\xFF"
                           "b"),
            "a" + kFffd + "b");
  EXPECT_EQ(clean_xml_text("\xC0\xAF"), kFffd + kFffd);                          // overlong '/'
  EXPECT_EQ(clean_xml_text("\xED\xA0\x80"), kFffd + kFffd + kFffd);              // surrogate U+D800
  EXPECT_EQ(clean_xml_text("caf\xC3"), "caf" + kFffd);                           // truncated é
  EXPECT_EQ(clean_xml_text("\xF4\x90\x80\x80"), kFffd + kFffd + kFffd + kFffd);  // > U+10FFFF
}

TEST(XmlTextTest, XmlCharProductionBoundaries) {
  EXPECT_FALSE(is_xml_char(0x0));
  EXPECT_TRUE(is_xml_char(0x9));
  EXPECT_TRUE(is_xml_char(0xA));
  EXPECT_TRUE(is_xml_char(0xD));
  EXPECT_FALSE(is_xml_char(0x1F));
  EXPECT_TRUE(is_xml_char(0x20));
  EXPECT_TRUE(is_xml_char(0xD7FF));
  EXPECT_FALSE(is_xml_char(0xD800));
  EXPECT_TRUE(is_xml_char(0xE000));
  EXPECT_TRUE(is_xml_char(0xFFFD));
  EXPECT_FALSE(is_xml_char(0xFFFE));
  EXPECT_TRUE(is_xml_char(0x10000));
  EXPECT_TRUE(is_xml_char(0x10FFFF));
  EXPECT_FALSE(is_xml_char(0x110000));
}

}  // namespace
}  // namespace zocalo::text
