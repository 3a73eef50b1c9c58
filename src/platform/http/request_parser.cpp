#include "platform/http/request_parser.hpp"

#include <boost/beast/http/error.hpp>
#include <string>

namespace zocalo::http {

namespace bhttp = boost::beast::http;

void RequestParser::on_request_impl(bhttp::verb /*method*/, string_view method_str,
                                    string_view target, int version, error_code& /*ec*/) {
  req_.method = http::parse_method(method_str);
  req_.target.assign(target.data(), target.size());
  version_ = version;
}

void RequestParser::on_response_impl(int /*code*/, string_view /*reason*/, int /*version*/,
                                     error_code& ec) {
  ec = bhttp::error::bad_version;  // never called for a request parser
}

void RequestParser::on_field_impl(bhttp::field name, string_view name_string, string_view value,
                                  error_code& /*ec*/) {
  if (name == bhttp::field::host) ++host_fields_;
  if (name == bhttp::field::expect && iequals(value, "100-continue")) expects_continue_ = true;
  req_.headers.add(name_string, std::string(value));
}

void RequestParser::on_header_impl(error_code& /*ec*/) {}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                                      error_code& /*ec*/) {
  // The connection has checked the length against the route's limit before the body starts.
  if (content_length) req_.body.reserve(static_cast<std::size_t>(*content_length));
}

std::size_t RequestParser::on_body_impl(string_view body, error_code& /*ec*/) {
  req_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t /*size*/, string_view /*extensions*/,
                                         error_code& /*ec*/) {}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t /*remain*/, string_view body,
                                              error_code& /*ec*/) {
  req_.body.append(body.data(), body.size());
  return body.size();
}

void RequestParser::on_finish_impl(error_code& /*ec*/) {}

}  // namespace zocalo::http
