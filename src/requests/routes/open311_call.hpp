#pragma once
// What every Open311 GeoReport v2 call shares: reading the format suffix, the query string,
// jurisdiction_id and the language; and answering with a document or an error document.
// The Open311 API never answers with an HTML page: errors are Open311 error arrays too.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"
#include "requests/open311/format.hpp"
#include "requests/open311/open311_error.hpp"

namespace zocalo::requests {

// The languages service names, descriptions and groups are written in (LocalizedText).
inline const std::array<std::string, 2> kCatalogLocales = {"es-MX", "en"};

struct Open311Call {
  // XML when the suffix is unknown: the one format the spec makes mandatory.
  open311::Format format = open311::Format::kXml;
  std::string locale;                         // "es-MX" or "en"
  std::vector<open311::Open311Error> errors;  // the call must stop when not empty
  bool ok() const { return errors.empty(); }
};

// Reads, in order (the first problem stops the reading):
//   - the path parameter `fmt`: "xml" or "json", else 404 (Open311 GeoReport v2, "Format
//     Support": there is no such resource);
//   - the query string: malformed (bad escapes, invalid UTF-8) is 400;
//   - jurisdiction_id: optional; every non-empty value must equal `jurisdiction_id`, else 404
//     (Open311 GeoReport v2: jurisdiction_id is "required only if the endpoint serves multiple
//     jurisdictions", and an unknown one is not found);
//   - locale: not part of GeoReport v2 but a common extension; "es"/"en" (or any tag of those
//     languages) picks the catalog's language, anything else leaves req.locale, the language
//     negotiated for the request (?lang=, cookie, Accept-Language).
Open311Call read_call(const http::Request& req, std::string_view jurisdiction_id);

// The format a request's `fmt` names, XML when it names none we know.
open311::Format format_or_xml(const http::Request& req);

// 200 with `body` in `format`, readable from any origin.
http::Response document_answer(std::string body, open311::Format format);
// The error document, with the first error's code as the HTTP status; never cached.
http::Response errors_answer(const std::vector<open311::Open311Error>& errors,
                             open311::Format format);
// An expected failure from the model or a store: status from http::status_for(kind) and a
// fixed description for it (never the detail, which goes to the log: at error level for 5xx).
// A database that cannot be reached gives 503.
http::Response failure_answer(const http::Request& req, const Error& error, open311::Format format);

}  // namespace zocalo::requests
