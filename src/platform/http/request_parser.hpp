#pragma once
// Internal to the server: Beast's HTTP/1.1 request parser writing straight into our Request,
// so a request is parsed once, with no intermediate beast::http::fields to copy from.
#include <boost/beast/http/basic_parser.hpp>
#include <cstddef>
#include <cstdint>

#include "platform/http/request.hpp"

namespace zocalo::http {

class RequestParser final : public boost::beast::http::basic_parser<true> {
 public:
  explicit RequestParser(Request& req) : req_(req) {}

  int version() const { return version_; }
  // RFC 9112 §3.2: a request with no Host, or with more than one, is answered 400.
  std::size_t host_fields() const { return host_fields_; }
  // RFC 9110 §10.1.1: the client waits for "100 Continue" before sending the content.
  bool expects_continue() const { return expects_continue_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb method, string_view method_str, string_view target,
                       int version, error_code& ec) override;
  void on_response_impl(int code, string_view reason, int version, error_code& ec) override;
  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code& ec) override;
  void on_header_impl(error_code& ec) override;
  void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                         error_code& ec) override;
  std::size_t on_body_impl(string_view body, error_code& ec) override;
  void on_chunk_header_impl(std::uint64_t size, string_view extensions, error_code& ec) override;
  std::size_t on_chunk_body_impl(std::uint64_t remain, string_view body, error_code& ec) override;
  void on_finish_impl(error_code& ec) override;

  Request& req_;
  int version_ = 11;
  std::size_t host_fields_ = 0;
  bool expects_continue_ = false;
};

}  // namespace zocalo::http
