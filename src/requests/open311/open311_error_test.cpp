#include "requests/open311/open311_error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace zocalo::requests::open311 {
namespace {

TEST(Open311ErrorTest, XmlErrorsDocument) {
  EXPECT_EQ(render_errors({{403, "api_key is missing or not valid"}}, Format::kXml),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<errors><error><code>403</code><description>api_key is missing or not valid"
            "</description></error></errors>");
}

TEST(Open311ErrorTest, JsonIsAnArrayEvenForOneError) {
  EXPECT_EQ(render_errors({{404, "service_code not found"}}, Format::kJson),
            R"([{"code":404,"description":"service_code not found"}])");
  EXPECT_EQ(render_errors({{400, "a"}, {400, "b \"quoted\""}}, Format::kJson),
            R"([{"code":400,"description":"a"},{"code":400,"description":"b \"quoted\""}])");
}

TEST(Open311ErrorTest, HttpStatusIsTheFirstErrorsCode) {
  EXPECT_EQ(http_status({{404, "x"}, {400, "y"}}), 404);
  EXPECT_EQ(http_status({}), 400);
}

}  // namespace
}  // namespace zocalo::requests::open311
