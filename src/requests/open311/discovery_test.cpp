#include "requests/open311/discovery.hpp"

#include <gtest/gtest.h>

#include <string>

namespace zocalo::requests::open311 {
namespace {

Discovery sample() {
  Discovery d;
  d.changeset = 1'750'000'000;
  d.contact = "311@zocalo.example, Locatel 55 5658 1111";
  d.key_service = "https://zocalo.example/open311/api_key";
  DiscoveryEndpoint e;
  e.url = "https://zocalo.example/open311/v2";
  e.changeset = 1'749'000'000;
  d.endpoints = {e};
  return d;
}

TEST(DiscoveryTest, JsonIsAnObject) {
  EXPECT_EQ(
      render_discovery(sample(), Format::kJson),
      R"({"changeset":"2025-06-15T15:06:40Z","contact":"311@zocalo.example, Locatel 55 5658 1111",)"
      R"("key_service":"https://zocalo.example/open311/api_key","endpoints":[)"
      R"({"specification":"http://wiki.open311.org/GeoReport_v2",)"
      R"("url":"https://zocalo.example/open311/v2","changeset":"2025-06-04T01:20:00Z",)"
      R"("type":"production","formats":["text/xml","application/json"]}]})");
}

TEST(DiscoveryTest, XmlRepeatsEndpointAndFormatElements) {
  Discovery d = sample();
  DiscoveryEndpoint test_endpoint;
  test_endpoint.url = "https://test.zocalo.example/open311/v2";
  test_endpoint.changeset = 1'749'000'000;
  test_endpoint.type = "test";
  test_endpoint.formats = {Format::kXml};
  d.endpoints.push_back(test_endpoint);
  EXPECT_EQ(render_discovery(d, Format::kXml),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            "<discovery><changeset>2025-06-15T15:06:40Z</changeset><contact>311@zocalo.example, "
            "Locatel 55 5658 1111</contact><key_service>https://zocalo.example/open311/api_key"
            "</key_service><endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2"
            "</specification><url>https://zocalo.example/open311/v2</url><changeset>"
            "2025-06-04T01:20:00Z</changeset><type>production</type><formats><format>text/xml"
            "</format><format>application/json</format></formats></endpoint><endpoint>"
            "<specification>http://wiki.open311.org/GeoReport_v2</specification><url>"
            "https://test.zocalo.example/open311/v2</url><changeset>2025-06-04T01:20:00Z"
            "</changeset><type>test</type><formats><format>text/xml</format></formats>"
            "</endpoint></endpoints></discovery>");
}

}  // namespace
}  // namespace zocalo::requests::open311
