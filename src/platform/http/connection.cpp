#include "platform/http/connection.hpp"

#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <limits>
#include <utility>

#include "platform/core/log.hpp"
#include "platform/core/metrics.hpp"
#include "platform/http/wire.hpp"

namespace zocalo::http {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t kReadChunk = 8 * 1024;
// After a final answer on a connection we close, keep reading (and discarding) for a moment:
// closing with unread input makes the kernel send RST, which can destroy our answer before
// the client reads it (RFC 9112 §9.6 "tear-down").
constexpr auto kLingerTime = std::chrono::seconds(2);
// When the request was read to its end, only pipelined bytes can be left unread: a short
// linger suffices and a graceful stop is not held up by clients slow to hang up.
constexpr auto kShortLingerTime = std::chrono::milliseconds(200);
constexpr std::size_t kMaxLingerBytes = 1024 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

int status_for_parse_error(const boost::system::error_code& ec) {
  if (ec == bhttp::error::header_limit) return 431;  // RFC 6585 §5
  if (ec == bhttp::error::body_limit) return 413;    // RFC 9110 §15.5.14
  return 400;
}

}  // namespace

Connection::Connection(ServerContext& ctx, tcp::socket socket, bool over_capacity)
    : ctx_(ctx),
      socket_(std::move(socket)),
      timer_(socket_.get_executor()),
      over_capacity_(over_capacity),
      counted_(!over_capacity) {
  ctx_.live.fetch_add(1, std::memory_order_relaxed);
  error_code ec;
  const auto peer = socket_.remote_endpoint(ec);
  if (!ec) remote_ = peer.address().to_string();
}

Connection::~Connection() {
  release_slot();
  if (in_flight_) ctx_.in_flight.fetch_sub(1, std::memory_order_relaxed);
  {
    std::lock_guard lock(ctx_.mu);
    ctx_.registry.erase(this);
    ctx_.live.fetch_sub(1, std::memory_order_relaxed);
  }
  ctx_.changed.notify_all();
}

void Connection::start() {
  {
    std::lock_guard lock(ctx_.mu);
    ctx_.registry.emplace(this, weak_from_this());
  }
  if (over_capacity_) {
    req_.remote_addr = remote_;
    req_.request_id = ctx_.next_request_id();
    answer_error(503, "max_connections");
    return;
  }
  if (ctx_.stopping.load()) {
    close();
    return;
  }
  begin_request();
  // The first request gets request_timeout, not keep_alive_timeout: a client that connects and
  // says nothing is holding a slot, not resting between requests.
  set_deadline(Clock::now() + ctx_.options.request_timeout);
  read_more();
}

void Connection::on_server_stop() {
  if (state_ == State::kIdle) close();
}

void Connection::force_close() {
  close();
}

void Connection::begin_request() {
  req_ = Request{};
  parser_.emplace(req_);
  parser_->header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(
      ctx_.options.max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  // The body limit depends on the route, known once the header is in (on_header_complete).
  parser_->body_limit(boost::none);
  match_ = Match{};
  res_ = Response{};
  header_done_ = false;
  request_read_ = false;
  keep_alive_ = true;
  head_request_ = false;
  state_ = buffer_.size() > 0 ? State::kReading : State::kIdle;
  set_deadline(Clock::now() + (state_ == State::kIdle ? ctx_.options.keep_alive_timeout
                                                      : ctx_.options.request_timeout));
}

void Connection::read_more() {
  socket_.async_read_some(
      buffer_.prepare(kReadChunk),
      [self = shared_from_this()](error_code ec, std::size_t n) { self->on_read(ec, n); });
}

void Connection::on_read(error_code ec, std::size_t n) {
  // A read cancelled by the timeout, or overtaken by an answer, has nothing left to do.
  if (state_ != State::kIdle && state_ != State::kReading) return;
  if (ec) {
    // EOF or reset: the client went away; a half-sent request gets no answer.
    close();
    return;
  }
  buffer_.commit(n);
  if (state_ == State::kIdle) {
    // The request timer covers the header and the body from the first byte on, so trickling
    // a byte at a time (slowloris) cannot hold the connection open.
    state_ = State::kReading;
    set_deadline(Clock::now() + ctx_.options.request_timeout);
  }
  parse_buffered();
}

void Connection::parse_buffered() {
  for (;;) {
    if (buffer_.size() == 0) {
      read_more();
      return;
    }
    error_code ec;
    const std::size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec == bhttp::error::need_more) {
      read_more();
      return;
    }
    if (ec) {
      answer_error(status_for_parse_error(ec), ec.message());
      return;
    }
    bool progressed = used > 0;
    if (!header_done_ && parser_->is_header_done()) {
      header_done_ = true;
      progressed = true;
      if (on_header_complete() == Step::kStop) return;
    }
    if (parser_->is_done()) {
      on_request_complete();
      return;
    }
    if (!progressed) {
      read_more();
      return;
    }
  }
}

Connection::Step Connection::on_header_complete() {
  req_.remote_addr = remote_;
  if (ctx_.options.trust_proxy) wire::apply_forwarded(req_);
  req_.request_id = ctx_.next_request_id();
  head_request_ = req_.method == Method::kHead;

  // RFC 9112 §3.2: HTTP/1.1 requests carry exactly one Host.
  if (parser_->host_fields() > 1 || (parser_->version() >= 11 && parser_->host_fields() == 0)) {
    answer_error(400, "host");
    return Step::kStop;
  }
  if (const int status = wire::decode_target(req_)) {
    answer_error(status, "target");
    return Step::kStop;
  }
  match_ = ctx_.router.match(req_.method, wire::raw_path(req_.target));
  const std::size_t limit = (match_.route && match_.route->options.max_body_bytes > 0)
                                ? match_.route->options.max_body_bytes
                                : ctx_.options.max_body_bytes;
  // Refuse an announced oversized body before reading any of it.
  if (const auto length = parser_->content_length(); length && *length > limit) {
    answer_error(413, "content-length");
    return Step::kStop;
  }
  parser_->body_limit(static_cast<std::uint64_t>(limit));  // also bounds chunked bodies
  parser_->eager(true);

  if (parser_->expects_continue() && parser_->version() >= 11 && !parser_->is_done() &&
      buffer_.size() == 0) {
    writing_continue_ = true;
    asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](error_code ec, std::size_t) {
                        self->writing_continue_ = false;
                        if (self->state_ != State::kReading) return;
                        if (ec) {
                          self->close();
                          return;
                        }
                        self->parse_buffered();
                      });
    return Step::kStop;
  }
  return Step::kGoOn;
}

void Connection::on_request_complete() {
  request_read_ = true;
  keep_alive_ = parser_->keep_alive();
  state_ = State::kHandling;
  set_deadline(Clock::time_point::max());  // handlers are not timed; the write is
  in_flight_ = true;
  ctx_.in_flight.fetch_add(1, std::memory_order_relaxed);

  if (runs_inline()) {
    res_ = produce();
    write_response();
    return;
  }
  if (ctx_.queued.fetch_add(1, std::memory_order_relaxed) >= ctx_.options.max_queued_requests) {
    ctx_.queued.fetch_sub(1, std::memory_order_relaxed);
    answer_error(503, "worker backlog full");
    return;
  }
  // The worker owns req_, match_ and res_ until it posts back: the strand leaves them alone
  // while the state is kHandling.
  asio::post(ctx_.workers, [self = shared_from_this()] {
    self->ctx_.queued.fetch_sub(1, std::memory_order_relaxed);
    self->res_ = self->produce();
    asio::post(self->socket_.get_executor(), [self] { self->write_response(); });
  });
}

bool Connection::runs_inline() const {
  if (!match_.route) return false;
  const auto& options = match_.route->options;
  if (options.run_inline) return true;
  if (!options.run_inline_if) return false;
  try {
    return options.run_inline_if(req_);
  } catch (...) {
    return false;  // the worker pool is always a safe place to run a request
  }
}

Response Connection::produce() {
  Response res;
  try {
    res = ctx_.router.dispatch(req_, std::move(match_));
    if (!wire::well_formed(res)) {
      log::error(
          "http.bad_response",
          {{"request_id", req_.request_id}, {"route", req_.route_name}, {"status", res.status}});
      res = render_error(500);
    }
  } catch (const std::exception& e) {
    // Logged with the request id for the operator; the client learns nothing of it.
    log::error("http.handler_exception",
               {{"request_id", req_.request_id}, {"route", req_.route_name}, {"error", e.what()}});
    res = render_error(500);
  } catch (...) {
    log::error("http.handler_exception", {{"request_id", req_.request_id},
                                          {"route", req_.route_name},
                                          {"error", "non-standard exception"}});
    res = render_error(500);
  }
  finish_response(res);
  return res;
}

Response Connection::render_error(int status) {
  Response res;
  try {
    if (ctx_.render_error) {
      res = ctx_.render_error(req_, status);
    } else {
      res = Response::text(std::string(reason_phrase(status)), status);
    }
  } catch (const std::exception& e) {
    log::error("http.error_renderer_failed",
               {{"request_id", req_.request_id}, {"status", status}, {"error", e.what()}});
    res = Response::text(std::string(reason_phrase(status)), status);
  } catch (...) {
    log::error("http.error_renderer_failed", {{"request_id", req_.request_id}, {"status", status}});
    res = Response::text(std::string(reason_phrase(status)), status);
  }
  // The renderer decides how the answer looks, never what it means.
  res.status = status;
  return res;
}

void Connection::finish_response(Response& res) {
  try {
    wire::apply_content_coding(req_, res, ctx_.options.gzip_min_bytes);
  } catch (const std::exception& e) {
    // Compression is an optimisation: send the identity bytes rather than fail the request.
    res.headers.erase("Content-Encoding");
    log::warn("http.gzip_failed", {{"request_id", req_.request_id}, {"error", e.what()}});
  }
}

void Connection::answer_error(int status, std::string_view reason) {
  if (log::enabled(log::Level::kInfo)) {
    log::info("http.rejected", {{"status", status},
                                {"reason", reason},
                                {"remote", remote_},
                                {"request_id", req_.request_id}});
  }
  metrics::Registry::global().observe_request("<server>", method_name(req_.method), status, 0.0);
  // After a malformed, oversized or late request the framing of what follows is unknown, so
  // the connection ends with this answer (RFC 9112 §9.6).
  keep_alive_ = false;
  res_ = render_error(status);
  if (status == 503 && !res_.headers.has("Retry-After")) res_.headers.set("Retry-After", "1");
  finish_response(res_);
  write_response();
}

void Connection::write_response() {
  if (state_ == State::kClosed) return;
  state_ = State::kWriting;
  // RFC 9112 §9.6: while stopping, every answer says "close".
  keep_alive_ = keep_alive_ && !ctx_.stopping.load(std::memory_order_relaxed);
  const bool http10 = parser_ && parser_->version() == 10;
  wire::serialize_head(head_, res_, keep_alive_, http10);
  // A client that stops reading must not hold the connection forever.
  set_deadline(Clock::now() + ctx_.options.request_timeout);
  // RFC 9110 §9.3.2: HEAD gets the same header fields as GET, Content-Length included, and no
  // content.
  const bool with_body = !head_request_ && wire::status_has_body(res_.status) && !res_.body.empty();
  auto done = [self = shared_from_this()](error_code ec, std::size_t) { self->on_write(ec); };
  if (with_body) {
    const std::array<asio::const_buffer, 2> buffers = {asio::buffer(head_),
                                                       asio::buffer(res_.body)};
    asio::async_write(socket_, buffers, std::move(done));
  } else {
    asio::async_write(socket_, asio::buffer(head_), std::move(done));
  }
}

void Connection::on_write(error_code ec) {
  if (in_flight_) {
    in_flight_ = false;
    ctx_.in_flight.fetch_sub(1, std::memory_order_relaxed);
  }
  if (state_ == State::kClosed) return;
  if (ec) {
    close();
    return;
  }
  if (!keep_alive_) {
    linger_close(request_read_ ? kShortLingerTime : kLingerTime);
    return;
  }
  begin_request();
  if (state_ == State::kIdle && ctx_.stopping.load()) {
    close();
    return;
  }
  // Pipelined requests (RFC 9112 §9.3.2) already in the buffer are served before reading more.
  parse_buffered();
}

void Connection::linger_close(Clock::duration linger) {
  state_ = State::kLingering;
  error_code ec;
  socket_.shutdown(tcp::socket::shutdown_send, ec);
  if (ec) {
    close();
    return;
  }
  set_deadline(Clock::now() + linger);
  buffer_.clear();
  drained_ = 0;
  socket_.async_read_some(
      buffer_.prepare(kReadChunk),
      [self = shared_from_this()](error_code e, std::size_t n) { self->on_drain(e, n); });
}

void Connection::on_drain(error_code ec, std::size_t n) {
  if (state_ != State::kLingering) return;
  drained_ += n;
  if (ec || drained_ > kMaxLingerBytes) {
    close();
    return;
  }
  socket_.async_read_some(
      buffer_.prepare(kReadChunk),
      [self = shared_from_this()](error_code e, std::size_t m) { self->on_drain(e, m); });
}

void Connection::close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  error_code ec;
  socket_.close(ec);
  timer_.cancel();
  release_slot();
}

void Connection::release_slot() {
  if (counted_) {
    counted_ = false;
    ctx_.connections.fetch_sub(1, std::memory_order_relaxed);
  }
}

void Connection::set_deadline(Clock::time_point t) {
  deadline_ = t;
  if (t == Clock::time_point::max()) return;
  if (!timer_armed_ || t < armed_at_) arm_timer(t);
}

void Connection::arm_timer(Clock::time_point t) {
  ++timer_generation_;
  timer_armed_ = true;
  armed_at_ = t;
  timer_.expires_at(t);  // cancels a pending wait; its completion sees an old generation
  timer_.async_wait([self = shared_from_this(), generation = timer_generation_](error_code ec) {
    self->on_timer(generation, ec);
  });
}

void Connection::on_timer(std::uint64_t generation, error_code /*ec*/) {
  if (generation != timer_generation_) return;
  timer_armed_ = false;
  if (state_ == State::kClosed) return;
  if (Clock::now() >= deadline_) {
    on_deadline();
  } else if (deadline_ != Clock::time_point::max()) {
    arm_timer(deadline_);
  }
}

void Connection::on_deadline() {
  switch (state_) {
    case State::kIdle:
      close();  // an idle keep-alive connection just ends (RFC 9112 §9.5)
      return;
    case State::kReading: {
      if (writing_continue_) {
        close();
        return;
      }
      error_code ec;
      socket_.cancel(ec);
      answer_error(408, "request timeout");  // RFC 9110 §15.5.9
      return;
    }
    case State::kHandling:
    case State::kClosed:
      return;
    case State::kWriting:
    case State::kLingering:
      close();
      return;
  }
}

}  // namespace zocalo::http
