#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/http/form.hpp"
#include "platform/http/headers.hpp"
#include "platform/http/session.hpp"

namespace zocalo::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };
std::string_view method_name(Method m);
Method parse_method(std::string_view s);
// GET, HEAD and OPTIONS change nothing; everything else needs CSRF proof on form posts.
bool is_safe(Method m);

struct Request {
  Method method = Method::kGet;
  std::string target;     // as received, e.g. "/buscar?q=agua"
  std::string path;       // percent-decoded, valid UTF-8, e.g. "/buscar"
  std::string raw_query;  // after '?', still encoded
  Headers headers;
  std::string body;
  std::string remote_addr;  // peer IP (or the trusted proxy's X-Forwarded-For client)
  bool secure = false;      // arrived over TLS (directly or per a trusted proxy)

  // Filled by the router and middleware.
  std::map<std::string, std::string> params;  // path parameters, decoded
  std::string route_name;                     // pattern of the matched route, for metrics/logs
  bool csrf_exempt = false;                   // the matched route's RouteOptions::csrf_exempt
  std::string request_id;
  std::string locale = "es-MX";  // chosen by the locale middleware
  std::string csrf_token;        // to embed in forms rendered for this request
  Session session;

  std::optional<std::string_view> header(std::string_view name) const { return headers.get(name); }
  std::optional<std::string> cookie(std::string_view name) const;
  // Query string parameters (parsed on first use; malformed input yields an error).
  const Result<FormData>& query() const;
  // Body as form fields: application/x-www-form-urlencoded or multipart/form-data.
  const Result<FormData>& form() const;
  // Whether the client prefers JSON (Accept) — used to choose problem+json over HTML.
  bool wants_json() const;

 private:
  mutable std::optional<Result<FormData>> query_;
  mutable std::optional<Result<FormData>> form_;
};

}  // namespace zocalo::http
