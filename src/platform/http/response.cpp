#include "platform/http/response.hpp"

namespace zocalo::http {
namespace {

bool has_charset(std::string_view content_type) {
  for (std::size_t i = 0; i + 8 <= content_type.size(); ++i) {
    if (iequals(content_type.substr(i, 8), "charset=")) return true;
  }
  return false;
}

}  // namespace

Response Response::html(std::string body, int status) {
  return with_type("text/html; charset=utf-8", std::move(body), status);
}

Response Response::json(std::string body, int status) {
  // RFC 8259 §8.1: JSON is UTF-8 and application/json defines no charset parameter.
  return with_type("application/json", std::move(body), status);
}

Response Response::text(std::string body, int status) {
  return with_type("text/plain; charset=utf-8", std::move(body), status);
}

Response Response::with_type(std::string_view content_type, std::string body, int status) {
  Response r;
  r.status = status;
  std::string type(content_type);
  // RFC 9110 §8.3.1 leaves a text/* charset to sniffing when absent; we only ever write UTF-8.
  if (content_type.size() >= 5 && iequals(content_type.substr(0, 5), "text/") &&
      !has_charset(content_type)) {
    type += "; charset=utf-8";
  }
  r.headers.set("Content-Type", std::move(type));
  r.body = std::move(body);
  return r;
}

Response Response::redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.headers.set("Location", std::move(location));
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  return r;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Content";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return {};
  }
}

}  // namespace zocalo::http
