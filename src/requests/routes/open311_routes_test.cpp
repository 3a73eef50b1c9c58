// The Open311 routes as src/app wires them (locale middleware, the site's fallback), on a
// demo-seeded database of each dialect; requests go through the router without a socket.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "db_fixture.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/locale.hpp"
#include "platform/web/renderer.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/requests.hpp"
#include "requests/routes/open311_call.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

namespace json = boost::json;

// The declaration and the newline the writer puts after it.
constexpr std::string_view kXmlDeclaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";

std::string header(const http::Response& res, std::string_view name) {
  return std::string(res.headers.get(name).value_or(""));
}

json::value parse_json(const http::Response& res) {
  EXPECT_EQ(header(res, "Content-Type"), "application/json; charset=utf-8");
  boost::system::error_code ec;
  json::value v = json::parse(res.body, ec);
  EXPECT_FALSE(ec) << res.body;
  return v;
}

std::size_t count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The one error of an Open311 JSON error document: [{"code":…,"description":…}].
json::object only_error(const http::Response& res) {
  const json::value v = parse_json(res);
  if (!v.is_array() || v.as_array().size() != 1 || !v.as_array()[0].is_object()) {
    ADD_FAILURE() << "not an Open311 error array: " << res.body;
    return {};
  }
  const json::object& e = v.as_array()[0].as_object();
  EXPECT_EQ(e.at("code").as_int64(), res.status);
  EXPECT_TRUE(e.at("description").is_string());
  return e;
}

void expect_xml_error(const http::Response& res, int status) {
  EXPECT_EQ(res.status, status) << res.body;
  EXPECT_EQ(header(res, "Content-Type"), "text/xml; charset=utf-8");
  EXPECT_TRUE(res.body.starts_with(std::string(kXmlDeclaration) + "<errors><error><code>" +
                                   std::to_string(status) + "</code><description>"))
      << res.body;
  EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), "*");
}

class Open311RoutesTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    auto loaded = web::Renderer::load();
    ASSERT_TRUE(loaded) << loaded.error().detail;
    renderer_ = std::move(*loaded);
    errors_ = std::make_unique<web::ErrorPages>(*renderer_);
    router_ = std::make_unique<http::Router>();
    router_->use(web::locale_middleware(renderer_->locales()));
    router_->set_fallback(errors_->fallback());
    ASSERT_TRUE(register_routes(*router_, db(), *errors_,
                                {.base_url = "https://311.example.mx/",
                                 .jurisdiction_id = "cdmx",
                                 .contact = "Agencia Digital de Innovación Pública"}));
    router_->finalize();
  }

  http::Response get(const std::string& target, const std::string& accept_language = "") {
    http::Request req;
    req.method = http::Method::kGet;
    req.target = target;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    req.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
    if (!accept_language.empty()) req.headers.set("Accept-Language", accept_language);
    return router_->dispatch(req);
  }

  // The service list as JSON: code → object.
  std::map<std::string, json::object> listed(const std::string& query = "",
                                             const std::string& accept_language = "") {
    const http::Response res = get("/open311/v2/services.json" + query, accept_language);
    EXPECT_EQ(res.status, 200) << res.body;
    std::map<std::string, json::object> out;
    const json::value v = parse_json(res);
    for (const json::value& s : v.as_array()) {
      out[std::string(s.at("service_code").as_string())] = s.as_object();
    }
    return out;
  }

 private:
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::ErrorPages> errors_;
  std::unique_ptr<http::Router> router_;
};

TEST_P(Open311RoutesTest, DiscoveryNamesTheEndpointInBothFormats) {
  const http::Response res = get("/open311/v2/discovery.json");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), "*");
  const json::object d = parse_json(res).as_object();
  EXPECT_EQ(d.at("contact").as_string(), "Agencia Digital de Innovación Pública");
  EXPECT_TRUE(d.at("changeset").as_string().ends_with("Z"));
  const json::array& endpoints = d.at("endpoints").as_array();
  ASSERT_EQ(endpoints.size(), 1u);
  const json::object& e = endpoints[0].as_object();
  EXPECT_EQ(e.at("url").as_string(), "https://311.example.mx/open311/v2/");
  EXPECT_EQ(e.at("specification").as_string(), "http://wiki.open311.org/GeoReport_v2");
  EXPECT_EQ(e.at("changeset"), d.at("changeset"));
  EXPECT_EQ(json::serialize(e.at("formats")), R"(["text/xml","application/json"])");

  const http::Response xml = get("/open311/v2/discovery.xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_EQ(header(xml, "Content-Type"), "text/xml; charset=utf-8");
  EXPECT_EQ(header(xml, "Access-Control-Allow-Origin"), "*");
  EXPECT_TRUE(xml.body.starts_with(std::string(kXmlDeclaration) + "<discovery><changeset>"));
  EXPECT_NE(xml.body.find("<url>https://311.example.mx/open311/v2/</url>"), std::string::npos);
  EXPECT_NE(xml.body.find("<formats><format>text/xml</format><format>application/json</format>"),
            std::string::npos);
  // Stable: the same document on every call.
  EXPECT_EQ(get("/open311/v2/discovery.xml").body, xml.body);
}

TEST_P(Open311RoutesTest, ServiceListIsAJsonArrayOfTheActiveCatalogInSpanishByDefault) {
  const http::Response res = get("/open311/v2/services.json");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(header(res, "Content-Language"), "es-MX");
  const json::array list = parse_json(res).as_array();
  EXPECT_EQ(list.size(), 15u);
  const auto services = listed();
  const json::object& bache = services.at("bache");
  EXPECT_EQ(bache.at("service_name").as_string(), "Bache");
  EXPECT_EQ(bache.at("metadata"), json::value(true));
  EXPECT_EQ(bache.at("type").as_string(), "realtime");
  EXPECT_EQ(services.at("banqueta-danada").at("metadata"), json::value(false));
}

TEST_P(Open311RoutesTest, ServiceListXmlHasOneServiceElementPerService) {
  const http::Response res = get("/open311/v2/services.xml");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(header(res, "Content-Type"), "text/xml; charset=utf-8");
  EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), "*");
  EXPECT_TRUE(res.body.starts_with(std::string(kXmlDeclaration) + "<services><service>"));
  EXPECT_TRUE(res.body.ends_with("</service></services>"));
  EXPECT_EQ(count(res.body, "<service>"), 15u);
  EXPECT_NE(res.body.find("<service_code>bache</service_code><service_name>Bache</service_name>"),
            std::string::npos);
}

TEST_P(Open311RoutesTest, ServiceListSpeaksTheLocaleParameterOrTheNegotiatedLanguage) {
  EXPECT_EQ(listed("?locale=en").at("bache").at("service_name").as_string(), "Pothole");
  EXPECT_EQ(listed("?locale=en-US").at("bache").at("service_name").as_string(), "Pothole");
  EXPECT_EQ(listed("", "en-GB,en;q=0.9").at("bache").at("service_name").as_string(), "Pothole");
  EXPECT_EQ(listed("?lang=en").at("bache").at("service_name").as_string(), "Pothole");
  // The parameter wins over the browser's language; an unknown one leaves the negotiated one.
  EXPECT_EQ(listed("?locale=es", "en").at("bache").at("service_name").as_string(), "Bache");
  EXPECT_EQ(listed("?locale=fr", "en").at("bache").at("service_name").as_string(), "Pothole");
  EXPECT_EQ(listed("?locale=", "en").at("bache").at("service_name").as_string(), "Pothole");

  const http::Response xml = get("/open311/v2/services.xml?locale=en");
  EXPECT_EQ(header(xml, "Content-Language"), "en");
  EXPECT_NE(xml.body.find("<service_name>Pothole</service_name>"), std::string::npos);
}

TEST_P(Open311RoutesTest, EveryServiceWithMetadataHasADefinitionAndTheOthersAre404) {
  int with_metadata = 0;
  for (const auto& [code, service] : listed()) {
    SCOPED_TRACE(code);
    const http::Response res = get("/open311/v2/services/" + code + ".json");
    EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), "*");
    if (service.at("metadata").as_bool()) {
      ++with_metadata;
      ASSERT_EQ(res.status, 200) << res.body;
      const json::object d = parse_json(res).as_object();
      EXPECT_EQ(d.at("service_code").as_string(), code);
      EXPECT_FALSE(d.at("attributes").as_array().empty());
    } else {
      EXPECT_EQ(res.status, 404);
      EXPECT_NE(only_error(res).at("description").as_string().find("metadata"), std::string::npos);
    }
  }
  EXPECT_EQ(with_metadata, 13);
}

TEST_P(Open311RoutesTest, ServiceDefinitionInXml) {
  const http::Response res = get("/open311/v2/services/bache.xml?jurisdiction_id=cdmx");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(header(res, "Content-Type"), "text/xml; charset=utf-8");
  EXPECT_TRUE(res.body.starts_with(std::string(kXmlDeclaration) +
                                   "<service_definition><service_code>bache</service_code>"
                                   "<attributes><attribute><variable>"));
  EXPECT_EQ(count(res.body, "<attribute>"), 2u);
}

TEST_P(Open311RoutesTest, UnknownServiceCodeIs404InTheRequestedFormat) {
  const http::Response res = get("/open311/v2/services/no-existe.json");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(only_error(res).at("description").as_string(), "Unknown service_code 'no-existe'.");
  expect_xml_error(get("/open311/v2/services/no-existe.xml"), 404);
  expect_xml_error(get("/open311/v2/services/banqueta-danada.xml"), 404);
  // Not the shape of a code: answered without quoting it back.
  const http::Response odd = get("/open311/v2/services/%3Cscript%3E.json");
  EXPECT_EQ(odd.status, 404);
  EXPECT_EQ(only_error(odd).at("description").as_string(), "Unknown service_code.");
}

TEST_P(Open311RoutesTest, InactiveServicesAreNeitherListedNorDefined) {
  auto bache = ServiceStore(db()).find("bache");
  ASSERT_TRUE(bache && *bache);
  Service retired = **bache;
  retired.active = false;
  ASSERT_TRUE(ServiceStore(db()).import({retired}, ImportMode::kMerge));
  EXPECT_FALSE(listed().contains("bache"));
  EXPECT_EQ(listed().size(), 14u);
  const http::Response res = get("/open311/v2/services/bache.json");
  EXPECT_EQ(res.status, 404);
  only_error(res);
}

TEST_P(Open311RoutesTest, AnotherJurisdictionIs404AndOursOrNoneIsServed) {
  EXPECT_EQ(get("/open311/v2/services.json?jurisdiction_id=cdmx").status, 200);
  EXPECT_EQ(get("/open311/v2/services.json?jurisdiction_id=").status, 200);
  for (const std::string target :
       {"/open311/v2/services.json?jurisdiction_id=sf",
        "/open311/v2/services/bache.json?"
        "jurisdiction_id=CDMX",
        "/open311/v2/services.json?jurisdiction_id=cdmx&jurisdiction_id=sf"}) {
    SCOPED_TRACE(target);
    const http::Response res = get(target);
    EXPECT_EQ(res.status, 404);
    EXPECT_NE(only_error(res).at("description").as_string().find("jurisdiction_id"),
              std::string::npos);
  }
  expect_xml_error(get("/open311/v2/services.xml?jurisdiction_id=sf"), 404);
}

TEST_P(Open311RoutesTest, UnknownFormatIs404InXml) {
  for (const std::string target :
       {"/open311/v2/services.html", "/open311/v2/services.JSON", "/open311/v2/services/bache.yaml",
        "/open311/v2/discovery.txt", "/open311/v2/services.json.exe"}) {
    SCOPED_TRACE(target);
    expect_xml_error(get(target), 404);
  }
}

TEST_P(Open311RoutesTest, MalformedQueryStringIs400InTheRequestedFormat) {
  const http::Response res = get("/open311/v2/services.json?locale=%ZZ");
  EXPECT_EQ(res.status, 400);
  only_error(res);
  expect_xml_error(get("/open311/v2/services/bache.xml?jurisdiction_id=%FF"), 400);
}

TEST_P(Open311RoutesTest, OtherPathsUnderTheApiAre404InOpen311Form) {
  expect_xml_error(get("/open311/v2/services"), 404);
  expect_xml_error(get("/open311/v2/tokens/abc.xml"), 404);
  const http::Response res = get("/open311/v2/nothing/here.json");
  EXPECT_EQ(res.status, 404);
  only_error(res);
}

TEST_P(Open311RoutesTest, ADatabaseErrorIs500WithoutItsDetail) {
  db().with_session([](soci::session& sql) { sql << "DROP TABLE service_attributes"; });
  const http::Response res = get("/open311/v2/services.json");
  EXPECT_EQ(res.status, 500);
  EXPECT_EQ(only_error(res).at("description").as_string(), "Internal error.");
  EXPECT_EQ(res.body.find("service_attributes"), std::string::npos);
  expect_xml_error(get("/open311/v2/services/bache.xml"), 500);
}

TEST_P(Open311RoutesTest, ALostDatabaseConnectionIs503) {
  if (!postgres()) GTEST_SKIP() << "SQLite has no connection to lose";
  // Another node's pool ends every other session on this database, as a restart would.
  auto other = open_another(1);
  other->with_session([](soci::session& sql) {
    sql << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
           "WHERE datname = current_database() AND pid <> pg_backend_pid()";
  });
  const http::Response res = get("/open311/v2/services.json");
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(only_error(res).at("description").as_string(),
            "The service is temporarily unavailable; try again shortly.");
  // Each failed session reconnects on its next lease: soon every call is answered again.
  int status = 0;
  for (int i = 0; i < 20 && status != 200; ++i) status = get("/open311/v2/services.json").status;
  EXPECT_EQ(status, 200);
}

TEST_P(Open311RoutesTest, RegistrationRefusesABadBaseUrlOrAnEmptyJurisdiction) {
  auto renderer = web::Renderer::load();
  ASSERT_TRUE(renderer);
  const web::ErrorPages errors(**renderer);
  http::Router router;
  EXPECT_FALSE(register_routes(router, db(), errors, {.base_url = "311.example.mx"}));
  EXPECT_FALSE(register_routes(router, db(), errors,
                               {.base_url = "https://311.example.mx", .jurisdiction_id = ""}));
  EXPECT_TRUE(router.routes().empty());
}

ZOCALO_INSTANTIATE_DB_TEST(Open311RoutesTest);

TEST(Open311Answers, FailuresMapToOpen311ErrorsWithTheirStatus) {
  http::Request req;
  const http::Response unavailable =
      failure_answer(req, Error::unavailable("pool: connection refused"), open311::Format::kXml);
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_EQ(unavailable.body, std::string(kXmlDeclaration) +
                                  "<errors><error><code>503</code><description>The service is "
                                  "temporarily unavailable; try again shortly.</description>"
                                  "</error></errors>");
  EXPECT_EQ(header(unavailable, "Cache-Control"), "no-store");
  const http::Response missing =
      failure_answer(req, Error::not_found("row 12"), open311::Format::kJson);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, R"([{"code":404,"description":"Not found."}])");
  EXPECT_EQ(header(missing, "Access-Control-Allow-Origin"), "*");
}

}  // namespace
}  // namespace zocalo::requests
