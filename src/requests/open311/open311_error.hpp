#pragma once
// Open311 GeoReport v2, "Errors": an array of {code, description}; XML
// <errors><error><code>…</code><description>…</description></error></errors>, JSON
// [{"code":400,"description":"…"}]. `code` repeats the HTTP status: 403 for a missing or bad
// api_key, 404 for an unknown service_code, jurisdiction or resource, 400 otherwise.
#include <string>
#include <vector>

#include "requests/open311/format.hpp"

namespace zocalo::requests::open311 {

struct Open311Error {
  int code = 400;
  // For the developer reading the response: English, names the parameter and says what is
  // expected. May quote a short piece of the caller's own input; never internal detail.
  std::string description;

  friend bool operator==(const Open311Error&, const Open311Error&) = default;
};

std::string render_errors(const std::vector<Open311Error>& errors, Format format);

// The HTTP status to answer with: the first error's code (they are listed most serious first),
// 400 when there is none.
int http_status(const std::vector<Open311Error>& errors);

}  // namespace zocalo::requests::open311
