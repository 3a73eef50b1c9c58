#include "requests/open311/xml_writer.hpp"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>
#include <string>

#include "platform/core/text.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::requests::open311 {
namespace {

const std::string kDecl = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

TEST(XmlWriterTest, WritesDeclarationNestedElementsAndEmptyElements) {
  XmlWriter xml;
  xml.open("errors");
  xml.open("error");
  xml.element("code", "400");
  xml.element("description", "");
  xml.close();
  xml.close();
  EXPECT_EQ(xml.finish(), kDecl + "<errors><error><code>400</code><description/></error></errors>");
}

TEST(XmlWriterTest, FinishClosesWhatIsStillOpenAndResets) {
  XmlWriter xml;
  xml.open("a");
  xml.open("b");
  xml.text("x");
  EXPECT_EQ(xml.finish(), kDecl + "<a><b>x</b></a>");
  xml.open("c");
  EXPECT_EQ(xml.finish(), kDecl + "<c></c>");
}

TEST(XmlWriterTest, EscapesMarkupAndQuotes) {
  EXPECT_EQ(text::escape_xml("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;y&quot;");
  EXPECT_EQ(text::escape_xml("]]>"), "]]&gt;");
  EXPECT_EQ(text::escape_xml("&amp;"), "&amp;amp;");  // never taken for an entity
}

TEST(XmlWriterTest, KeepsCarriageReturnThroughEndOfLineNormalisation) {
  EXPECT_EQ(text::escape_xml("a\r\nb\tc"), "a&#13;\nb\tc");
}

TEST(XmlWriterTest, ReplacesForbiddenCharactersAndInvalidUtf8) {
  EXPECT_EQ(text::escape_xml(std::string("a\0b\x1B[31m\xFF", 9)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD[31m\xEF\xBF\xBD");
}

TEST(XmlWriterTest, ElementNames) {
  EXPECT_TRUE(is_xml_name("service_request_id"));
  EXPECT_TRUE(is_xml_name("a-b.c1"));
  EXPECT_TRUE(is_xml_name("_x"));
  EXPECT_FALSE(is_xml_name(""));
  EXPECT_FALSE(is_xml_name("1a"));
  EXPECT_FALSE(is_xml_name("-a"));
  EXPECT_FALSE(is_xml_name("a b"));
  EXPECT_FALSE(is_xml_name("a<b"));
  EXPECT_FALSE(is_xml_name("ns:a"));
}

TEST(XmlWriterTest, MisuseIsABugAndThrows) {
  XmlWriter xml;
  EXPECT_THROW(xml.open("bad name"), std::logic_error);
  EXPECT_THROW(xml.text("before root"), std::logic_error);
  EXPECT_THROW(xml.close(), std::logic_error);
  xml.element("root", "");
  EXPECT_THROW(xml.open("second"), std::logic_error);
  EXPECT_THROW(xml.element("second", "x"), std::logic_error);
}

// Random bytes, as a fuzzer would send: the escaped text is always valid UTF-8 of XML
// characters, with no markup character left and every '&' starting one of our references.
TEST(XmlWriterTest, RandomBytesAlwaysBecomeSafeCharacterData) {
  std::mt19937 rng(311);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 40);
  for (int round = 0; round < 5'000; ++round) {
    std::string input(static_cast<std::size_t>(length(rng)), '\0');
    for (char& c : input) c = static_cast<char>(byte(rng));
    const std::string out = text::escape_xml(input);
    ASSERT_TRUE(utf8::is_valid(out));
    const auto decoded = utf8::decode(out);
    ASSERT_TRUE(decoded);
    for (char32_t c : *decoded) ASSERT_TRUE(text::is_xml_char(c)) << static_cast<unsigned>(c);
    ASSERT_EQ(out.find_first_of("<>\"'\r"), std::string::npos) << out;
    for (std::size_t at = out.find('&'); at != std::string::npos; at = out.find('&', at + 1)) {
      const std::string_view rest = std::string_view(out).substr(at);
      ASSERT_TRUE(rest.starts_with("&amp;") || rest.starts_with("&lt;") ||
                  rest.starts_with("&gt;") || rest.starts_with("&quot;") ||
                  rest.starts_with("&apos;") || rest.starts_with("&#13;"))
          << out;
    }
  }
}

}  // namespace
}  // namespace zocalo::requests::open311
