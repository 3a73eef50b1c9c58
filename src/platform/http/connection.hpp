#pragma once
// Internal to the server: one accepted TCP connection, serving HTTP/1.1 requests one after
// another (keep-alive, RFC 9112 §9.3). Every member runs on the connection's strand except the
// handler itself, which may run on a worker thread while the strand leaves the request alone.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "platform/http/request_parser.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server_context.hpp"

namespace zocalo::http {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // `over_capacity`: the server is at max_connections; this one only gets a 503.
  Connection(ServerContext& ctx, boost::asio::ip::tcp::socket socket, bool over_capacity);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start();
  // Graceful stop: an idle keep-alive connection closes now; a busy one after its answer.
  void on_server_stop();
  // Grace period over: close whatever the state.
  void force_close();
  boost::asio::any_io_executor executor() { return socket_.get_executor(); }

 private:
  using Clock = std::chrono::steady_clock;
  using error_code = boost::system::error_code;

  enum class State { kIdle, kReading, kHandling, kWriting, kLingering, kClosed };
  enum class Step { kGoOn, kStop };

  void begin_request();
  void read_more();
  void on_read(error_code ec, std::size_t n);
  void parse_buffered();
  Step on_header_complete();
  void on_request_complete();
  // Whether the matched route runs this request on the I/O thread (RouteOptions).
  bool runs_inline() const;
  // Runs the router (middleware, handler) and prepares the answer; on any thread.
  Response produce();
  Response render_error(int status);
  void finish_response(Response& res);
  void answer_error(int status, std::string_view reason);
  void write_response();
  void on_write(error_code ec);
  // Half-closes and discards input for up to `linger` before closing (see connection.cpp).
  void linger_close(Clock::duration linger);
  void on_drain(error_code ec, std::size_t n);
  void close();
  void release_slot();

  // One steady_timer per connection, re-armed lazily: moving the deadline later only stores
  // it, so a keep-alive request costs no timer cancellation.
  void set_deadline(Clock::time_point t);
  void arm_timer(Clock::time_point t);
  void on_timer(std::uint64_t generation, error_code ec);
  void on_deadline();

  ServerContext& ctx_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::steady_timer timer_;
  Clock::time_point deadline_ = Clock::time_point::max();
  Clock::time_point armed_at_ = Clock::time_point::max();
  std::uint64_t timer_generation_ = 0;
  bool timer_armed_ = false;

  boost::beast::flat_buffer buffer_;  // reused across requests; holds pipelined bytes too
  std::optional<RequestParser> parser_;
  Request req_;
  Match match_;
  Response res_;
  std::string head_;  // serialised status line and fields, capacity reused
  std::string remote_;

  State state_ = State::kIdle;
  bool over_capacity_;
  bool counted_ = false;    // holds a max_connections slot
  bool in_flight_ = false;  // counted in ServerContext::in_flight
  bool header_done_ = false;
  bool request_read_ = false;  // the whole request, body included, has been parsed
  bool keep_alive_ = true;
  bool head_request_ = false;
  bool writing_continue_ = false;
  std::size_t drained_ = 0;
};

}  // namespace zocalo::http
