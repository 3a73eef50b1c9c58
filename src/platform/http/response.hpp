#pragma once
#include <string>
#include <string_view>

#include "platform/http/cookie.hpp"
#include "platform/http/headers.hpp"

namespace zocalo::http {

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // Set by handlers whose body must not be gzip-compressed (already compressed bytes).
  bool compressible = true;

  static Response html(std::string body, int status = 200);
  static Response json(std::string body, int status = 200);
  static Response text(std::string body, int status = 200);
  // A text/* type without a charset parameter gets "; charset=utf-8".
  static Response with_type(std::string_view content_type, std::string body, int status = 200);
  // 303 See Other by default: the answer to a successful form post (post/redirect/get).
  static Response redirect(std::string location, int status = 303);
  static Response empty(int status);

  void set_cookie(const Cookie& c) { headers.add("Set-Cookie", c.serialize()); }
};

// The RFC 9110 §15 reason phrase; empty for codes it does not know (a reason phrase is
// optional on the wire, RFC 9112 §4).
std::string_view reason_phrase(int status);

}  // namespace zocalo::http
