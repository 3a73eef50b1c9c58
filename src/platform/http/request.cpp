#include "platform/http/request.hpp"

#include <algorithm>

#include "platform/http/cookie.hpp"
#include "platform/http/header_syntax.hpp"

namespace zocalo::http {
namespace {

// The weight the Accept header gives a media type: the q of the most specific range that
// matches it (RFC 9110 §12.5.1), 0 when none does.
struct Preference {
  std::string_view type;
  std::string_view subtype;
  int specificity = -1;
  int q = 0;

  void consider(std::string_view range_type, std::string_view range_subtype, int range_q) {
    int s = -1;
    if (range_type == "*" && range_subtype == "*") {
      s = 0;
    } else if (iequals(range_type, type) && range_subtype == "*") {
      s = 1;
    } else if (iequals(range_type, type) && iequals(range_subtype, subtype)) {
      s = 2;
    }
    if (s < 0) return;
    if (s > specificity || (s == specificity && range_q > q)) {
      specificity = s;
      q = range_q;
    }
  }
};

}  // namespace

std::string_view method_name(Method m) {
  switch (m) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      break;
  }
  return "OTHER";
}

Method parse_method(std::string_view s) {
  // RFC 9110 §9.1: method names are case-sensitive; "get" is not GET.
  if (s == "GET") return Method::kGet;
  if (s == "HEAD") return Method::kHead;
  if (s == "POST") return Method::kPost;
  if (s == "PUT") return Method::kPut;
  if (s == "PATCH") return Method::kPatch;
  if (s == "DELETE") return Method::kDelete;
  if (s == "OPTIONS") return Method::kOptions;
  return Method::kOther;
}

bool is_safe(Method m) {
  // RFC 9110 §9.2.1
  return m == Method::kGet || m == Method::kHead || m == Method::kOptions;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
  // HTTP/2 and HTTP/3 may split Cookie into several fields (RFC 9113 §8.2.3): read them all.
  for (const auto& [field, value] : headers.fields()) {
    if (!iequals(field, "Cookie")) continue;
    for (auto& [n, v] : parse_cookie_header(value)) {
      if (n == name) return std::move(v);
    }
  }
  return std::nullopt;
}

const Result<FormData>& Request::query() const {
  if (!query_) query_.emplace(parse_urlencoded(raw_query));
  return *query_;
}

const Result<FormData>& Request::form() const {
  if (form_) return *form_;
  const auto content_type = headers.get("Content-Type");
  const std::string_view media = content_type
                                     ? trim_ows(content_type->substr(0, content_type->find(';')))
                                     : std::string_view();
  if (iequals(media, "application/x-www-form-urlencoded")) {
    form_.emplace(parse_urlencoded(body));
  } else if (iequals(media, "multipart/form-data")) {
    form_.emplace(parse_multipart(body, *content_type));
  } else {
    form_.emplace(
        fail(Error::invalid("error.bad_form", "form body with unsupported Content-Type")));
  }
  return *form_;
}

bool Request::wants_json() const {
  if (path.starts_with("/api/") || path == "/api") return true;
  const auto accept = headers.get("Accept");
  if (!accept) return false;
  Preference json{"application", "json"};
  Preference problem{"application", "problem+json"};
  Preference html{"text", "html"};
  std::string_view rest = *accept;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view element = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const std::size_t semi = element.find(';');
    const std::string_view range = trim_ows(element.substr(0, semi));
    const std::size_t slash = range.find('/');
    if (slash == std::string_view::npos) continue;
    int q = 1000;
    if (semi != std::string_view::npos) {
      std::string_view params = element.substr(semi + 1);
      while (!params.empty()) {
        const std::size_t next = params.find(';');
        const std::string_view param = trim_ows(params.substr(0, next));
        params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
        if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
          q = parse_qvalue(param.substr(2)).value_or(-1);
        }
      }
    }
    if (q < 0) continue;  // a malformed weight: ignore the range rather than guess
    const std::string_view type = range.substr(0, slash);
    const std::string_view subtype = range.substr(slash + 1);
    json.consider(type, subtype, q);
    problem.consider(type, subtype, q);
    html.consider(type, subtype, q);
  }
  const int json_q = std::max(json.q, problem.q);
  return json_q > 0 && json_q > html.q;
}

}  // namespace zocalo::http
