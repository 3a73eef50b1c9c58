// POST and GET of service requests and updates through the router as src/app wires it, on a
// demo-seeded database of each dialect (the Python suite drives the real binary on SQLite).
#include "requests/routes/open311_request_routes.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "db_fixture.hpp"
#include "platform/http/form.hpp"
#include "platform/http/gzip.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/locale.hpp"
#include "platform/web/renderer.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/requests.hpp"
#include "requests/store/api_key_store.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/demo_requests.hpp"

namespace zocalo::requests {
namespace {

namespace json = boost::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

class Open311RequestRoutesTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    auto key = ApiKeyStore(db()).add("app-test", 1'700'000'000);
    ASSERT_TRUE(key);
    key_ = key->key;
    auto loaded = web::Renderer::load();
    ASSERT_TRUE(loaded) << loaded.error().detail;
    renderer_ = std::move(*loaded);
    errors_ = std::make_unique<web::ErrorPages>(*renderer_);
    router_ = std::make_unique<http::Router>();
    router_->use(web::locale_middleware(renderer_->locales()));
    router_->set_fallback(errors_->fallback());
    ASSERT_TRUE(register_routes(*router_, db(), *errors_,
                                {.base_url = "https://311.example.mx", .contact = "ADIP"}));
    router_->finalize();
  }

  http::Response get(const std::string& target) {
    http::Request req;
    req.method = http::Method::kGet;
    req.target = target;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    req.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
    return router_->dispatch(req);
  }

  http::Response dispatch(http::Request& req) { return router_->dispatch(req); }

  http::Response post(const std::string& path, const Fields& fields) {
    http::Request req;
    req.method = http::Method::kPost;
    req.target = path;
    req.path = path;
    req.headers.set("Content-Type", "application/x-www-form-urlencoded");
    for (const auto& [name, value] : fields) {
      if (!req.body.empty()) req.body += '&';
      req.body += http::percent_encode(name) + "=" + http::percent_encode(value);
    }
    return router_->dispatch(req);
  }

  json::array array(const http::Response& res) {
    boost::system::error_code ec;
    json::value v = json::parse(res.body, ec);
    EXPECT_FALSE(ec) << res.body;
    EXPECT_TRUE(v.is_array()) << res.body;
    return v.is_array() ? v.as_array() : json::array{};
  }

  long long stored() {
    long long n = 0;
    db().with_session(
        [&](soci::session& sql) { sql << "SELECT COUNT(*) FROM service_requests", soci::into(n); });
    return n;
  }

  Fields report(const std::string& code, const std::string& lat, const std::string& lon) {
    return {{"api_key", key_}, {"service_code", code}, {"lat", lat}, {"long", lon}};
  }

  std::string key_;

 private:
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::ErrorPages> errors_;
  std::unique_ptr<http::Router> router_;
};

TEST_P(Open311RequestRoutesTest, APostedRequestReadsBackByIdAndInTheList) {
  Fields fields = report("fuga-de-agua", "19.3574", "-99.0573");
  fields.push_back({"attribute[severidad]", "chorro"});
  fields.push_back({"description", "<b>Fuga</b> & agua"});
  fields.push_back({"email", "vecina@example.org"});
  const http::Response res = post("/open311/v2/requests.json", fields);
  ASSERT_EQ(res.status, 200) << res.body;
  const json::array answer = array(res);
  ASSERT_EQ(answer.size(), 1u);
  const std::string id(answer[0].at("service_request_id").as_string());

  const http::Response one = get("/open311/v2/requests/" + id + ".json");
  ASSERT_EQ(one.status, 200) << one.body;
  const json::array found = array(one);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].at("service_code").as_string(), "fuga-de-agua");
  EXPECT_EQ(found[0].at("status").as_string(), "open");
  EXPECT_EQ(found[0].at("description").as_string(), "<b>Fuga</b> & agua");
  EXPECT_EQ(found[0].at("agency_responsible").as_string(),
            "Sistema de Aguas de la Ciudad de México");
  EXPECT_EQ(one.body.find("vecina@example.org"), std::string::npos);

  const http::Response xml = get("/open311/v2/requests/" + id + ".xml");
  ASSERT_EQ(xml.status, 200);
  EXPECT_NE(xml.body.find("<description>&lt;b&gt;Fuga&lt;/b&gt; &amp; agua</description>"),
            std::string::npos)
      << xml.body;

  const json::array listed = array(get("/open311/v2/requests.json?service_code=fuga-de-agua"));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].at("service_request_id").as_string(), id);
}

TEST_P(Open311RequestRoutesTest, RefusedPostsAreOpen311ErrorsAndStoreNothing) {
  const auto status_of = [&](const Fields& fields) {
    return post("/open311/v2/requests.json", fields).status;
  };
  EXPECT_EQ(status_of({{"service_code", "bache"}, {"lat", "19.4"}, {"long", "-99.1"}}), 403);
  EXPECT_EQ(status_of({{"api_key", "wrong"}, {"service_code", "bache"}}), 403);
  EXPECT_EQ(status_of(report("no-existe", "19.4326", "-99.1332")), 404);
  EXPECT_EQ(status_of({{"api_key", key_}, {"service_code", "banqueta-danada"}}), 400);
  EXPECT_EQ(status_of(report("banqueta-danada", "95", "-99.1332")), 400);
  EXPECT_EQ(status_of(report("banqueta-danada", "25.6866", "-100.3161")), 400);  // Monterrey
  Fields bad_attribute = report("bache", "19.4326", "-99.1332");
  bad_attribute.push_back({"attribute[ubicacion]", "en-la-luna"});
  EXPECT_EQ(status_of(bad_attribute), 400);
  const http::Response outside =
      post("/open311/v2/requests.xml", report("banqueta-danada", "0", "0"));
  EXPECT_EQ(outside.status, 400);
  EXPECT_NE(outside.body.find("outside the city"), std::string::npos) << outside.body;
  EXPECT_EQ(stored(), 0);
}

TEST_P(Open311RequestRoutesTest, UpdatesMoveTheRequestAndAreListed) {
  const http::Response res =
      post("/open311/v2/requests.json", report("banqueta-danada", "19.4326", "-99.1332"));
  ASSERT_EQ(res.status, 200) << res.body;
  const std::string id(array(res)[0].at("service_request_id").as_string());
  const http::Response fixed =
      post("/open311/v2/servicerequestupdates.json", {{"api_key", key_},
                                                      {"service_request_id", id},
                                                      {"status", "FIXED"},
                                                      {"description", "Reparada"}});
  ASSERT_EQ(fixed.status, 200) << fixed.body;
  const json::array after = array(get("/open311/v2/requests/" + id + ".json"));
  EXPECT_EQ(after[0].at("status").as_string(), "closed");
  EXPECT_EQ(after[0].at("status_notes").as_string(), "Reparada");
  const json::array updates =
      array(get("/open311/v2/servicerequestupdates.json?service_request_id=" + id));
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[1].at("status").as_string(), "FIXED");
  // A move the model refuses changes nothing.
  EXPECT_EQ(post("/open311/v2/servicerequestupdates.json",
                 {{"api_key", key_}, {"service_request_id", id}, {"status", "IN_PROGRESS"}})
                .status,
            400);
  EXPECT_EQ(array(get("/open311/v2/servicerequestupdates.json?service_request_id=" + id)).size(),
            2u);
}

TEST_P(Open311RequestRoutesTest, TheDemoKeyAndRulesRouteByAlcaldia) {
  ASSERT_TRUE(seed_demo_requests(db(), 1'793'642'400));
  Fields pothole{{"api_key", std::string(kDemoApiKey)},
                 {"service_code", "bache"},
                 {"lat", "19.1926"},
                 {"long", "-99.0237"},
                 {"attribute[ubicacion]", "arroyo"}};
  const http::Response res = post("/open311/v2/requests.json", pothole);
  ASSERT_EQ(res.status, 200) << res.body;
  const std::string id(array(res)[0].at("service_request_id").as_string());
  const json::array found = array(get("/open311/v2/requests/" + id + ".json?extensions=true"));
  EXPECT_EQ(found[0].at("agency_responsible").as_string(), "Alcaldía Milpa Alta");
  EXPECT_EQ(found[0].at("extended_attributes").at("channel").as_string(), "api");
}

ZOCALO_INSTANTIATE_DB_TEST(Open311RequestRoutesTest);

// Lists are kept between calls (ADR 0008) but never outlive the data: the same call is
// answered with the same bytes, in gzip when asked, until a request changes.
TEST_P(Open311RequestRoutesTest, AKeptListNeverShowsDataOlderThanTheLastChange) {
  const std::string list = "/open311/v2/requests.json?service_code=banqueta-danada";
  ASSERT_EQ(array(get(list)).size(), 0u);
  const http::Response filed =
      post("/open311/v2/requests.json", report("banqueta-danada", "19.4326", "-99.1332"));
  ASSERT_EQ(filed.status, 200) << filed.body;
  const std::string folio(array(filed)[0].at("service_request_id").as_string());

  const http::Response first = get(list);
  ASSERT_EQ(array(first).size(), 1u) << "the intake is listed at once";
  EXPECT_EQ(get(list).body, first.body);
  EXPECT_NE(first.headers.get("Vary").value_or("").find("Accept-Encoding"), std::string::npos);

  http::Request zipped;
  zipped.method = http::Method::kGet;
  zipped.target = list;
  zipped.path = "/open311/v2/requests.json";
  zipped.raw_query = "service_code=banqueta-danada";
  zipped.headers.set("Accept-Encoding", "gzip");
  const http::Response packed = dispatch(zipped);
  EXPECT_EQ(packed.headers.get("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(http::gzip_decompress(packed.body, 1 << 24).value_or(""), first.body);

  const http::Response updated =
      post("/open311/v2/servicerequestupdates.json", {{"api_key", key_},
                                                      {"service_request_id", folio},
                                                      {"status", "FIXED"},
                                                      {"description", "Banqueta reparada."}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  const json::array after = array(get(list));
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].at("status").as_string(), "closed");
  EXPECT_EQ(after[0].at("status_notes").as_string(), "Banqueta reparada.");
}

}  // namespace
}  // namespace zocalo::requests
