#include "requests/routes/open311_call.hpp"

#include <string>
#include <utility>

#include "platform/core/log.hpp"
#include "platform/http/errors.hpp"
#include "platform/web/locale.hpp"
#include "requests/open311/open311_error.hpp"

namespace zocalo::requests {
namespace {

using open311::Format;
using open311::Open311Error;

// For a failure whose detail must stay in the log: what the developer may read.
std::string description_for(int status) {
  switch (status) {
    case 400:
      return "The request is invalid.";
    case 403:
      return "Not allowed.";
    case 404:
      return "Not found.";
    case 409:
      return "The request conflicts with the current state of the resource.";
    case 429:
      return "Too many requests; slow down.";
    case 503:
      return "The service is temporarily unavailable; try again shortly.";
    default:
      break;
  }
  return status >= 500 ? "Internal error." : "The request cannot be answered.";
}

// Open311 GeoReport v2: an empty parameter is the same as an absent one.
std::vector<std::string_view> non_empty(const http::FormData& query, std::string_view name) {
  std::vector<std::string_view> values = query.get_all(name);
  std::erase_if(values, [](std::string_view v) { return v.empty(); });
  return values;
}

}  // namespace

Format format_or_xml(const http::Request& req) {
  const auto it = req.params.find("fmt");
  if (it == req.params.end()) return Format::kXml;
  const auto format = open311::parse_format(it->second);
  return format ? *format : Format::kXml;
}

Open311Call read_call(const http::Request& req, std::string_view jurisdiction_id) {
  Open311Call call;
  const auto fmt = req.params.find("fmt");
  const auto format = open311::parse_format(fmt == req.params.end() ? "" : fmt->second);
  if (!format) {
    call.errors.push_back({404, "Unknown format: the suffix must be .xml or .json."});
    return call;
  }
  call.format = *format;
  const Result<http::FormData>& query = req.query();
  if (!query) {
    call.errors.push_back({400, "The query string is malformed (bad percent-encoding or UTF-8)."});
    return call;
  }
  for (const std::string_view given : non_empty(*query, "jurisdiction_id")) {
    if (given != jurisdiction_id) {
      call.errors.push_back({404, "Unknown jurisdiction_id; this endpoint serves '" +
                                      std::string(jurisdiction_id) + "'."});
      return call;
    }
  }
  call.locale = req.locale;
  const std::vector<std::string_view> locales = non_empty(*query, "locale");
  if (!locales.empty()) {
    if (auto matched = web::match_locale(locales.front(), kCatalogLocales)) call.locale = *matched;
  }
  return call;
}

http::Response document_answer(std::string body, Format format) {
  http::Response res =
      http::Response::with_type(open311::content_type(format), std::move(body), 200);
  // Open311 clients include other sites' web apps, calling from the browser. The API is public
  // and takes no cookies, so any origin may read its answers (Fetch standard, CORS).
  res.headers.set("Access-Control-Allow-Origin", "*");
  return res;
}

http::Response errors_answer(const std::vector<Open311Error>& errors, Format format) {
  http::Response res = document_answer(open311::render_errors(errors, format), format);
  res.status = open311::http_status(errors);
  // About this call only; a cache must not keep it.
  res.headers.set("Cache-Control", "no-store");
  return res;
}

http::Response failure_answer(const http::Request& req, const Error& error, Format format) {
  const int status = http::status_for(error.kind);
  log::write(status >= 500 ? log::Level::kError : log::Level::kDebug, "open311.error",
             {{"request_id", req.request_id},
              {"route", req.route_name},
              {"status", status},
              {"detail", error.detail}});
  return errors_answer({{status, description_for(status)}}, format);
}

}  // namespace zocalo::requests
