#include "platform/http/wire.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <ctime>

#include "platform/core/time.hpp"
#include "platform/http/form.hpp"
#include "platform/http/gzip.hpp"
#include "platform/http/header_syntax.hpp"
#include "platform/http/headers.hpp"

namespace zocalo::http::wire {
namespace {

std::string_view last_list_element(std::string_view list) {
  const std::size_t comma = list.rfind(',');
  return trim_ows(comma == std::string_view::npos ? list : list.substr(comma + 1));
}

bool has_dot_segment(std::string_view path) {
  std::size_t pos = 0;
  while (pos <= path.size()) {
    std::size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view seg = path.substr(pos, end - pos);
    if (seg == "." || seg == "..") return true;
    pos = end + 1;
  }
  return false;
}

// A Vary field already naming Accept-Encoding (or "*") needs nothing added.
bool varies_on_encoding(const Headers& headers) {
  for (const auto& [name, value] : headers.fields()) {
    if (!iequals(name, "Vary")) continue;
    std::string_view list = value;
    while (!list.empty()) {
      const std::size_t comma = list.find(',');
      const std::string_view item = trim_ows(list.substr(0, comma));
      if (item == "*" || iequals(item, "Accept-Encoding")) return true;
      list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    }
  }
  return false;
}

void append_number(std::string& out, std::size_t n) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, r.ptr);
}

}  // namespace

std::string_view raw_path(std::string_view target) {
  return target.substr(0, target.find('?'));
}

int decode_target(Request& req) {
  // RFC 9112 §3.2.2: a server MUST accept the absolute-form (proxies send it); only its path
  // and query matter here, so it is rewritten to the origin-form everything else expects.
  for (const std::string_view scheme :
       {std::string_view("http://"), std::string_view("https://")}) {
    if (req.target.size() > scheme.size() &&
        iequals(std::string_view(req.target).substr(0, scheme.size()), scheme)) {
      const std::size_t path = req.target.find('/', scheme.size());
      const std::size_t query = req.target.find('?', scheme.size());
      if (query < path) return 400;  // "http://host?x": no path to serve
      req.target = path == std::string::npos ? "/" : req.target.substr(path);
      break;
    }
  }
  const std::string_view target = req.target;
  if (target.empty() || target.front() != '/') return 400;
  // A fragment is never part of a request-target (RFC 9112 §3.2).
  if (target.find('#') != std::string_view::npos) return 400;
  const std::size_t q = target.find('?');
  const std::string_view raw = target.substr(0, q);
  req.raw_query.assign(q == std::string_view::npos ? std::string_view() : target.substr(q + 1));
  if (raw.find('%') == std::string_view::npos) {
    // The common case: nothing to decode, only the bytes to check.
    if (!utf8::is_valid(raw) || raw.find('\0') != std::string_view::npos) return 400;
    req.path.assign(raw);
  } else {
    auto decoded = percent_decode(raw, false);
    if (!decoded || decoded->find('\0') != std::string::npos) return 400;
    req.path = std::move(*decoded);
  }
  if (has_dot_segment(req.path)) return 400;
  return 0;
}

void apply_forwarded(Request& req) {
  if (auto xff = req.headers.get("X-Forwarded-For")) {
    boost::system::error_code ec;
    const auto addr = boost::asio::ip::make_address(std::string(last_list_element(*xff)), ec);
    if (!ec) req.remote_addr = addr.to_string();
  }
  if (auto proto = req.headers.get("X-Forwarded-Proto")) {
    req.secure = iequals(last_list_element(*proto), "https");
  }
}

void apply_content_coding(const Request& req, Response& res, std::size_t min_bytes) {
  if (!res.compressible || res.body.empty() || res.body.size() < min_bytes) return;
  if (!status_has_body(res.status) || res.status == 206) return;
  if (res.headers.has("Content-Encoding")) return;
  const auto type = res.headers.get("Content-Type");
  if (!type || !is_compressible_type(*type)) return;
  if (!varies_on_encoding(res.headers)) res.headers.add("Vary", "Accept-Encoding");
  const auto accept = req.headers.get("Accept-Encoding");
  if (!accept || !accepts_gzip(*accept)) return;
  res.body = gzip_compress(res.body);
  res.headers.set("Content-Encoding", "gzip");
  // RFC 9110 §8.8.3: a different content coding is a different representation, so a strong
  // validator of the identity bytes must not be reused for the gzip bytes.
  if (auto etag = res.headers.get("ETag"); etag && !etag->starts_with("W/")) {
    res.headers.set("ETag", "W/" + std::string(*etag));
  }
}

bool status_has_body(int status) {
  return status >= 200 && status != 204 && status != 304;
}

bool well_formed(const Response& res) {
  if (res.status < 200 || res.status > 599) return false;
  for (const auto& field : res.headers.fields()) {
    if (!is_token(field.first)) return false;
  }
  return true;
}

void serialize_head(std::string& out, const Response& res, bool keep_alive, bool http10) {
  out.clear();
  // RFC 9110 §6.2: we answer with our highest version, 1.1, whatever minor version came in.
  out += "HTTP/1.1 ";
  append_number(out, static_cast<std::size_t>(res.status));
  out += ' ';
  out += reason_phrase(res.status);
  out += "\r\n";
  bool has_date = false;
  bool has_server = false;
  for (const auto& [name, value] : res.headers.fields()) {
    // Framing and connection management belong to the server (RFC 9112 §6, §9).
    if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
        iequals(name, "Connection") || iequals(name, "Keep-Alive")) {
      continue;
    }
    if (!has_date && iequals(name, "Date")) has_date = true;
    if (!has_server && iequals(name, "Server")) has_server = true;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  // RFC 9110 §6.6.1: an origin server with a clock MUST send Date.
  if (!has_date) {
    out += "Date: ";
    out += http_date_now();
    out += "\r\n";
  }
  if (!has_server) out += "Server: zocalo\r\n";
  // RFC 9110 §8.6: no Content-Length on 1xx/204; on 304 it would describe the selected
  // representation, which we do not know here, so it is left out.
  if (status_has_body(res.status)) {
    out += "Content-Length: ";
    append_number(out, res.body.size());
    out += "\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (http10) {
    out += "Connection: keep-alive\r\n";  // HTTP/1.0 closes unless told otherwise
  }
  out += "\r\n";
}

std::string_view http_date_now() {
  struct Cache {
    std::time_t second = -1;
    std::string text;
  };
  thread_local Cache cache;
  const std::time_t now = std::time(nullptr);
  if (now != cache.second) {
    cache.text = time::to_http_date(static_cast<std::int64_t>(now));
    cache.second = now;
  }
  return cache.text;
}

}  // namespace zocalo::http::wire
