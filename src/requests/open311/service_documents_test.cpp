#include "requests/open311/service_documents.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>
#include <vector>

namespace zocalo::requests::open311 {
namespace {

const std::string kDecl = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

Service pothole() {
  Service s;
  s.code = "BACHE";
  s.name = {"Bache", "Pothole"};
  s.description = {"Hoyo en el pavimento", "Hole in the pavement"};
  s.group = {"Calles", "Streets"};
  s.keywords = {"bache", "pothole"};
  AttributeDefinition side;
  side.code = "LADO";
  side.datatype = AttributeDatatype::kSingleValueList;
  side.required = true;
  side.order = 2;
  side.description = "¿De qué lado de la calle?";
  side.datatype_description = "Elija uno";
  side.values = {{"N", "Norte"}, {"S", "Sur"}};
  AttributeDefinition notice;
  notice.code = "AVISO";
  notice.variable = false;
  notice.order = 1;
  notice.description = "Se reparan en 5 días hábiles.";
  s.attributes = {side, notice};  // listed out of order on purpose
  return s;
}

Service streetlight() {
  Service s;
  s.code = "LUMINARIA";
  s.name = {"Luminaria apagada", ""};  // no English: falls back to Spanish
  s.type = ServiceType::kBatch;
  return s;
}

TEST(ServiceDocumentsTest, ServiceListXmlInSpanishByDefault) {
  EXPECT_EQ(render_service_list({pothole(), streetlight()}, Format::kXml),
            kDecl +
                "<services><service><service_code>BACHE</service_code><service_name>Bache"
                "</service_name><description>Hoyo en el pavimento</description><metadata>true"
                "</metadata><type>realtime</type><keywords>bache, pothole</keywords><group>"
                "Calles</group></service><service><service_code>LUMINARIA</service_code>"
                "<service_name>Luminaria apagada</service_name><description/><metadata>false"
                "</metadata><type>batch</type><keywords/><group/></service></services>");
}

TEST(ServiceDocumentsTest, ServiceListJsonIsAnArrayWithBooleanMetadata) {
  EXPECT_EQ(render_service_list({pothole(), streetlight()}, Format::kJson, "en-US"),
            R"([{"service_code":"BACHE","service_name":"Pothole",)"
            R"("description":"Hole in the pavement","metadata":true,"type":"realtime",)"
            R"("keywords":"bache, pothole","group":"Streets"},)"
            R"({"service_code":"LUMINARIA","service_name":"Luminaria apagada","description":"",)"
            R"("metadata":false,"type":"batch","keywords":"","group":""}])");
}

TEST(ServiceDocumentsTest, EmptyServiceList) {
  EXPECT_EQ(render_service_list({}, Format::kXml), kDecl + "<services></services>");
  EXPECT_EQ(render_service_list({}, Format::kJson), "[]");
}

TEST(ServiceDocumentsTest, ServiceTypes) {
  EXPECT_EQ(to_string(ServiceType::kRealtime), "realtime");
  EXPECT_EQ(to_string(ServiceType::kBatch), "batch");
  EXPECT_EQ(to_string(ServiceType::kBlackbox), "blackbox");
}

TEST(ServiceDocumentsTest, DefinitionXmlSortsByOrderAndListsValuesOnlyForLists) {
  EXPECT_EQ(render_service_definition(pothole(), Format::kXml),
            kDecl +
                "<service_definition><service_code>BACHE</service_code><attributes>"
                "<attribute><variable>false</variable><code>AVISO</code><datatype>string"
                "</datatype><required>false</required><datatype_description/><order>1</order>"
                "<description>Se reparan en 5 días hábiles.</description></attribute>"
                "<attribute><variable>true</variable><code>LADO</code><datatype>"
                "singlevaluelist</datatype><required>true</required><datatype_description>"
                "Elija uno</datatype_description><order>2</order><description>¿De qué lado de "
                "la calle?</description><values><value><key>N</key><name>Norte</name></value>"
                "<value><key>S</key><name>Sur</name></value></values></attribute></attributes>"
                "</service_definition>");
}

TEST(ServiceDocumentsTest, DefinitionJsonIsAnObject) {
  EXPECT_EQ(
      render_service_definition(pothole(), Format::kJson),
      R"({"service_code":"BACHE","attributes":[)"
      R"({"variable":false,"code":"AVISO","datatype":"string","required":false,)"
      R"("datatype_description":null,"order":1,"description":"Se reparan en 5 días hábiles."},)"
      R"({"variable":true,"code":"LADO","datatype":"singlevaluelist","required":true,)"
      R"("datatype_description":"Elija uno","order":2,"description":"¿De qué lado de la calle?",)"
      R"("values":[{"key":"N","name":"Norte"},{"key":"S","name":"Sur"}]}]})");
}

TEST(ServiceDocumentsTest, HostileCatalogTextIsEscaped) {
  Service s = streetlight();
  s.name.es = "<script>alert(\"x\")</script> & 'y'";
  s.keywords = {"a\x01", "b\xFF"};
  EXPECT_EQ(render_service_list({s}, Format::kXml),
            kDecl +
                "<services><service><service_code>LUMINARIA</service_code><service_name>"
                "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;y&apos;"
                "</service_name><description/><metadata>false</metadata><type>batch</type>"
                "<keywords>a\xEF\xBF\xBD, b\xEF\xBF\xBD</keywords><group/></service></services>");
  const std::string json = render_service_list({s}, Format::kJson);
  const auto parsed = boost::json::parse(json);
  EXPECT_EQ(parsed.as_array().at(0).at("service_name").as_string(),
            "<script>alert(\"x\")</script> & 'y'");
}

}  // namespace
}  // namespace zocalo::requests::open311
