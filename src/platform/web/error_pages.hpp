#pragma once
// Every error a person or a client sees: an HTML page in the reader's language (short, what
// happened, what to do, a way home), or RFC 9457 problem+json when the client asked for JSON.
// The server uses renderer() for the answers it makes before routing (400, 408, 413, 431, 503);
// the router uses fallback() for 404/405; handlers use error_response() for their Errors.
#include <functional>
#include <string>

#include "platform/core/result.hpp"
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"
#include "platform/http/server.hpp"
#include "platform/web/renderer.hpp"

namespace zocalo::web {

class ErrorPages {
 public:
  explicit ErrorPages(const Renderer& renderer) : renderer_(renderer) {}

  // The answer for `status` (400, 401, 403, 404, 405, 408, 409, 413, 422, 429, 431, 500, 503;
  // other codes get their class's generic page). Never throws; works on a request with little
  // more than headers parsed. A 405 copies the Allow value the router left in the request.
  http::Response page(http::Request& req, int status) const noexcept;
  // The answer for an expected failure: the status from http::status_for(kind), the Error's
  // user_key text (localised) as the detail. Server-side failures (5xx) are logged with the
  // request id and detail; the reader only ever sees the catalog text.
  http::Response error_response(http::Request& req, const Error& error) const noexcept;

  // For http::Server.
  http::ErrorRenderer renderer() const;
  // For http::Router::set_fallback.
  std::function<http::Response(http::Request&, int, const std::string&)> fallback() const;

 private:
  http::Response build(http::Request& req, int status, std::string_view detail_key) const;

  const Renderer& renderer_;
};

}  // namespace zocalo::web
