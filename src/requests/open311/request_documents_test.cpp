#include "requests/open311/request_documents.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

namespace zocalo::requests::open311 {
namespace {

const std::string kDecl = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

RequestView pothole_request() {
  RequestView r;
  r.service_request_id = "7KQ3M9XA";
  r.status = Open311Status::kOpen;
  r.service_name = {"Bache", "Pothole"};
  r.service_code = "BACHE";
  r.description = "Hoyo grande";
  r.agency_responsible = "Alcaldía Cuauhtémoc";
  r.requested_datetime = 1'750'000'000;
  r.updated_datetime = 1'750'003'600;
  r.address = "Av. Juárez 10";
  r.zipcode = "06000";
  r.location = GeoPoint{-99.133208, 19.4326077};
  return r;
}

TEST(RequestDocumentsTest, RequestListXml) {
  EXPECT_EQ(render_requests({pothole_request()}, Format::kXml),
            kDecl +
                "<service_requests><request><service_request_id>7KQ3M9XA</service_request_id>"
                "<status>open</status><status_notes/><service_name>Bache</service_name>"
                "<service_code>BACHE</service_code><description>Hoyo grande</description>"
                "<agency_responsible>Alcaldía Cuauhtémoc</agency_responsible><service_notice/>"
                "<requested_datetime>2025-06-15T15:06:40Z</requested_datetime>"
                "<updated_datetime>2025-06-15T16:06:40Z</updated_datetime><expected_datetime/>"
                "<address>Av. Juárez 10</address><address_id/><zipcode>06000</zipcode>"
                "<lat>19.4326077</lat><long>-99.1332080</long><media_url/></request>"
                "</service_requests>");
}

TEST(RequestDocumentsTest, SingleRequestJsonIsAnArrayOfOneWithNullsForAbsentFields) {
  EXPECT_EQ(
      render_requests({pothole_request()}, Format::kJson, "en"),
      R"([{"service_request_id":"7KQ3M9XA","status":"open","status_notes":null,)"
      R"("service_name":"Pothole","service_code":"BACHE","description":"Hoyo grande",)"
      R"("agency_responsible":"Alcaldía Cuauhtémoc","service_notice":null,)"
      R"("requested_datetime":"2025-06-15T15:06:40Z","updated_datetime":"2025-06-15T16:06:40Z",)"
      R"("expected_datetime":null,"address":"Av. Juárez 10","address_id":null,)"
      R"("zipcode":"06000","lat":19.4326077,"long":-99.1332080,"media_url":null}])");
}

TEST(RequestDocumentsTest, EmptyListAndAddressOnlyRequest) {
  EXPECT_EQ(render_requests({}, Format::kJson), "[]");
  EXPECT_EQ(render_requests({}, Format::kXml), kDecl + "<service_requests></service_requests>");
  RequestView r = pothole_request();
  r.location.reset();
  const auto parsed = boost::json::parse(render_requests({r}, Format::kJson));
  EXPECT_TRUE(parsed.as_array().at(0).at("lat").is_null());
  EXPECT_TRUE(parsed.as_array().at(0).at("long").is_null());
}

TEST(RequestDocumentsTest, ClosedRequestWithExtendedAttributes) {
  RequestView r = pothole_request();
  r.status = Open311Status::kClosed;
  r.status_notes = "Reparado";
  r.expected_datetime = 1'750'100'000;
  ExtendedAttributes x;
  x.channel = "phone";
  x.duplicate_of = "2B4C6D8E";
  x.notes = {{1'750'000'000, "Recibido", ""}};
  x.photos = {{"https://zocalo.example/m/1.jpg", "Antes", std::nullopt}};
  r.extended_attributes = x;
  const std::string json = render_requests({r}, Format::kJson);
  EXPECT_NE(json.find(R"("status":"closed","status_notes":"Reparado")"), std::string::npos);
  EXPECT_NE(json.find(R"("expected_datetime":"2025-06-16T18:53:20Z")"), std::string::npos);
  EXPECT_NE(
      json.find(R"("media_url":null,"extended_attributes":{"channel":"phone",)"
                R"("duplicate_of":"2B4C6D8E","parent_service_request_id":null,)"
                R"("notes":[{"datetime":"2025-06-15T15:06:40Z","summary":"Recibido",)"
                R"("description":null}],"photos":[{"media_url":"https://zocalo.example/m/1.jpg",)"
                R"("title":"Antes","created_datetime":null}]}}])"),
      std::string::npos)
      << json;
  const std::string xml = render_requests({r}, Format::kXml);
  EXPECT_NE(xml.find("<media_url/><extended_attributes><channel>phone</channel><duplicate_of>"
                     "2B4C6D8E</duplicate_of><parent_service_request_id/><notes><note><datetime>"
                     "2025-06-15T15:06:40Z</datetime><summary>Recibido</summary><description/>"
                     "</note></notes><photos><photo><media_url>https://zocalo.example/m/1.jpg"
                     "</media_url><title>Antes</title><created_datetime/></photo></photos>"
                     "</extended_attributes></request></service_requests>"),
            std::string::npos)
      << xml;
}

TEST(RequestDocumentsTest, HostileDescriptionIsEscapedInBothFormats) {
  RequestView r = pothole_request();
  r.description = std::string("</description><status>closed</status>&\"'\0\r\n\xC3", 44);
  const std::string xml = render_requests({r}, Format::kXml);
  EXPECT_NE(xml.find("<description>&lt;/description&gt;&lt;status&gt;closed&lt;/status&gt;"
                     "&amp;&quot;&apos;\xEF\xBF\xBD&#13;\n\xEF\xBF\xBD</description>"),
            std::string::npos)
      << xml;
  const auto parsed = boost::json::parse(render_requests({r}, Format::kJson));
  EXPECT_EQ(parsed.as_array().at(0).at("description").as_string(),
            "</description><status>closed</status>&\"'\xEF\xBF\xBD\r\n\xEF\xBF\xBD");
}

TEST(RequestDocumentsTest, PostAnswerWithIdOrToken) {
  PostAnswer realtime{"7KQ3M9XA", "", "Se atiende en 5 días hábiles.", ""};
  EXPECT_EQ(render_post_answer({realtime}, Format::kJson),
            R"([{"service_request_id":"7KQ3M9XA","service_notice":"Se atiende en 5 días hábiles.",)"
            R"("account_id":null}])");
  EXPECT_EQ(render_post_answer({realtime}, Format::kXml),
            kDecl +
                "<service_requests><request><service_request_id>7KQ3M9XA</service_request_id>"
                "<service_notice>Se atiende en 5 días hábiles.</service_notice><account_id/>"
                "</request></service_requests>");
  PostAnswer batch{"", "tok-123", "", "acct-9"};
  EXPECT_EQ(render_post_answer({batch}, Format::kJson),
            R"([{"token":"tok-123","service_notice":null,"account_id":"acct-9"}])");
  EXPECT_EQ(render_post_answer({batch}, Format::kXml),
            kDecl +
                "<service_requests><request><token>tok-123</token><service_notice/>"
                "<account_id>acct-9</account_id></request></service_requests>");
}

TEST(RequestDocumentsTest, TokenAnswer) {
  EXPECT_EQ(render_token_answer({{"7KQ3M9XA", "tok-123"}}, Format::kJson),
            R"([{"service_request_id":"7KQ3M9XA","token":"tok-123"}])");
  EXPECT_EQ(render_token_answer({{"", "tok-123"}}, Format::kJson),
            R"([{"service_request_id":null,"token":"tok-123"}])");
  EXPECT_EQ(render_token_answer({{"7KQ3M9XA", "tok-123"}}, Format::kXml),
            kDecl +
                "<service_requests><request><service_request_id>7KQ3M9XA</service_request_id>"
                "<token>tok-123</token></request></service_requests>");
}

}  // namespace
}  // namespace zocalo::requests::open311
