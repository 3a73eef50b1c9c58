// The transparency pages through the router as src/app wires them, on demo data (the 16
// alcaldías, the 311 catalog and 320 demo requests) in each dialect: the figures page and the
// map within the 14 KB gzipped budget in both languages, bad parameters refused with 400, and
// the exports' headers, paging and formats.
#include "requests/routes/transparency_routes.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "db_fixture.hpp"
#include "platform/core/crypto.hpp"
#include "platform/core/time.hpp"
#include "platform/http/gzip.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/locale.hpp"
#include "platform/web/renderer.hpp"
#include "platform/web/session_store.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/requests.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/demo_requests.hpp"

namespace zocalo::requests {
namespace {

constexpr std::size_t kBudget = 14 * 1024;

class TransparencyRoutesTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    ASSERT_TRUE(seed_demo_requests(db(), time::now_unix()));
    auto loaded = web::Renderer::load();
    ASSERT_TRUE(loaded) << loaded.error().detail;
    renderer_ = std::move(*loaded);
    errors_ = std::make_unique<web::ErrorPages>(*renderer_);
    sessions_ = std::make_unique<web::DbSessionStore>(db());
    router_ = std::make_unique<http::Router>();
    router_->use(web::locale_middleware(renderer_->locales()));
    router_->set_fallback(errors_->fallback());
    RequestsOptions options;
    options.base_url = "https://311.example.mx";
    options.contact = "ADIP";
    options.renderer = renderer_.get();
    ASSERT_TRUE(register_routes(*router_, db(), *errors_, options));
    router_->finalize();
  }

  http::Response get(const std::string& target, const std::string& language = "es-MX") {
    http::Request req;
    req.method = http::Method::kGet;
    req.target = target;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    req.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
    req.headers.set("Accept-Language", language);
    req.session = http::Session(crypto::random_token(32), true, sessions_.get());
    return router_->dispatch(req);
  }

  static std::string header(const http::Response& res, const std::string& name) {
    return std::string(res.headers.get(name).value_or(""));
  }

  static std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }

  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::ErrorPages> errors_;
  std::unique_ptr<web::DbSessionStore> sessions_;
  std::unique_ptr<http::Router> router_;
};

TEST_P(TransparencyRoutesTest, FiguresInBothLanguagesAsTablesWithinTheBudget) {
  for (const char* period : {"", "?periodo=30", "?periodo=90", "?periodo=365"}) {
    const auto res = get(std::string("/reportes/cifras") + period);
    ASSERT_EQ(res.status, 200) << period;
    EXPECT_NE(res.body.find("<h1>Cifras de los reportes</h1>"), std::string::npos);
    EXPECT_EQ(count(res.body, "<caption"), 2u);
    EXPECT_NE(res.body.find("<th scope=\"row\">Fuga de agua</th>"), std::string::npos);
    EXPECT_NE(res.body.find("<th scope=\"col\">Cerrados a tiempo</th>"), std::string::npos);
    EXPECT_LE(http::gzip_compress(res.body).size(), kBudget) << period;
  }
  const auto en = get("/reportes/cifras?periodo=90", "en");
  ASSERT_EQ(en.status, 200);
  EXPECT_NE(en.body.find("<h1>Report figures</h1>"), std::string::npos);
  EXPECT_NE(en.body.find("<th scope=\"row\">Water leak</th>"), std::string::npos);
  EXPECT_NE(en.body.find("option value=\"90\" selected"), std::string::npos);
}

TEST_P(TransparencyRoutesTest, AnUnknownPeriodIsRefused) {
  for (const char* bad : {"?periodo=7", "?periodo=", "?periodo=30x", "?periodo=-30"}) {
    EXPECT_EQ(get(std::string("/reportes/cifras") + bad).status, 400) << bad;
  }
}

TEST_P(TransparencyRoutesTest, TheMapLinksEveryAlcaldiaAndHasTheSameNumbersInATable) {
  for (const char* lang : {"es-MX", "en"}) {
    const auto res = get("/reportes/mapa", lang);
    ASSERT_EQ(res.status, 200);
    EXPECT_NE(res.body.find("<svg viewBox=\"0 0 400 "), std::string::npos);
    EXPECT_EQ(count(res.body, "<path d=\"M"), 16u);
    // Each alcaldía: one link on the map and one in the table.
    EXPECT_EQ(count(res.body, "href=\"/reportes?alcaldia=09015\""), 2u);
    EXPECT_EQ(count(res.body, "<th scope=\"row\"><a href=\"/reportes?alcaldia="), 16u);
    EXPECT_NE(res.body.find("<title>Cuauhtémoc: "), std::string::npos);
    const std::size_t zipped = http::gzip_compress(res.body).size();
    EXPECT_LE(zipped, kBudget) << zipped;
  }
}

TEST_P(TransparencyRoutesTest, TheCsvIsAnAttachmentOpenToEveryOrigin) {
  const auto res = get("/reportes/datos.csv");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(header(res, "Content-Type").rfind("text/csv", 0), 0u);
  EXPECT_EQ(header(res, "Content-Disposition").rfind("attachment; filename=\"reportes-311-", 0),
            0u);
  EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(res.body.rfind("folio,service_code,", 0), 0u);
  // The demo's 320 requests span 60 days: all of them in the default 90, one page.
  EXPECT_EQ(count(res.body, "\r\n"), 321u);
  EXPECT_EQ(header(res, "Link"), "");
  // No personal column in the header ("phone" alone is a channel), no e-mail in any row.
  const std::string head = res.body.substr(0, res.body.find("\r\n"));
  for (const char* column : {"email", "first_name", "last_name", ",phone", "device", "account"}) {
    EXPECT_EQ(head.find(column), std::string::npos) << column;
  }
  EXPECT_EQ(res.body.find('@'), std::string::npos);
}

TEST_P(TransparencyRoutesTest, TheGeoJsonIsAFeatureCollectionOfPoints) {
  const auto res = get("/reportes/datos.geojson?desde=2000-01-01&hasta=2000-12-31");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(header(res, "Content-Type"), "application/geo+json");
  EXPECT_EQ(header(res, "Access-Control-Allow-Origin"), "*");
  auto empty = boost::json::parse(res.body);
  EXPECT_EQ(empty.at("type"), "FeatureCollection");
  EXPECT_TRUE(empty.at("features").as_array().empty());

  const auto all = get("/reportes/datos.geojson");
  ASSERT_EQ(all.status, 200);
  auto doc = boost::json::parse(all.body);
  const auto& features = doc.at("features").as_array();
  ASSERT_EQ(features.size(), 320u);
  for (const auto& f : features) {
    EXPECT_EQ(f.at("type"), "Feature");
    const auto& g = f.at("geometry");
    if (!g.is_null()) {
      EXPECT_EQ(g.at("type"), "Point");
      EXPECT_EQ(g.at("coordinates").as_array().size(), 2u);
    }
    EXPECT_FALSE(f.at("properties").as_object().contains("email"));
  }
}

TEST_P(TransparencyRoutesTest, BadDatesAndPagesAreRefused) {
  for (const char* bad : {"?desde=2026-02-30", "?hasta=hoy", "?desde=2026-05-01&hasta=2026-04-01",
                          "?desde=2024-01-01&hasta=2025-06-01", "?pagina=0", "?pagina=1001",
                          "?pagina=x", "?desde=26-01-01"}) {
    EXPECT_EQ(get(std::string("/reportes/datos.csv") + bad).status, 400) << bad;
    EXPECT_EQ(get(std::string("/reportes/datos.geojson") + bad).status, 400) << bad;
  }
  // A whole leap year is allowed.
  EXPECT_EQ(get("/reportes/datos.csv?desde=2024-01-01&hasta=2024-12-31").status, 200);
}

ZOCALO_INSTANTIATE_DB_TEST(TransparencyRoutesTest);

}  // namespace
}  // namespace zocalo::requests
