#include "platform/http/errors.hpp"

#include "platform/core/log.hpp"
#include "platform/core/text.hpp"
#include "platform/http/form.hpp"

namespace zocalo::http {
namespace {

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  // A JSON text must be UTF-8 (RFC 8259 §8.1); stray bytes become U+FFFD, not broken JSON.
  if (utf8::is_valid(s)) {
    text::append_json_escaped(out, s);
  } else {
    text::append_json_escaped(out, utf8::to_valid(s));
  }
  out += '"';
}

}  // namespace

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return 400;
    case ErrorKind::kUnauthorized:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kTooLarge:
      return 413;
    case ErrorKind::kRateLimited:
      return 429;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kInternal:
      break;
  }
  return 500;
}

Response problem_json(int status, std::string_view title, std::string_view detail,
                      std::string_view instance) {
  // RFC 9457 §3.1. "about:blank" means the problem is the status itself (§4.2.1); optional
  // members are left out rather than sent empty.
  std::string body = R"({"type":"about:blank","title":)";
  append_json_string(body, title);
  body += ",\"status\":";
  body += std::to_string(status);
  if (!detail.empty()) {
    body += ",\"detail\":";
    append_json_string(body, detail);
  }
  if (!instance.empty()) {
    body += ",\"instance\":";
    append_json_string(body, instance);
  }
  body += '}';
  return Response::with_type("application/problem+json", std::move(body), status);
}

}  // namespace zocalo::http
