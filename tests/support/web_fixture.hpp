#pragma once
// Page tests through the real router with the middleware the server runs for pages (locale,
// database-backed sessions, CSRF), on both databases, driven by "browsers" that keep their
// cookies between requests and post forms with the CSRF token of the page that shows them.
//
//   class MyPagesTest : public zocalo::testing::WebTest {
//     void SetUp() override {
//       WebTest::SetUp();
//       if (IsSkipped() || HasFatalFailure()) return;
//       ASSERT_TRUE(register_routes(router_, ...));
//       router_.finalize();
//     }
//   };
//   Browser b = browser_with_session([&](http::Request& req) { identity::start_login(req, ...); });
//   auto page = get(b, "/mi-llave");
//   auto done = post(b, "/mi-llave", "/mi-llave/perfil", {{"nombre", "Ana"}});
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "db_fixture.hpp"
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/renderer.hpp"
#include "platform/web/session_store.hpp"

namespace zocalo::testing {

inline constexpr const char* kChromeAndroid =
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36";

struct Browser {
  std::map<std::string, std::string> cookies;
  std::string user_agent = kChromeAndroid;
  std::string ip = "201.141.3.9";
  std::string language;  // Accept-Language, when set
};

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string form_encode(const Fields& fields);
// The value of the first hidden _csrf field of a page ("" when there is none).
std::string csrf_of(const std::string& html);
std::string location(const http::Response& res);
bool contains(const std::string& haystack, std::string_view needle);

class WebTest : public DbTest {
 protected:
  static void SetUpTestSuite();
  // DbTest's, then the renderer, error pages, session store and the middleware; the subclass
  // registers its routes and finalizes the router.
  void SetUp() override;

  // One request as `b` would send it; cookies set by the answer are kept (and deleted ones
  // forgotten).
  http::Response send(Browser& b, http::Method method, const std::string& target,
                      const std::string& body = "",
                      const std::string& type = "application/x-www-form-urlencoded");
  http::Response get(Browser& b, const std::string& target);
  // Posts `fields` with the CSRF token of the page at `form_page`, as a browser would.
  http::Response post(Browser& b, const std::string& form_page, const std::string& target,
                      Fields fields);
  // The same as multipart/form-data with one file.
  http::Response upload(Browser& b, const std::string& form_page, const std::string& target,
                        Fields fields, const std::string& file_field, const std::string& filename,
                        const std::string& data);

  // A browser whose fresh session `begin` prepared (identity::start_login, as the sign-in page
  // does after every factor passed), with the session cookie set.
  Browser browser_with_session(const std::function<void(http::Request&)>& begin,
                               const std::string& user_agent = kChromeAndroid);

  std::string secret_;
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::ErrorPages> errors_;
  std::unique_ptr<web::DbSessionStore> sessions_;
  http::Router router_;
};

}  // namespace zocalo::testing
