// ARCHITECTURE.md: a page's first response, compressed, fits RFC 6928's initial window (10
// segments, 14,600 bytes) so the lowest-end phone on a slow link gets it in one round trip.
#include <gtest/gtest.h>
#include <zlib.h>

#include "portal/routes/portal_site_fixture.hpp"

namespace zocalo::portal {
namespace {

constexpr std::size_t kBudget = 14'600;

// gzip at zlib's default level, as a server compressing on the fly would.
std::size_t gzip_size(const std::string& data) {
  z_stream zs{};
  EXPECT_EQ(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
            Z_OK);
  std::string out(deflateBound(&zs, data.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  const std::size_t size = zs.total_out;
  deflateEnd(&zs);
  return size;
}

void expect_within_budget(const std::string& what, const http::Response& res) {
  SCOPED_TRACE(what);
  EXPECT_TRUE(res.headers.get("Content-Type")->starts_with("text/html"));
  EXPECT_NE(res.body.find("<html lang="), std::string::npos);
  EXPECT_NE(
      res.body.find("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"),
      std::string::npos);
  EXPECT_EQ(res.body.find("<script"), std::string::npos);
  const std::size_t compressed = gzip_size(res.body);
  EXPECT_LE(compressed, kBudget) << res.body.size() << " bytes raw";
  // Tiny pages would mean an empty render: every page has a layout and real content.
  EXPECT_GT(res.body.size(), 1000u);
  ::testing::Test::RecordProperty(
      what, std::to_string(res.body.size()) + " raw, " + std::to_string(compressed) + " gzip");
}

class PageBudgetTest : public PortalSiteTest {};

TEST_P(PageBudgetTest, PortalPagesFitTheFirstRoundTrip) {
  for (const std::string lang : {"es", "en"}) {
    for (const std::string path : {"/", "/servicios", "/alcaldias", "/dependencias",
                                   "/buscar?q=alcaldia", "/buscar?q=zzz"}) {
      const http::Response res = get(path, lang);
      EXPECT_EQ(res.status, 200) << path;
      expect_within_budget(lang + " " + path, res);
    }
  }
}

TEST_P(PageBudgetTest, ErrorPagesFitTheFirstRoundTrip) {
  for (const std::string lang : {"es", "en"}) {
    for (const int status : {400, 403, 404, 405, 408, 413, 429, 431, 500, 503}) {
      http::Request req;
      req.path = "/x";
      req.headers.set("Accept-Language", lang);
      const http::Response res = errors().page(req, status);
      EXPECT_EQ(res.status, status);
      expect_within_budget(lang + " " + std::to_string(status), res);
    }
  }
}

ZOCALO_INSTANTIATE_DB_TEST(PageBudgetTest);

}  // namespace
}  // namespace zocalo::portal
