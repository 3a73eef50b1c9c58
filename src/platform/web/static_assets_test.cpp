#include "platform/web/static_assets.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "platform/core/crypto.hpp"

namespace zocalo::web {
namespace {

const std::string kCss = "body{color:#1a1a1a}" + std::string(2000, ' ') + "a{color:#0b4f8a}";
const std::string kSvg = "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>";
const std::string kSecret = "not to be served";

std::vector<assets::File> files() {
  return {{"data/secret.txt", kSecret},
          {"static/app.css", kCss},
          {"static/img/logo.svg", kSvg},
          {"templates/x.mustache", kSecret}};
}

http::Request get(std::string path) {
  http::Request req;
  req.params["path"] = std::move(path);
  return req;
}

TEST(StaticAssetsTest, FingerprintIsEightHexOfSha256BeforeTheExtension) {
  const StaticAssets assets(files());
  const std::string hash = crypto::sha256_hex(kCss).substr(0, 8);
  EXPECT_EQ(assets.url("app.css"), "/static/app." + hash + ".css");
  EXPECT_TRUE(std::regex_match(*assets.url("img/logo.svg"),
                               std::regex(R"(/static/img/logo\.[0-9a-f]{8}\.svg)")));
  EXPECT_FALSE(assets.url("missing.css"));
  EXPECT_EQ(fingerprinted_name("a.b/LICENSE", "0123456789"), "a.b/LICENSE.01234567");
}

TEST(StaticAssetsTest, FingerprintedNameIsImmutablePlainNameRevalidates) {
  const StaticAssets assets(files());
  auto fingerprinted = get(assets.url("app.css")->substr(std::string("/static/").size()));
  const http::Response a = assets.serve(fingerprinted);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body, kCss);
  EXPECT_EQ(a.headers.get("Cache-Control"), "public, max-age=31536000, immutable");
  auto plain = get("app.css");
  const http::Response b = assets.serve(plain);
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(b.headers.get("Cache-Control"), "no-cache");
  EXPECT_EQ(a.headers.get("ETag"), b.headers.get("ETag"));
  EXPECT_TRUE(a.headers.get("ETag")->starts_with("\""));
}

TEST(StaticAssetsTest, MatchingIfNoneMatchAnswers304WithoutBody) {
  const StaticAssets assets(files());
  auto first = get("app.css");
  const std::string etag(*assets.serve(first).headers.get("ETag"));
  for (const std::string& header : {etag, "\"other\", " + etag, "W/" + etag, std::string("*")}) {
    auto again = get("app.css");
    again.headers.set("If-None-Match", header);
    const http::Response res = assets.serve(again);
    EXPECT_EQ(res.status, 304) << header;
    EXPECT_TRUE(res.body.empty());
    EXPECT_EQ(res.headers.get("ETag"), etag);
  }
  auto stale = get("app.css");
  stale.headers.set("If-None-Match", "\"stale\"");
  EXPECT_EQ(assets.serve(stale).status, 200);
}

TEST(StaticAssetsTest, ServesPrecompressedGzipWhenAccepted) {
  const StaticAssets assets(files());
  auto req = get("app.css");
  req.headers.set("Accept-Encoding", "br, gzip;q=0.8");
  const http::Response res = assets.serve(req);
  EXPECT_EQ(res.headers.get("Content-Encoding"), "gzip");
  EXPECT_FALSE(res.compressible);
  EXPECT_LT(res.body.size(), kCss.size());
  EXPECT_EQ(res.headers.get("Vary"), "Accept-Encoding");
  // A different representation has a different strong validator.
  auto plain = get("app.css");
  EXPECT_NE(res.headers.get("ETag"), assets.serve(plain).headers.get("ETag"));

  auto refused = get("app.css");
  refused.headers.set("Accept-Encoding", "gzip;q=0");
  EXPECT_FALSE(assets.serve(refused).headers.has("Content-Encoding"));
}

TEST(StaticAssetsTest, ContentTypesByExtension) {
  EXPECT_EQ(content_type_for("app.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("favicon.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("a/b.PNG"), "image/png");
  EXPECT_EQ(content_type_for("robots.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("site.webmanifest"), "application/manifest+json");
  EXPECT_EQ(content_type_for("dir.d/noext"), "application/octet-stream");
  const StaticAssets assets(files());
  auto svg = get("img/logo.svg");
  EXPECT_EQ(assets.serve(svg).headers.get("Content-Type"), "image/svg+xml");
}

TEST(StaticAssetsTest, TraversalAndUnknownNamesAre404) {
  int calls = 0;
  const StaticAssets assets(files(), [&calls](http::Request&, int status) {
    ++calls;
    return http::Response::html("<p>no</p>", status);
  });
  for (const std::string& path : std::vector<std::string>{
           "../data/secret.txt", "..%2fdata%2fsecret.txt", "%2e%2e/data/secret.txt", "/etc/passwd",
           "../../../../etc/passwd", "img/../app.css", "./app.css", std::string("app.css\0", 8),
           "templates/x.mustache", "", "APP.CSS", "app.00000000.css"}) {
    auto req = get(path);
    EXPECT_EQ(assets.serve(req).status, 404) << path;
  }
  EXPECT_EQ(calls, 12);
  http::Request no_param;
  EXPECT_EQ(assets.serve(no_param).status, 404);
}

TEST(StaticAssetsTest, EmbeddedStylesheetIsSmallAndLinkable) {
  const std::string url = asset_url("app.css");
  EXPECT_TRUE(std::regex_match(url, std::regex(R"(/static/app\.[0-9a-f]{8}\.css)"))) << url;
  const auto css = assets::find("static/app.css");
  ASSERT_TRUE(css);
  EXPECT_LT(css->size(), 4096u);
  EXPECT_EQ(asset_url("no-such-file.css"), "/static/no-such-file.css");
}

}  // namespace
}  // namespace zocalo::web
