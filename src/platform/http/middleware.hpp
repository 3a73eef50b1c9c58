#pragma once
// The standard middleware chain. A typical server uses, outermost first:
//
//   router.use(middleware::request_id());
//   router.use(middleware::access_log());
//   router.use(middleware::security_headers());
//   router.use(middleware::rate_limit({.requests_per_second = 20, .burst = 60}, render_error));
//   router.use(middleware::sessions({.secure_cookies = true, .backend = &session_store}));
//   router.use(middleware::csrf(secret, render_error));
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/http/rate_limiter.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"
#include "platform/http/session.hpp"

namespace zocalo::http::middleware {

// Keeps an incoming X-Request-Id when it is sane (1-64 chars of [A-Za-z0-9._-]), so a proxy's
// id follows the request through our logs; otherwise keeps the server's id or makes a random
// one. Echoes it in the response's X-Request-Id.
Middleware request_id();
bool is_sane_request_id(std::string_view id);

// One structured line per request ("http.request": method, route, path, status, bytes, ms,
// request_id, remote) when info is enabled, and the request metrics always.
Middleware access_log();

struct SecurityHeadersOptions {
  std::string content_security_policy =
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
  std::string permissions_policy = "geolocation=(self), camera=(), microphone=()";
  std::string referrer_policy = "strict-origin-when-cross-origin";
  std::string frame_options = "DENY";
  // Strict-Transport-Security, sent on secure requests only (RFC 6797 §7.2).
  std::string strict_transport_security = "max-age=31536000; includeSubDomains";
};
// Adds each header the handler did not set itself.
Middleware security_headers(SecurityHeadersOptions options = {});

struct SessionOptions {
  std::string cookie_name = "zocalo_sid";
  bool secure_cookies = true;
  std::chrono::seconds max_age{std::chrono::hours(24 * 14)};  // 0: a browser-session cookie
  SessionBackend* backend = nullptr;
};
// Gives every request a Session: the cookie's id when it is well-formed, else a fresh random
// one. After the handler, commits the session and sets the cookie when the id is new or
// changed, on HTML answers or when the session was written (JSON APIs never get cookies).
Middleware sessions(SessionOptions options);
// A session id as we mint them: crypto::random_token(32), 43 base64url characters.
bool is_valid_session_id(std::string_view id);

// Stateless CSRF protection bound to the session: token = base64url(HMAC-SHA256(secret,
// "csrf:" + session id)), so any node with the secret can check it. Sets req.csrf_token for
// forms; on unsafe methods (routes not csrf_exempt) requires form field "_csrf" or header
// X-CSRF-Token to match, else answers 403 through `render_error` without running the handler.
// Must run inside sessions().
Middleware csrf(std::string secret, ErrorRenderer render_error);
std::string csrf_token(std::string_view secret, std::string_view session_id);

// Token bucket per client address (IPv6 by /64); over the limit answers 429 with Retry-After
// (RFC 6585 §4) through `render_error`.
Middleware rate_limit(RateLimitOptions options, ErrorRenderer render_error);
// The bucket key for an address: the address itself, or its /64 for IPv6, since one
// subscriber usually holds a whole /64.
std::string rate_limit_key(std::string_view remote_addr);

}  // namespace zocalo::http::middleware
