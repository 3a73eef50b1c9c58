#include "requests/open311/wire_value.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

namespace zocalo::requests::open311 {
namespace {

const std::string kDecl = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

WireValue sample() {
  WireValue formats = WireValue::array("format");
  formats.push(WireValue::string("text/xml")).push(WireValue::string("application/json"));
  WireValue doc = WireValue::object();
  doc.add("name", WireValue::string("x"))
      .add("none", WireValue::null())
      .add("n", WireValue::integer(-42))
      .add("flag", WireValue::boolean(false))
      .add("formats", std::move(formats))
      .add("empty", WireValue::array("item"));
  return doc;
}

TEST(WireValueTest, ObjectsAreElementsInXmlAndObjectsInJson) {
  EXPECT_EQ(render(sample(), "root", Format::kXml),
            kDecl +
                "<root><name>x</name><none/><n>-42</n><flag>false</flag><formats>"
                "<format>text/xml</format><format>application/json</format></formats>"
                "<empty></empty></root>");
  EXPECT_EQ(render(sample(), "root", Format::kJson),
            R"({"name":"x","none":null,"n":-42,"flag":false,)"
            R"("formats":["text/xml","application/json"],"empty":[]})");
}

TEST(WireValueTest, RootArrayDropsTheRootInJson) {
  WireValue list = WireValue::array("error");
  list.push(WireValue::object().add("code", WireValue::integer(400)));
  EXPECT_EQ(render(list, "errors", Format::kXml),
            kDecl + "<errors><error><code>400</code></error></errors>");
  EXPECT_EQ(render(list, "errors", Format::kJson), R"([{"code":400}])");
  EXPECT_EQ(render(WireValue::array("error"), "errors", Format::kJson), "[]");
}

TEST(WireValueTest, OptionalStringIsNullWhenEmpty) {
  EXPECT_EQ(WireValue::optional_string("").kind(), WireValue::Kind::kNull);
  EXPECT_EQ(WireValue::optional_string("a").kind(), WireValue::Kind::kString);
  EXPECT_EQ(WireValue::string("").kind(), WireValue::Kind::kString);
}

TEST(WireValueTest, CoordinatesHaveSevenDecimalsAndNoExponent) {
  EXPECT_EQ(WireValue::coordinate(19.4326077).scalar(), "19.4326077");
  EXPECT_EQ(WireValue::coordinate(-99.133208).scalar(), "-99.1332080");
  EXPECT_EQ(WireValue::coordinate(0).scalar(), "0.0000000");
  EXPECT_EQ(WireValue::coordinate(1e-12).scalar(), "0.0000000");
  EXPECT_EQ(WireValue::coordinate(-1e-12).scalar(), "0.0000000");
  EXPECT_EQ(WireValue::coordinate(-180).scalar(), "-180.0000000");
  EXPECT_EQ(WireValue::coordinate(std::nan("")).kind(), WireValue::Kind::kNull);
  EXPECT_EQ(WireValue::coordinate(std::numeric_limits<double>::infinity()).kind(),
            WireValue::Kind::kNull);
}

TEST(WireValueTest, DatetimesAreUtcWithZ) {
  EXPECT_EQ(WireValue::datetime(1'750'000'000).scalar(), "2025-06-15T15:06:40Z");
  EXPECT_EQ(WireValue::datetime(std::nullopt).kind(), WireValue::Kind::kNull);
}

TEST(WireValueTest, JsonStringsEscapeQuotesBackslashesAndControls) {
  EXPECT_EQ(json_quote("a\"b\\c\td\ne\rf"), R"("a\"b\\c\td\ne\rf")");
  EXPECT_EQ(json_quote("</script><script>alert(1)</script>"),
            R"("</script><script>alert(1)</script>")");
  EXPECT_EQ(json_quote(std::string("\0\x1F\xFF", 3)), "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
  EXPECT_EQ(json_quote("ñ 🚧"), "\"ñ 🚧\"");
}

TEST(WireValueTest, HostileTextStaysValidJson) {
  WireValue doc = WireValue::object();
  doc.add("t", WireValue::string(std::string("\"}],{\\\0\x01\x7F\xC3\x28\n", 12)));
  const std::string json = render(doc, "root", Format::kJson);
  boost::system::error_code ec;
  const auto parsed = boost::json::parse(json, ec);
  ASSERT_FALSE(ec) << json;
  EXPECT_EQ(parsed.at("t").as_string(), "\"}],{\\\xEF\xBF\xBD\xEF\xBF\xBD\x7F\xEF\xBF\xBD(\n");
}

TEST(WireValueTest, RandomBytesAlwaysGiveParsableJson) {
  std::mt19937 rng(311);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 5'000; ++round) {
    std::string input(static_cast<std::size_t>(round % 33), '\0');
    for (char& c : input) c = static_cast<char>(byte(rng));
    WireValue list = WireValue::array("x");
    list.push(WireValue::string(input));
    boost::system::error_code ec;
    boost::json::parse(render(list, "root", Format::kJson), ec);
    ASSERT_FALSE(ec) << round;
  }
}

TEST(WireValueTest, MisuseThrows) {
  WireValue s = WireValue::string("x");
  EXPECT_THROW(s.add("a", WireValue::null()), std::logic_error);
  EXPECT_THROW(s.push(WireValue::null()), std::logic_error);
}

}  // namespace
}  // namespace zocalo::requests::open311
