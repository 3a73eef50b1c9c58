#include "requests/open311/post_request.hpp"

#include <gtest/gtest.h>

namespace zocalo::requests::open311 {
namespace {

bool mentions(const std::vector<Open311Error>& errors, std::string_view what) {
  for (const Open311Error& e : errors) {
    if (e.code == 400 && e.description.find(what) != std::string::npos) return true;
  }
  return false;
}

TEST(PostRequestTest, ReadsEveryFieldOfTheSpec) {
  const auto parsed = parse_post_request({{"api_key", "k"},
                                          {"service_code", "bache"},
                                          {"lat", "19.4326"},
                                          {"long", "-99.1332"},
                                          {"address_string", "Zócalo"},
                                          {"email", "a@example.org"},
                                          {"phone", "5512345678"},
                                          {"first_name", "Ana"},
                                          {"last_name", "Pérez"},
                                          {"device_id", "d1"},
                                          {"account_id", "42"},
                                          {"description", "<b>hoyo</b>"},
                                          {"media_url", "https://x.org/a.jpg"},
                                          {"attribute[ubicacion]", "arroyo"},
                                          {"attribute[residuos][]", "a"},
                                          {"attribute[residuos][]", "b"}});
  ASSERT_TRUE(parsed.ok()) << parsed.errors[0].description;
  const PostRequestInput& in = parsed.input;
  ASSERT_TRUE(in.point);
  EXPECT_DOUBLE_EQ(in.point->lat, 19.4326);
  EXPECT_DOUBLE_EQ(in.point->lon, -99.1332);
  EXPECT_EQ(in.description, "<b>hoyo</b>");
  EXPECT_EQ(in.contact.account_id, "42");
  ASSERT_EQ(in.attributes.size(), 2u);
  EXPECT_EQ(in.attributes[1].values.size(), 2u);
}

TEST(PostRequestTest, ALocationIsRequiredAndEmptyMeansAbsent) {
  EXPECT_TRUE(mentions(parse_post_request({{"service_code", "x"}}).errors, "location"));
  EXPECT_TRUE(
      mentions(parse_post_request({{"lat", ""}, {"long", " "}}).errors, "location is required"));
  EXPECT_TRUE(parse_post_request({{"address_id", "A-1"}}).ok());
  EXPECT_TRUE(parse_post_request({{"address_string", "Calle 5"}}).ok());
}

TEST(PostRequestTest, CoordinatesAreCheckedAsAPair) {
  EXPECT_TRUE(mentions(parse_post_request({{"lat", "19.4"}}).errors, "together"));
  for (const auto& [lat, lon] :
       std::vector<std::pair<std::string, std::string>>{{"91", "-99"},
                                                        {"19", "-181"},
                                                        {"NaN", "-99"},
                                                        {"19", "inf"},
                                                        {"1e1", "2"},
                                                        {"19; DROP TABLE x", "-99"}}) {
    const auto parsed = parse_post_request({{"lat", lat}, {"long", lon}});
    EXPECT_FALSE(parsed.ok()) << lat << "," << lon;
    EXPECT_TRUE(mentions(parsed.errors, "lat")) << lat << "," << lon;
  }
  EXPECT_TRUE(mentions(parse_post_request({{"lat", "1"}, {"lat", "2"}, {"long", "3"}}).errors,
                       "more than once"));
}

TEST(PostRequestTest, EveryTextFieldIsBounded) {
  const FormFields base{{"address_id", "x"}};
  auto with = [&](std::string name, std::string value) {
    FormFields f = base;
    f.emplace_back(std::move(name), std::move(value));
    return parse_post_request(f);
  };
  EXPECT_TRUE(mentions(with("description", std::string(4001, 'a')).errors, "description"));
  EXPECT_TRUE(with("description", std::string(4000, 'a')).ok());
  EXPECT_TRUE(mentions(with("email", "x' OR 1=1 --").errors, "email"));
  EXPECT_TRUE(mentions(with("phone", "<script>").errors, "phone"));
  EXPECT_TRUE(mentions(with("first_name", "<script>alert(1)</script>").errors, "first_name"));
  EXPECT_TRUE(mentions(with("device_id", "1; DROP TABLE x").errors, "device_id"));
  EXPECT_TRUE(mentions(with("media_url", "javascript:alert(1)").errors, "media_url"));
  EXPECT_TRUE(mentions(with("attribute[x", "1").errors, "attribute"));
}

TEST(PostRequestTest, UpdatesNeedAnIdAndAFixMyStreetStatus) {
  const auto ok = parse_post_update(
      {{"service_request_id", "ABC"}, {"status", "IN_PROGRESS"}, {"description", "Vamos"}});
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.input.status, RequestStatus::kInProgress);
  EXPECT_EQ(ok.input.description, "Vamos");
  EXPECT_EQ(parse_post_update({{"service_request_id", "A"}, {"status", "CLOSED"}}).input.status,
            RequestStatus::kClosedNotFixed);
  EXPECT_TRUE(mentions(parse_post_update({{"status", "OPEN"}}).errors, "service_request_id"));
  EXPECT_TRUE(mentions(parse_post_update({{"service_request_id", "A"}}).errors, "status"));
  EXPECT_TRUE(mentions(parse_post_update({{"service_request_id", "A"}, {"status", "open"}}).errors,
                       "status"));
}

}  // namespace
}  // namespace zocalo::requests::open311
