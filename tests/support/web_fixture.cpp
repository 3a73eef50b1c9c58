#include "web_fixture.hpp"

#include <regex>

#include "platform/core/crypto.hpp"
#include "platform/core/log.hpp"
#include "platform/http/form.hpp"
#include "platform/http/middleware.hpp"
#include "platform/http/session.hpp"
#include "platform/web/locale.hpp"

namespace zocalo::testing {

std::string form_encode(const Fields& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += http::percent_encode(k) + "=" + http::percent_encode(v);
  }
  return out;
}

std::string csrf_of(const std::string& html) {
  static const std::regex re("name=\"_csrf\" value=\"([^\"]+)\"");
  std::smatch m;
  if (!std::regex_search(html, m, re)) return "";
  return m[1];
}

std::string location(const http::Response& res) {
  return std::string(res.headers.get("Location").value_or(""));
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

void WebTest::SetUpTestSuite() {
  log::init(log::Level::kError);
}

void WebTest::SetUp() {
  DbTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  secret_ = crypto::random_bytes(32);
  auto loaded = web::Renderer::load();
  ASSERT_TRUE(loaded) << loaded.error().detail;
  renderer_ = std::move(*loaded);
  errors_ = std::make_unique<web::ErrorPages>(*renderer_);
  sessions_ = std::make_unique<web::DbSessionStore>(db());
  router_.use(web::locale_middleware(renderer_->locales()));
  router_.use(http::middleware::sessions({.secure_cookies = false, .backend = sessions_.get()}));
  router_.use(http::middleware::csrf(secret_, errors_->renderer()));
  router_.set_fallback(errors_->fallback());
}

http::Response WebTest::send(Browser& b, http::Method method, const std::string& target,
                             const std::string& body, const std::string& type) {
  http::Request req;
  req.method = method;
  req.target = target;
  const auto q = target.find('?');
  req.path = target.substr(0, q);
  req.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
  req.remote_addr = b.ip;
  req.headers.set("User-Agent", b.user_agent);
  if (!b.language.empty()) req.headers.set("Accept-Language", b.language);
  std::string cookie;
  for (const auto& [k, v] : b.cookies) cookie += (cookie.empty() ? "" : "; ") + k + "=" + v;
  if (!cookie.empty()) req.headers.set("Cookie", cookie);
  if (method == http::Method::kPost) {
    req.headers.set("Content-Type", type);
    req.body = body;
  }
  http::Response res = router_.dispatch(req);
  for (const auto& [name, value] : res.headers.fields()) {
    if (name != "Set-Cookie") continue;
    const auto eq = value.find('=');
    const auto semi = value.find(';');
    const std::string k = value.substr(0, eq);
    const std::string v = value.substr(eq + 1, semi - eq - 1);
    if (v.empty() || contains(value, "Max-Age=0")) {
      b.cookies.erase(k);
    } else {
      b.cookies[k] = v;
    }
  }
  return res;
}

http::Response WebTest::get(Browser& b, const std::string& target) {
  return send(b, http::Method::kGet, target);
}

http::Response WebTest::post(Browser& b, const std::string& form_page, const std::string& target,
                             Fields fields) {
  const http::Response page = get(b, form_page);
  fields.emplace_back("_csrf", csrf_of(page.body));
  return send(b, http::Method::kPost, target, form_encode(fields));
}

http::Response WebTest::upload(Browser& b, const std::string& form_page, const std::string& target,
                               Fields fields, const std::string& file_field,
                               const std::string& filename, const std::string& data) {
  static constexpr const char* kBoundary = "zocaloTestBoundary7MA4YWxkTrZu0gW";
  const http::Response page = get(b, form_page);
  fields.emplace_back("_csrf", csrf_of(page.body));
  std::string out;
  for (const auto& [k, v] : fields) {
    out += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" + k +
           "\"\r\n\r\n" + v + "\r\n";
  }
  out += std::string("--") + kBoundary + "\r\nContent-Disposition: form-data; name=\"" +
         file_field + "\"; filename=\"" + filename +
         "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + data + "\r\n";
  out += std::string("--") + kBoundary + "--\r\n";
  return send(b, http::Method::kPost, target, out,
              std::string("multipart/form-data; boundary=") + kBoundary);
}

Browser WebTest::browser_with_session(const std::function<void(http::Request&)>& begin,
                                      const std::string& user_agent) {
  Browser b;
  b.user_agent = user_agent;
  http::Request req;
  req.remote_addr = b.ip;
  req.headers.set("User-Agent", user_agent);
  req.session = http::Session(crypto::random_token(32), true, sessions_.get());
  begin(req);
  req.session.commit();
  b.cookies["zocalo_sid"] = req.session.id();
  return b;
}

}  // namespace zocalo::testing
