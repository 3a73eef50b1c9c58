#include "platform/http/middleware.hpp"

#include <arpa/inet.h>

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "platform/core/crypto.hpp"
#include "platform/core/log.hpp"
#include "platform/core/metrics.hpp"
#include "platform/http/cookie.hpp"

namespace zocalo::http::middleware {
namespace {

// CSRF secrets shorter than this are guessable offline from one token.
constexpr std::size_t kMinCsrfSecretBytes = 16;
constexpr std::size_t kSessionIdChars = 43;  // base64url of 32 random bytes, no padding
constexpr std::size_t kMaxRequestIdChars = 64;

bool is_base64url_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

Response render_or_plain(const ErrorRenderer& render, Request& req, int status) {
  Response res =
      render ? render(req, status) : Response::text(std::string(reason_phrase(status)), status);
  res.status = status;
  return res;
}

void set_if_absent(Response& res, std::string_view name, const std::string& value) {
  if (!res.headers.has(name)) res.headers.set(name, value);
}

bool is_html(const Response& res) {
  const auto type = res.headers.get("Content-Type");
  if (!type || type->size() < 9) return false;
  return iequals(type->substr(0, 9), "text/html");
}

}  // namespace

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdChars) return false;
  for (char c : id) {
    if (!is_base64url_char(c) && c != '.') return false;
  }
  return true;
}

Middleware request_id() {
  return [](Request& req, const Next& next) {
    // An id from outside is only trusted in shape: it ends up in every log line of the request.
    if (auto incoming = req.header("X-Request-Id"); incoming && is_sane_request_id(*incoming)) {
      req.request_id.assign(*incoming);
    } else if (req.request_id.empty()) {
      req.request_id = crypto::random_token(12);
    }
    Response res = next(req);
    if (!res.headers.has("X-Request-Id")) res.headers.set("X-Request-Id", req.request_id);
    return res;
  };
}

Middleware access_log() {
  return [](Request& req, const Next& next) {
    const auto start = std::chrono::steady_clock::now();
    auto record = [&req, start](int status, std::size_t bytes) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const std::string_view method = method_name(req.method);
      metrics::Registry::global().observe_request(req.route_name, method, status, seconds);
      // Checked first so that with the level at warn (production, benchmarks) no line is built.
      if (log::enabled(log::Level::kInfo)) {
        // The query string is left out: it may carry tokens or personal data.
        log::info("http.request", {{"method", method},
                                   {"route", req.route_name},
                                   {"path", req.path},
                                   {"status", status},
                                   {"bytes", bytes},
                                   {"ms", seconds * 1000.0},
                                   {"request_id", req.request_id},
                                   {"remote", req.remote_addr}});
      }
    };
    Response res;
    try {
      res = next(req);
    } catch (...) {
      record(500, 0);  // the server answers 500; the line must still be written
      throw;
    }
    record(res.status, res.body.size());
    return res;
  };
}

Middleware security_headers(SecurityHeadersOptions options) {
  return [o = std::move(options)](Request& req, const Next& next) {
    Response res = next(req);
    // A handler that set one of these did so on purpose (an embeddable widget, a map tile
    // page with its own CSP); ours are the default, not an override.
    set_if_absent(res, "Content-Security-Policy", o.content_security_policy);
    set_if_absent(res, "X-Content-Type-Options", "nosniff");
    set_if_absent(res, "Referrer-Policy", o.referrer_policy);
    set_if_absent(res, "X-Frame-Options", o.frame_options);
    set_if_absent(res, "Permissions-Policy", o.permissions_policy);
    // RFC 6797 §7.2: HSTS over plain HTTP is ignored by browsers, so only send it on TLS.
    if (req.secure) set_if_absent(res, "Strict-Transport-Security", o.strict_transport_security);
    return res;
  };
}

bool is_valid_session_id(std::string_view id) {
  if (id.size() != kSessionIdChars) return false;
  for (char c : id) {
    if (!is_base64url_char(c)) return false;
  }
  return true;
}

Middleware sessions(SessionOptions options) {
  return [o = std::move(options)](Request& req, const Next& next) {
    std::optional<std::string> sid = req.cookie(o.cookie_name);
    if (sid && is_valid_session_id(*sid)) {
      req.session = Session(std::move(*sid), false, o.backend);
    } else {
      req.session = Session(crypto::random_token(32), true, o.backend);
    }
    Response res = next(req);
    const bool written = req.session.dirty();
    req.session.commit();
    // A fresh id is worth a cookie only where a browser will come back with it: an HTML page,
    // or any answer after which the session holds data. JSON APIs stay cookie-free.
    if ((req.session.is_new() || req.session.id_changed()) && (written || is_html(res))) {
      Cookie cookie;
      cookie.name = o.cookie_name;
      cookie.value = req.session.id();
      cookie.path = "/";
      if (o.max_age.count() > 0) cookie.max_age = static_cast<std::int64_t>(o.max_age.count());
      cookie.http_only = true;
      cookie.secure = o.secure_cookies;
      cookie.same_site = "Lax";
      res.set_cookie(cookie);
      // RFC 9111 §5.2.2.7: a shared cache must not store an answer carrying someone's session.
      if (!res.headers.has("Cache-Control")) res.headers.set("Cache-Control", "private");
    }
    return res;
  };
}

std::string csrf_token(std::string_view secret, std::string_view session_id) {
  std::string message = "csrf:";
  message += session_id;
  return crypto::base64url_encode(crypto::hmac_sha256(secret, message));
}

Middleware csrf(std::string secret, ErrorRenderer render_error) {
  if (secret.size() < kMinCsrfSecretBytes) {
    throw std::invalid_argument("csrf secret must be at least 16 bytes");
  }
  return [secret = std::move(secret), render = std::move(render_error)](Request& req,
                                                                        const Next& next) {
    const bool must_check = !is_safe(req.method) && !req.csrf_exempt;
    if (req.session.empty_id()) {
      // Without a session there is nothing to bind a token to: fail closed.
      if (must_check) return render_or_plain(render, req, 403);
      return next(req);
    }
    req.csrf_token = csrf_token(secret, req.session.id());
    if (must_check) {
      bool ok = false;
      if (auto header = req.header("X-CSRF-Token")) {
        ok = crypto::constant_time_equal(*header, req.csrf_token);
      }
      if (!ok) {
        const auto& form = req.form();
        if (form.ok()) {
          if (auto field = form->get("_csrf"))
            ok = crypto::constant_time_equal(*field, req.csrf_token);
        } else if (form.error().kind == ErrorKind::kTooLarge) {
          // A field or file over FormLimits inside a route's larger body limit (photo forms):
          // refused as too large, which is what it is, rather than as a CSRF failure.
          return render_or_plain(render, req, 413);
        }
      }
      if (!ok) {
        if (log::enabled(log::Level::kInfo)) {
          log::info("http.csrf_rejected", {{"request_id", req.request_id},
                                           {"route", req.route_name},
                                           {"remote", req.remote_addr}});
        }
        return render_or_plain(render, req, 403);
      }
    }
    return next(req);
  };
}

std::string rate_limit_key(std::string_view remote_addr) {
  if (remote_addr.find(':') == std::string_view::npos) return std::string(remote_addr);
  std::string text(remote_addr);
  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) != 1) return text;
  // IPv4-mapped (::ffff:a.b.c.d) is one IPv4 client.
  static constexpr std::array<unsigned char, 12> kMapped = {0, 0, 0, 0, 0,    0,
                                                            0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped.begin(), kMapped.end(), bytes.begin())) {
    char v4[INET_ADDRSTRLEN];
    if (inet_ntop(AF_INET, bytes.data() + 12, v4, sizeof v4)) return v4;
  }
  std::string key =
      crypto::hex_encode(std::string_view(reinterpret_cast<const char*>(bytes.data()), 8));
  key += "/64";
  return key;
}

Middleware rate_limit(RateLimitOptions options, ErrorRenderer render_error) {
  auto limiter = std::make_shared<RateLimiter>(options);
  return [limiter, render = std::move(render_error)](Request& req, const Next& next) {
    const RateLimiter::Decision d = limiter->acquire(rate_limit_key(req.remote_addr));
    if (!d.allowed) {
      Response res = render_or_plain(render, req, 429);
      res.headers.set("Retry-After", std::to_string(d.retry_after.count()));
      return res;
    }
    return next(req);
  };
}

}  // namespace zocalo::http::middleware
