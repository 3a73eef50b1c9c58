// Report photos through the router as src/app wires it, on a demo-seeded database of each
// dialect: the web form's `foto` and the Open311 `media` part go through normalise_photo into
// a real LocalBlobStore; the served photo has no EXIF; hostile uploads store nothing; private
// requests and unknown names are 404; Open311 requests queue the reporter's intake notices.
#include <gtest/gtest.h>
#include <vips/vips.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "db_fixture.hpp"
#include "platform/blobs/local_blob_store.hpp"
#include "platform/core/crypto.hpp"
#include "platform/http/router.hpp"
#include "platform/media/vips_runtime.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/locale.hpp"
#include "platform/web/renderer.hpp"
#include "platform/web/session_store.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/requests.hpp"
#include "requests/store/api_key_store.hpp"
#include "requests/store/demo_catalog.hpp"
#include "temp_dir.hpp"

namespace zocalo::requests {
namespace {

namespace json = boost::json;
using Fields = std::vector<std::pair<std::string, std::string>>;

struct Part {
  std::string name, filename, content_type, data;
};

// A 2000×1000 JPEG (bigger than the 1600 px output) made by libvips, with an EXIF block.
std::string big_jpeg() {
  EXPECT_TRUE(media::detail::ensure_vips());
  VipsImage* black = nullptr;
  EXPECT_EQ(vips_black(&black, 2000, 1000, "bands", 3, nullptr), 0);
  VipsImage* cast = nullptr;
  EXPECT_EQ(vips_cast_uchar(black, &cast, nullptr), 0);
  void* buf = nullptr;
  size_t len = 0;
  EXPECT_EQ(vips_jpegsave_buffer(cast, &buf, &len, "Q", 80, nullptr), 0);
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  g_object_unref(cast);
  g_object_unref(black);
  // APP1 "Exif" with a TIFF header and an empty IFD, right after SOI: what must not survive.
  const std::string tiff = std::string("MM\0*\0\0\0\x08\0\0\0\0\0\0", 14);
  const std::string body = std::string("Exif\0\0", 6) + tiff;
  const std::size_t seg = body.size() + 2;
  std::string app1 = "\xFF\xE1";
  app1 += static_cast<char>(seg >> 8);
  app1 += static_cast<char>(seg & 0xFF);
  app1 += body;
  return out.substr(0, 2) + app1 + out.substr(2);
}

class PhotoRoutesTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    auto key = ApiKeyStore(db()).add("app-fotos", 1'700'000'000);
    ASSERT_TRUE(key);
    key_ = key->key;
    auto loaded = web::Renderer::load();
    ASSERT_TRUE(loaded) << loaded.error().detail;
    renderer_ = std::move(*loaded);
    errors_ = std::make_unique<web::ErrorPages>(*renderer_);
    sessions_ = std::make_unique<web::DbSessionStore>(db());
    blobs_ = std::make_unique<blobs::LocalBlobStore>(dir_.path() / "blobs");
    router_ = std::make_unique<http::Router>();
    router_->use(web::locale_middleware(renderer_->locales()));
    router_->set_fallback(errors_->fallback());
    RequestsOptions options;
    options.base_url = "https://311.example.mx";
    options.contact = "ADIP";
    options.renderer = renderer_.get();
    options.blobs = blobs_.get();
    ASSERT_TRUE(register_routes(*router_, db(), *errors_, options));
    router_->finalize();
  }

  http::Response post_multipart(const std::string& path, const Fields& fields,
                                const std::vector<Part>& parts, const std::string& session = "") {
    http::Request req;
    req.method = http::Method::kPost;
    req.target = path;
    req.path = path;
    req.session = session.empty() ? http::Session(crypto::random_token(32), true, sessions_.get())
                                  : http::Session(session, false, sessions_.get());
    const std::string boundary = "----zocalo-test-boundary-7MA4YWxk";
    req.headers.set("Content-Type", "multipart/form-data; boundary=" + boundary);
    for (const auto& [name, value] : fields) {
      req.body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                  "\"\r\n\r\n" + value + "\r\n";
    }
    for (const Part& p : parts) {
      req.body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name +
                  "\"; filename=\"" + p.filename + "\"\r\nContent-Type: " + p.content_type +
                  "\r\n\r\n" + p.data + "\r\n";
    }
    req.body += "--" + boundary + "--\r\n";
    http::Response res = router_->dispatch(req);
    req.session.commit();
    last_session_ = req.session.id();
    return res;
  }

  http::Response get(const std::string& target) {
    http::Request req;
    req.method = http::Method::kGet;
    req.target = target;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    req.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
    req.session = http::Session(crypto::random_token(32), true, sessions_.get());
    return router_->dispatch(req);
  }

  long long count(const std::string& table) {
    long long n = 0;
    db().with_session(
        [&](soci::session& sql) { sql << "SELECT COUNT(*) FROM " + table, soci::into(n); });
    return n;
  }

  std::size_t blob_files() {
    std::size_t n = 0;
    if (!std::filesystem::exists(dir_.path() / "blobs")) return 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_.path() / "blobs")) {
      n += e.is_regular_file() ? 1 : 0;
    }
    return n;
  }

  Fields web_report() {
    return {{"servicio", "bache"},
            {"lat", "19.4326"},
            {"lon", "-99.1332"},
            {"confirmar", "1"},
            {"descripcion", "Bache con foto"},
            {"attribute[ubicacion]", "arroyo"}};
  }

  Fields api_report() {
    return {{"api_key", key_},    {"service_code", "fuga-de-agua"},   {"lat", "19.3574"},
            {"long", "-99.0573"}, {"attribute[severidad]", "chorro"}, {"email", "v@example.org"}};
  }

  std::string key_;
  std::string last_session_;

 private:
  zocalo::testing::TempDir dir_;
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::ErrorPages> errors_;
  std::unique_ptr<web::DbSessionStore> sessions_;
  std::unique_ptr<blobs::LocalBlobStore> blobs_;
  std::unique_ptr<http::Router> router_;
};

TEST_P(PhotoRoutesTest, TheFormsPhotoIsNormalisedStoredAndShownOnThePublicPage) {
  const http::Response res = post_multipart("/reportes/nuevo", web_report(),
                                            {{"foto", "IMG_0001.JPG", "image/jpeg", big_jpeg()}});
  ASSERT_EQ(res.status, 303) << res.body;
  const std::string location(res.headers.get("Location").value_or(""));
  EXPECT_EQ(blob_files(), 2u);  // the photo and its thumbnail, never the upload
  const http::Response page = get(location);
  ASSERT_EQ(page.status, 200) << page.body;
  const auto img = page.body.find("<img src=\"/reportes/fotos/");
  ASSERT_NE(img, std::string::npos) << page.body;
  const std::string thumb_path = page.body.substr(img + 10, 16 + 64 + 4);
  const auto href = page.body.rfind("<a href=\"/reportes/fotos/", img);
  ASSERT_NE(href, std::string::npos);
  const std::string photo_path = page.body.substr(href + 9, 16 + 64 + 4);

  const http::Response photo = get(photo_path);
  ASSERT_EQ(photo.status, 200) << photo_path;
  EXPECT_EQ(photo.headers.get("Content-Type").value_or(""), "image/jpeg");
  EXPECT_EQ(photo.headers.get("Cache-Control").value_or(""), "public, max-age=31536000, immutable");
  EXPECT_EQ(photo.headers.get("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_EQ(photo.body.substr(0, 2), "\xFF\xD8");
  EXPECT_EQ(photo.body.find("Exif"), std::string::npos);
  const http::Response thumb = get(thumb_path);
  ASSERT_EQ(thumb.status, 200) << thumb_path;
  EXPECT_LT(thumb.body.size(), photo.body.size());

  // The API publishes the photo's URL.
  std::string media_url;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT media_url FROM service_requests WHERE description = 'Bache con foto'",
        soci::into(media_url);
  });
  EXPECT_EQ(media_url, "https://311.example.mx" + photo_path);

  // A private request's photo is never served nor shown.
  db().with_session([&](soci::session& sql) {
    sql << "UPDATE service_requests SET private = 1 WHERE description = 'Bache con foto'";
  });
  EXPECT_EQ(get(photo_path).status, 404);
  EXPECT_EQ(get(thumb_path).status, 404);
  EXPECT_EQ(get(location).body.find("/reportes/fotos/"), std::string::npos);
}

TEST_P(PhotoRoutesTest, ANonImageNamedJpgIsAnErrorOnTheFieldAndStoresNothing) {
  const long long before = count("service_requests");
  const http::Response res =
      post_multipart("/reportes/nuevo", web_report(),
                     {{"foto", "photo.jpg", "image/jpeg", "%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("id=\"foto-error\""), std::string::npos) << res.body;
  EXPECT_NE(res.body.find("Bache con foto"), std::string::npos);  // the input is kept
  EXPECT_EQ(count("service_requests"), before);
  EXPECT_EQ(count("request_photos"), 0);
  EXPECT_EQ(blob_files(), 0u);
}

TEST_P(PhotoRoutesTest, ThePhotoRouteIsNotAnOpenFileServer) {
  EXPECT_EQ(get("/reportes/fotos/" + std::string(64, 'a') + ".jpg").status, 404);
  EXPECT_EQ(get("/reportes/fotos/..%2F..%2Fetc%2Fpasswd").status, 404);
  EXPECT_EQ(get("/reportes/fotos/" + std::string(64, 'A') + ".jpg").status, 404);
}

TEST_P(PhotoRoutesTest, TheApiTakesTheMediaPartAndQueuesTheIntakeNotice) {
  const long long jobs_before = count("jobs");
  const http::Response res = post_multipart("/open311/v2/requests.json", api_report(),
                                            {{"media", "p.jpg", "image/jpeg", big_jpeg()}});
  ASSERT_EQ(res.status, 200) << res.body;
  const json::value answer = json::parse(res.body);
  const std::string id(answer.as_array()[0].at("service_request_id").as_string());
  const http::Response one = get("/open311/v2/requests/" + id + ".json");
  ASSERT_EQ(one.status, 200);
  const std::string media_url(json::parse(one.body).as_array()[0].at("media_url").as_string());
  ASSERT_TRUE(media_url.starts_with("https://311.example.mx/reportes/fotos/")) << media_url;
  const http::Response photo = get(media_url.substr(std::string("https://311.example.mx").size()));
  EXPECT_EQ(photo.status, 200);
  EXPECT_EQ(photo.body.find("Exif"), std::string::npos);
  // The reporter's e-mail notice is queued with the request (RequestNotifications).
  EXPECT_GT(count("jobs"), jobs_before);
}

TEST_P(PhotoRoutesTest, APrivateRequestsPhotoIsNotInTheOpen311Answers) {
  const http::Response res = post_multipart("/open311/v2/requests.json", api_report(),
                                            {{"media", "p.jpg", "image/jpeg", big_jpeg()}});
  ASSERT_EQ(res.status, 200) << res.body;
  const std::string id(json::parse(res.body).as_array()[0].at("service_request_id").as_string());
  std::string media_url;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT media_url FROM service_requests WHERE folio = :f", soci::use(id),
        soci::into(media_url);
    // An update with a photo too (as an agency's POST servicerequestupdates may add).
    sql << "UPDATE service_request_updates SET media_url = :m, public = 1 WHERE request_id = "
           "(SELECT id FROM service_requests WHERE folio = :f)",
        soci::use(media_url), soci::use(id);
  });
  ASSERT_FALSE(media_url.empty());
  const auto updates_of = [&] {
    const http::Response u = get("/open311/v2/servicerequestupdates.json?service_request_id=" + id);
    EXPECT_EQ(u.status, 200) << u.body;
    return u.body;
  };
  EXPECT_NE(get("/open311/v2/requests/" + id + ".json").body.find(media_url), std::string::npos);
  EXPECT_NE(updates_of().find(media_url), std::string::npos);

  db().with_session([&](soci::session& sql) {
    sql << "UPDATE service_requests SET private = 1 WHERE folio = :f", soci::use(id);
  });
  for (const std::string& path :
       {"/open311/v2/requests/" + id + ".json", "/open311/v2/requests/" + id + ".xml",
        "/open311/v2/requests.json?service_request_id=" + id,
        "/open311/v2/requests/" + id + ".json?extensions=true"}) {
    const http::Response one = get(path);
    ASSERT_EQ(one.status, 200) << path;
    EXPECT_EQ(one.body.find("/reportes/fotos/"), std::string::npos) << path << one.body;
  }
  const json::value listed = json::parse(get("/open311/v2/requests/" + id + ".json").body);
  EXPECT_TRUE(listed.as_array()[0].at("media_url").is_null());
  EXPECT_EQ(updates_of().find("/reportes/fotos/"), std::string::npos);
  const http::Response xml = get("/open311/v2/servicerequestupdates.xml?service_request_id=" + id);
  EXPECT_EQ(xml.body.find("/reportes/fotos/"), std::string::npos) << xml.body;
}

TEST_P(PhotoRoutesTest, TheApiRefusesANonImageMediaPartAndStoresNothing) {
  const long long before = count("service_requests");
  const long long jobs_before = count("jobs");
  const http::Response res =
      post_multipart("/open311/v2/requests.json", api_report(),
                     {{"media", "photo.jpg", "image/jpeg", "<html><body>hola</body></html>"}});
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_NE(res.body.find("media"), std::string::npos);
  EXPECT_EQ(count("service_requests"), before);
  EXPECT_EQ(count("jobs"), jobs_before);
  EXPECT_EQ(blob_files(), 0u);
  const http::Response other = post_multipart("/open311/v2/requests.json", api_report(),
                                              {{"foto", "p.jpg", "image/jpeg", big_jpeg()}});
  EXPECT_EQ(other.status, 400);
  EXPECT_EQ(count("service_requests"), before);
}

TEST_P(PhotoRoutesTest, AFormRefusedForOtherFieldsStoresNoPhoto) {
  Fields missing = web_report();
  std::erase_if(missing, [](const auto& f) { return f.first == "descripcion"; });
  const http::Response first =
      post_multipart("/reportes/nuevo", missing, {{"foto", "a.jpg", "image/jpeg", big_jpeg()}});
  ASSERT_EQ(first.status, 400);
  // Checked but not kept: the resident is asked to pick it again, nothing in the blob store.
  EXPECT_NE(first.body.find("id=\"foto-error\""), std::string::npos) << first.body;
  EXPECT_EQ(first.body.find("id=\"foto-kept\""), std::string::npos);
  EXPECT_EQ(blob_files(), 0u);
  EXPECT_EQ(count("request_photos"), 0);
  // A bad photo in a refused form is still its own error.
  const http::Response bad =
      post_multipart("/reportes/nuevo", missing, {{"foto", "a.jpg", "image/jpeg", "GIF89a no"}});
  ASSERT_EQ(bad.status, 400);
  EXPECT_EQ(blob_files(), 0u);
}

TEST_P(PhotoRoutesTest, APhotoIsKeptAcrossTheDuplicatesPageAndFiledWithTheReport) {
  ASSERT_EQ(post_multipart("/reportes/nuevo", web_report(), {}).status, 303);  // an earlier one
  Fields unconfirmed = web_report();
  std::erase_if(unconfirmed, [](const auto& f) { return f.first == "confirmar"; });
  const http::Response offered =
      post_multipart("/reportes/nuevo", unconfirmed, {{"foto", "a.jpg", "image/jpeg", big_jpeg()}});
  ASSERT_EQ(offered.status, 200) << offered.body;
  EXPECT_NE(offered.body.find("name=\"foto_guardada\" value=\"1\""), std::string::npos);
  EXPECT_EQ(blob_files(), 2u);
  const std::string session = last_session_;
  Fields again = web_report();
  again.push_back({"foto_guardada", "1"});
  const http::Response filed = post_multipart("/reportes/nuevo", again, {}, session);
  ASSERT_EQ(filed.status, 303) << filed.body;
  EXPECT_EQ(count("request_photos"), 1);
  EXPECT_EQ(blob_files(), 2u);
}

TEST_P(PhotoRoutesTest, ARequestRefusedAfterThePhotoWasStoredLeavesNoBlob) {
  // Outside every alcaldía: refused by routing, after the photo was normalised and put.
  Fields outside = web_report();
  for (auto& [k, v] : outside) {
    if (k == "lat") v = "19.0500";
    if (k == "lon") v = "-98.2000";  // Puebla
  }
  const long long before = count("service_requests");
  const http::Response web =
      post_multipart("/reportes/nuevo", outside, {{"foto", "a.jpg", "image/jpeg", big_jpeg()}});
  EXPECT_EQ(web.status, 400) << web.body;
  EXPECT_EQ(count("service_requests"), before);
  EXPECT_EQ(blob_files(), 0u);
  // The session forgets it too: a second try cannot name the removed blobs.
  Fields again = web_report();
  again.push_back({"foto_guardada", "1"});
  ASSERT_EQ(post_multipart("/reportes/nuevo", again, {}, last_session_).status, 303);
  EXPECT_EQ(count("request_photos"), 0);

  Fields api = api_report();
  for (auto& [k, v] : api) {
    if (k == "lat") v = "19.0500";
    if (k == "long") v = "-98.2000";
  }
  const http::Response refused = post_multipart("/open311/v2/requests.json", api,
                                                {{"media", "p.jpg", "image/jpeg", big_jpeg()}});
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(blob_files(), 0u);

  // A picture another request already names is not removed with the refused one.
  ASSERT_EQ(post_multipart("/open311/v2/requests.json", api_report(),
                           {{"media", "p.jpg", "image/jpeg", big_jpeg()}})
                .status,
            200);
  EXPECT_EQ(blob_files(), 2u);
  EXPECT_EQ(post_multipart("/open311/v2/requests.json", api,
                           {{"media", "p.jpg", "image/jpeg", big_jpeg()}})
                .status,
            400);
  EXPECT_EQ(blob_files(), 2u);
}

ZOCALO_INSTANTIATE_DB_TEST(PhotoRoutesTest);

}  // namespace
}  // namespace zocalo::requests
