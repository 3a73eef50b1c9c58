#include "requests/open311/format.hpp"

#include <gtest/gtest.h>

namespace zocalo::requests::open311 {
namespace {

TEST(Open311FormatTest, SuffixesXmlAndJson) {
  auto xml = parse_format("xml");
  ASSERT_TRUE(xml);
  EXPECT_EQ(*xml, Format::kXml);
  auto json = parse_format("json");
  ASSERT_TRUE(json);
  EXPECT_EQ(*json, Format::kJson);
}

TEST(Open311FormatTest, AnythingElseIsNotFound) {
  for (const char* suffix : {"", "XML", "Json", "html", "jsonp", "xml ", "csv"}) {
    auto f = parse_format(suffix);
    ASSERT_FALSE(f) << suffix;
    EXPECT_EQ(f.error().kind, ErrorKind::kNotFound) << suffix;
    EXPECT_EQ(f.error().user_key, "requests.open311.unknown_format");
  }
}

TEST(Open311FormatTest, ContentTypes) {
  EXPECT_EQ(content_type(Format::kXml), "text/xml; charset=utf-8");
  EXPECT_EQ(content_type(Format::kJson), "application/json; charset=utf-8");
  EXPECT_EQ(media_type(Format::kXml), "text/xml");
  EXPECT_EQ(media_type(Format::kJson), "application/json");
  EXPECT_EQ(to_string(Format::kJson), "json");
}

}  // namespace
}  // namespace zocalo::requests::open311
