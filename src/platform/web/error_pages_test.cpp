#include "platform/web/error_pages.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace zocalo::web {
namespace {

class ErrorPagesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto loaded = Renderer::load();
    ASSERT_TRUE(loaded) << loaded.error().detail;
    renderer_ = std::move(*loaded).release();
  }
  static void TearDownTestSuite() {
    delete renderer_;
    renderer_ = nullptr;
  }
  static const Renderer& renderer() { return *renderer_; }

 private:
  static inline Renderer* renderer_ = nullptr;
};

TEST_F(ErrorPagesTest, EveryStatusHasAPageInBothLanguages) {
  const ErrorPages pages(renderer());
  for (const int status : {400, 403, 404, 405, 408, 413, 429, 431, 500, 503}) {
    for (const auto& [accept, lang, home] : {std::tuple{"es", "es-MX", "Ir al inicio"},
                                             std::tuple{"en", "en", "Go to the home page"}}) {
      http::Request req;
      req.headers.set("Accept-Language", accept);
      const http::Response res = pages.page(req, status);
      EXPECT_EQ(res.status, status);
      EXPECT_TRUE(res.headers.get("Content-Type")->starts_with("text/html"));
      EXPECT_NE(res.body.find("<html lang=\"" + std::string(lang) + "\">"), std::string::npos);
      EXPECT_NE(res.body.find(renderer().text(lang, "error." + std::to_string(status) + ".title")),
                std::string::npos)
          << status << " " << lang;
      EXPECT_NE(res.body.find(std::string("<a class=\"button\" href=\"/\">") + home),
                std::string::npos);
      EXPECT_NE(res.body.find(std::to_string(status)), std::string::npos);
      EXPECT_EQ(res.headers.get("Cache-Control"), "no-store");
    }
  }
}

TEST_F(ErrorPagesTest, UnknownStatusesBorrowTheirClassPage) {
  const ErrorPages pages(renderer());
  http::Request req;
  const http::Response res = pages.page(req, 418);
  EXPECT_EQ(res.status, 418);
  EXPECT_NE(res.body.find(renderer().text("es-MX", "error.400.title")), std::string::npos);
  const http::Response server = pages.page(req, 502);
  EXPECT_NE(server.body.find(renderer().text("es-MX", "error.500.title")), std::string::npos);
}

TEST_F(ErrorPagesTest, WorksOnAnAlmostEmptyRequest) {
  const ErrorPages pages(renderer());
  http::Request req;  // what the server has when a request line could not even be parsed
  req.raw_query = "%%%";
  req.headers.set("Cookie", "lang=%%%; ;;");
  const http::Response res = pages.page(req, 400);
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("<html lang=\"es-MX\">"), std::string::npos);
}

TEST_F(ErrorPagesTest, LanguageComesFromCookieWhenThereIsOne) {
  const ErrorPages pages(renderer());
  http::Request req;
  req.headers.set("Cookie", "lang=en");
  req.headers.set("Accept-Language", "es");
  EXPECT_NE(pages.page(req, 404).body.find("<html lang=\"en\">"), std::string::npos);
}

TEST_F(ErrorPagesTest, JsonClientsGetProblemJsonInTheirLanguage) {
  const ErrorPages pages(renderer());
  http::Request req;
  req.headers.set("Accept", "application/json");
  req.headers.set("Accept-Language", "en");
  const http::Response res = pages.page(req, 404);
  EXPECT_EQ(res.status, 404);
  EXPECT_TRUE(res.headers.get("Content-Type")->starts_with("application/problem+json"));
  const auto body = boost::json::parse(res.body).as_object();
  EXPECT_EQ(body.at("status").as_int64(), 404);
  EXPECT_EQ(body.at("title").as_string(), "Page not found");
  EXPECT_EQ(body.at("type").as_string(), "about:blank");
}

TEST_F(ErrorPagesTest, MethodNotAllowedCarriesAllow) {
  const ErrorPages pages(renderer());
  http::Request req;
  req.headers.set("Allow", "GET, HEAD");
  EXPECT_EQ(pages.page(req, 405).headers.get("Allow"), "GET, HEAD");
  http::Request routed;
  const http::Response res = pages.fallback()(routed, 405, "GET, HEAD, POST");
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.headers.get("Allow"), "GET, HEAD, POST");
  EXPECT_EQ(pages.renderer()(routed, 413).status, 413);
}

TEST_F(ErrorPagesTest, ErrorResponseMapsKindAndShowsOnlyTheLocalisedMessage) {
  const ErrorPages pages(renderer());
  http::Request req;
  req.locale = "es-MX";
  req.request_id = "req-123";
  const http::Response res =
      pages.error_response(req, Error::not_found("areas row 42 missing <secret>"));
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find(renderer().text("es-MX", "error.not_found")), std::string::npos);
  EXPECT_EQ(res.body.find("secret"), std::string::npos);
  EXPECT_NE(res.body.find("req-123"), std::string::npos);

  const http::Response internal = pages.error_response(req, Error::internal("db exploded"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("exploded"), std::string::npos);
}

TEST_F(ErrorPagesTest, ErrorResponseAsProblemJsonUsesUserKeyAsDetail) {
  const ErrorPages pages(renderer());
  http::Request req;
  req.headers.set("Accept", "application/json");
  req.headers.set("Accept-Language", "en");
  const http::Response res =
      pages.error_response(req, Error::invalid("portal.search.too_long", "q of 9000 bytes"));
  EXPECT_EQ(res.status, 400);
  const auto body = boost::json::parse(res.body).as_object();
  EXPECT_EQ(body.at("detail").as_string(), renderer().text("en", "portal.search.too_long"));
  EXPECT_EQ(res.body.find("9000"), std::string::npos);
}

TEST_F(ErrorPagesTest, UnknownUserKeyFallsBackToTheStatusText) {
  const ErrorPages pages(renderer());
  http::Request req;
  const http::Response res = pages.error_response(req, Error::conflict("no.such.key"));
  EXPECT_EQ(res.status, 409);
  EXPECT_NE(res.body.find(renderer().text("es-MX", "error.409.body")), std::string::npos);
  EXPECT_EQ(res.body.find("no.such.key"), std::string::npos);
}

}  // namespace
}  // namespace zocalo::web
