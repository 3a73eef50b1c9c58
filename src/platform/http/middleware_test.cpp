#include "platform/http/middleware.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "platform/core/crypto.hpp"

namespace zocalo::http {
namespace {

using middleware::csrf;
using middleware::csrf_token;
using middleware::rate_limit;
using middleware::rate_limit_key;
using middleware::request_id;
using middleware::security_headers;
using middleware::sessions;

constexpr std::string_view kSecret = "0123456789abcdef0123456789abcdef";

class MemoryBackend : public SessionBackend {
 public:
  std::optional<SessionValues> load(const std::string& id) override {
    ++loads;
    auto it = data.find(id);
    if (it == data.end()) return std::nullopt;
    return it->second;
  }
  void save(const std::string& id, const SessionValues& v) override { data[id] = v; }
  void destroy(const std::string& id) override { data.erase(id); }
  std::map<std::string, SessionValues> data;
  int loads = 0;
};

Response render(Request&, int status) {
  return Response::html("<p>rendered " + std::to_string(status) + "</p>", status);
}

Request request(Method m, std::string target) {
  Request req;
  req.method = m;
  req.target = std::move(target);
  req.path = req.target.substr(0, req.target.find('?'));
  req.remote_addr = "203.0.113.9";
  return req;
}

std::string set_cookie_of(const Response& res) {
  std::string out;
  for (const auto& [name, value] : res.headers.fields()) {
    if (iequals(name, "Set-Cookie")) out += value;
  }
  return out;
}

std::string cookie_value(const std::string& set_cookie) {
  const auto eq = set_cookie.find('=');
  return set_cookie.substr(eq + 1, set_cookie.find(';') - eq - 1);
}

TEST(RequestIdMiddleware, KeepsASaneIncomingId) {
  Handler h = compose({request_id()}, [](Request& r) { return Response::text(r.request_id); });
  Request req = request(Method::kGet, "/");
  req.headers.set("X-Request-Id", "lb-7f3a.9_x");
  const Response res = h(req);
  EXPECT_EQ(res.body, "lb-7f3a.9_x");
  EXPECT_EQ(res.headers.get("X-Request-Id").value_or(""), "lb-7f3a.9_x");
}

TEST(RequestIdMiddleware, ReplacesAnInsaneIncomingId) {
  Handler h = compose({request_id()}, [](Request& r) { return Response::text(r.request_id); });
  for (std::string bad :
       {std::string("has space"), std::string(65, 'a'), std::string("\"quote"), std::string()}) {
    Request req = request(Method::kGet, "/");
    req.headers.set("X-Request-Id", bad);
    const Response res = h(req);
    EXPECT_NE(res.body, bad);
    EXPECT_TRUE(middleware::is_sane_request_id(res.body)) << res.body;
    EXPECT_EQ(res.headers.get("X-Request-Id").value_or(""), res.body);
  }
}

TEST(RequestIdMiddleware, MakesRandomIdsWhenNoneIsGiven) {
  Handler h = compose({request_id()}, [](Request& r) { return Response::text(r.request_id); });
  Request a = request(Method::kGet, "/");
  Request b = request(Method::kGet, "/");
  const std::string id_a = h(a).body;
  const std::string id_b = h(b).body;
  EXPECT_FALSE(id_a.empty());
  EXPECT_NE(id_a, id_b);
}

TEST(SecurityHeadersMiddleware, AddsTheDefaults) {
  Handler h = compose({security_headers()}, [](Request&) { return Response::html("<p>hola</p>"); });
  Request req = request(Method::kGet, "/");
  const Response res = h(req);
  EXPECT_EQ(res.headers.get("Content-Security-Policy").value_or(""),
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  EXPECT_EQ(res.headers.get("X-Content-Type-Options").value_or(""), "nosniff");
  EXPECT_EQ(res.headers.get("Referrer-Policy").value_or(""), "strict-origin-when-cross-origin");
  EXPECT_EQ(res.headers.get("X-Frame-Options").value_or(""), "DENY");
  EXPECT_EQ(res.headers.get("Permissions-Policy").value_or(""),
            "geolocation=(self), camera=(), microphone=()");
  EXPECT_FALSE(res.headers.has("Strict-Transport-Security")) << "plain HTTP gets no HSTS";
}

TEST(SecurityHeadersMiddleware, HstsOnlyOnSecureRequests) {
  Handler h = compose({security_headers()}, [](Request&) { return Response::text("x"); });
  Request req = request(Method::kGet, "/");
  req.secure = true;
  EXPECT_EQ(h(req).headers.get("Strict-Transport-Security").value_or(""),
            "max-age=31536000; includeSubDomains");
}

TEST(SecurityHeadersMiddleware, NeverOverridesWhatTheHandlerSet) {
  Handler h = compose({security_headers()}, [](Request&) {
    Response r = Response::html("<iframe>");
    r.headers.set("X-Frame-Options", "SAMEORIGIN");
    r.headers.set("Content-Security-Policy", "default-src 'none'");
    return r;
  });
  Request req = request(Method::kGet, "/");
  const Response res = h(req);
  EXPECT_EQ(res.headers.get("X-Frame-Options").value_or(""), "SAMEORIGIN");
  EXPECT_EQ(res.headers.get("Content-Security-Policy").value_or(""), "default-src 'none'");
  EXPECT_EQ(res.headers.get("X-Content-Type-Options").value_or(""), "nosniff");
}

class SessionMiddlewareTest : public ::testing::Test {
 protected:
  Response run(Request& req, Handler h) {
    return compose({sessions({.secure_cookies = true, .backend = &backend_})}, std::move(h))(req);
  }
  MemoryBackend backend_;
};

TEST_F(SessionMiddlewareTest, NewSessionOnHtmlPageSetsASecureHttpOnlyCookie) {
  Request req = request(Method::kGet, "/");
  std::string seen_id;
  const Response res = run(req, [&](Request& r) {
    seen_id = r.session.id();
    EXPECT_TRUE(r.session.is_new());
    return Response::html("<p>hola</p>");
  });
  EXPECT_TRUE(middleware::is_valid_session_id(seen_id));
  const std::string cookie = set_cookie_of(res);
  EXPECT_EQ(cookie_value(cookie), seen_id);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos) << cookie;
  EXPECT_EQ(res.headers.get("Cache-Control").value_or(""), "private");
  EXPECT_EQ(backend_.loads, 0) << "a fresh id has nothing to load";
}

TEST_F(SessionMiddlewareTest, JsonAnswerWithoutWritesGetsNoCookie) {
  Request req = request(Method::kGet, "/api/v1/status");
  const Response res = run(req, [](Request&) { return Response::json(R"({"ok":true})"); });
  EXPECT_EQ(set_cookie_of(res), "");
}

TEST_F(SessionMiddlewareTest, JsonAnswerAfterASessionWriteGetsTheCookieAndSaves) {
  Request req = request(Method::kPost, "/api/v1/cart");
  std::string id;
  const Response res = run(req, [&](Request& r) {
    r.session.set("cart", "3");
    id = r.session.id();
    return Response::json("{}");
  });
  EXPECT_EQ(cookie_value(set_cookie_of(res)), id);
  ASSERT_TRUE(backend_.data.count(id));
  EXPECT_EQ(backend_.data[id].at("cart"), "3");
}

TEST_F(SessionMiddlewareTest, ValidCookieResumesTheSessionWithoutSettingItAgain) {
  const std::string id = crypto::random_token(32);
  backend_.data[id] = {{"user", "ana"}};
  Request req = request(Method::kGet, "/");
  req.headers.set("Cookie", "other=1; zocalo_sid=" + id);
  const Response res = run(req, [&](Request& r) {
    EXPECT_FALSE(r.session.is_new());
    EXPECT_EQ(r.session.id(), id);
    return Response::html(r.session.get("user").value_or("?"));
  });
  EXPECT_EQ(res.body, "ana");
  EXPECT_EQ(set_cookie_of(res), "");
}

TEST_F(SessionMiddlewareTest, MalformedCookieGetsAFreshId) {
  Request req = request(Method::kGet, "/");
  req.headers.set("Cookie", "zocalo_sid=attacker-chosen");
  const Response res = run(req, [](Request& r) {
    EXPECT_TRUE(r.session.is_new());
    EXPECT_NE(r.session.id(), "attacker-chosen");
    return Response::html("x");
  });
  EXPECT_TRUE(middleware::is_valid_session_id(cookie_value(set_cookie_of(res))));
}

TEST_F(SessionMiddlewareTest, ResetOnSignInSendsTheNewIdAndDropsTheOld) {
  const std::string old_id = crypto::random_token(32);
  backend_.data[old_id] = {{"k", "v"}};
  Request req = request(Method::kPost, "/entrar");
  req.headers.set("Cookie", "zocalo_sid=" + old_id);
  std::string new_id = crypto::random_token(32);
  const Response res = run(req, [&](Request& r) {
    r.session.reset(new_id);
    r.session.set("user", "ana");
    return Response::redirect("/");
  });
  EXPECT_EQ(cookie_value(set_cookie_of(res)), new_id)
      << "a 303 is not HTML, but the session was written";
  EXPECT_FALSE(backend_.data.count(old_id));
  EXPECT_EQ(backend_.data[new_id].at("user"), "ana");
}

class CsrfTest : public ::testing::Test {
 protected:
  CsrfTest() {
    router_.use(sessions({.secure_cookies = false, .backend = &backend_}));
    router_.use(csrf(std::string(kSecret), render));
    router_.get("/form", [](Request& r) { return Response::html(r.csrf_token); });
    router_.post("/form", [this](Request&) {
      ++handled_;
      return Response::redirect("/form");
    });
    router_.post("/api/hook",
                 [this](Request&) {
                   ++handled_;
                   return Response::json("{}");
                 },
                 {.csrf_exempt = true});
    router_.finalize();
    session_id_ = crypto::random_token(32);
  }

  Request post(std::string target) {
    Request req = request(Method::kPost, std::move(target));
    req.headers.set("Cookie", "zocalo_sid=" + session_id_);
    return req;
  }

  MemoryBackend backend_;
  Router router_;
  std::string session_id_;
  int handled_ = 0;
};

TEST_F(CsrfTest, TokenIsTheHmacOfTheSessionId) {
  Request req = request(Method::kGet, "/form");
  req.headers.set("Cookie", "zocalo_sid=" + session_id_);
  const Response res = router_.dispatch(req);
  EXPECT_EQ(res.body, csrf_token(kSecret, session_id_));
  EXPECT_EQ(res.body,
            crypto::base64url_encode(crypto::hmac_sha256(kSecret, "csrf:" + session_id_)));
}

TEST_F(CsrfTest, UrlencodedFieldIsAccepted) {
  Request req = post("/form");
  req.headers.set("Content-Type", "application/x-www-form-urlencoded");
  req.body = "name=ana&_csrf=" + csrf_token(kSecret, session_id_);
  EXPECT_EQ(router_.dispatch(req).status, 303);
  EXPECT_EQ(handled_, 1);
}

TEST_F(CsrfTest, MultipartFieldIsAccepted) {
  Request req = post("/form");
  req.headers.set("Content-Type", "multipart/form-data; boundary=XyZ");
  req.body = "--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" +
             csrf_token(kSecret, session_id_) + "\r\n--XyZ--\r\n";
  EXPECT_EQ(router_.dispatch(req).status, 303);
  EXPECT_EQ(handled_, 1);
}

TEST_F(CsrfTest, HeaderIsAccepted) {
  Request req = post("/form");
  req.headers.set("X-CSRF-Token", csrf_token(kSecret, session_id_));
  EXPECT_EQ(router_.dispatch(req).status, 303);
  EXPECT_EQ(handled_, 1);
}

TEST_F(CsrfTest, MissingWrongOrForeignTokenIsRejectedWithoutRunningTheHandler) {
  const std::vector<std::string> bodies = {
      "name=ana",
      "_csrf=wrong",
      "_csrf=" + csrf_token(kSecret, crypto::random_token(32)),  // another session's token
      "_csrf=" + csrf_token("another-secret-of-enough-length", session_id_),
  };
  for (const auto& body : bodies) {
    Request req = post("/form");
    req.headers.set("Content-Type", "application/x-www-form-urlencoded");
    req.body = body;
    const Response res = router_.dispatch(req);
    EXPECT_EQ(res.status, 403) << body;
    EXPECT_EQ(res.body, "<p>rendered 403</p>") << "answered by the ErrorRenderer";
  }
  EXPECT_EQ(handled_, 0);
}

TEST_F(CsrfTest, PostWithoutASessionCookieIsRejected) {
  Request req = request(Method::kPost, "/form");
  req.headers.set("X-CSRF-Token", csrf_token(kSecret, session_id_));
  EXPECT_EQ(router_.dispatch(req).status, 403);
  EXPECT_EQ(handled_, 0);
}

TEST_F(CsrfTest, ExemptRoutesAndSafeMethodsPassWithoutToken) {
  Request hook = post("/api/hook");
  EXPECT_EQ(router_.dispatch(hook).status, 200);
  EXPECT_EQ(handled_, 1);
  Request get = request(Method::kGet, "/form");
  EXPECT_EQ(router_.dispatch(get).status, 200);
}

TEST(CsrfConfig, ShortSecretIsRefused) {
  EXPECT_THROW(csrf("short", render), std::invalid_argument);
}

TEST(RateLimiterTest, BurstThenRefusalThenRefill) {
  RateLimiter limiter({.requests_per_second = 2, .burst = 3, .max_clients = 100});
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.acquire("198.51.100.1", t0).allowed) << i;
  const auto refused = limiter.acquire("198.51.100.1", t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, std::chrono::seconds(1));
  EXPECT_TRUE(limiter.acquire("198.51.100.2", t0).allowed) << "buckets are per client";
  EXPECT_TRUE(limiter.acquire("198.51.100.1", t0 + std::chrono::milliseconds(500)).allowed);
  EXPECT_FALSE(limiter.acquire("198.51.100.1", t0 + std::chrono::milliseconds(500)).allowed);
}

TEST(RateLimiterTest, StaysBoundedUnderManyAddresses) {
  RateLimiter limiter({.requests_per_second = 1, .burst = 5, .max_clients = 160});
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 5000; ++i) {
    (void)limiter.acquire("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), t0);
  }
  EXPECT_LE(limiter.tracked_clients(), 160u);
}

TEST(RateLimiterTest, IdleClientsAreEvicted) {
  RateLimiter limiter({.requests_per_second = 10, .burst = 10, .max_clients = 16});
  const auto t0 = RateLimiter::Clock::now();
  for (int i = 0; i < 16; ++i) (void)limiter.acquire("c" + std::to_string(i), t0);
  // Long after every bucket refilled, new clients replace idle ones rather than active ones.
  const auto later = t0 + std::chrono::minutes(5);
  for (int i = 0; i < 16; ++i) (void)limiter.acquire("n" + std::to_string(i), later);
  EXPECT_LE(limiter.tracked_clients(), 16u);
}

TEST(RateLimiterTest, ConcurrentUseIsSafeAndExact) {
  RateLimiter limiter({.requests_per_second = 0.001, .burst = 100, .max_clients = 1000});
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        if (limiter.acquire("one-client").allowed) ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 100);
}

TEST(RateLimitMiddleware, Answers429WithRetryAfterThroughTheRenderer) {
  Handler h = compose({rate_limit({.requests_per_second = 1, .burst = 2}, render)},
                      [](Request&) { return Response::text("ok"); });
  Request req = request(Method::kGet, "/");
  EXPECT_EQ(h(req).status, 200);
  EXPECT_EQ(h(req).status, 200);
  const Response res = h(req);
  EXPECT_EQ(res.status, 429);
  EXPECT_EQ(res.body, "<p>rendered 429</p>");
  EXPECT_EQ(res.headers.get("Retry-After").value_or(""), "1");
  Request other = request(Method::kGet, "/");
  other.remote_addr = "203.0.113.10";
  EXPECT_EQ(h(other).status, 200);
}

TEST(RateLimitMiddleware, Ipv6ClientsShareTheirSlash64) {
  EXPECT_EQ(rate_limit_key("2001:db8:1:2:aaaa::1"), rate_limit_key("2001:db8:1:2:bbbb::9"));
  EXPECT_NE(rate_limit_key("2001:db8:1:2::1"), rate_limit_key("2001:db8:1:3::1"));
  EXPECT_EQ(rate_limit_key("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(rate_limit_key("192.0.2.1"), "192.0.2.1");
}

TEST(MiddlewareChain, StandardOrderComposes) {
  MemoryBackend backend;
  Router router;
  router.use(request_id());
  router.use(middleware::access_log());
  router.use(security_headers());
  router.use(rate_limit({.requests_per_second = 100, .burst = 100}, render));
  router.use(sessions({.backend = &backend}));
  router.use(csrf(std::string(kSecret), render));
  router.post("/form", [](Request&) { return Response::html("never"); });
  router.finalize();
  // A rejected CSRF post still gets the outer layers: request id, security headers, and a
  // session cookie because the 403 page is HTML.
  Request req = request(Method::kPost, "/form");
  const Response res = router.dispatch(req);
  EXPECT_EQ(res.status, 403);
  EXPECT_TRUE(res.headers.has("X-Request-Id"));
  EXPECT_TRUE(res.headers.has("Content-Security-Policy"));
  EXPECT_NE(set_cookie_of(res).find("zocalo_sid="), std::string::npos);
}

}  // namespace
}  // namespace zocalo::http
