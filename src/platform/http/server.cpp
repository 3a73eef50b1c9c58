#include "platform/http/server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <thread>
#include <vector>

#include "platform/core/log.hpp"
#include "platform/http/connection.hpp"
#include "platform/http/server_context.hpp"

namespace zocalo::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
// After the grace period, connections still open are closed; this is how long we then wait
// for their handlers to let go before stopping the I/O threads anyway.
constexpr auto kForceCloseWait = std::chrono::seconds(1);
// Out of file descriptors: retry accepting after a pause instead of spinning.
constexpr auto kAcceptBackoff = std::chrono::milliseconds(50);
}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, ErrorRenderer render_error)
      : ctx_(std::make_unique<ServerContext>(std::move(options), router, std::move(render_error))),
        acceptor_(asio::make_strand(ctx_->ioc)),
        backoff_(acceptor_.get_executor()) {}

  ~Impl() {
    if (started_) {
      stop();
      wait();
    }
  }

  bool start() {
    if (started_) return false;
    if (!ctx_->router.finalized()) {
      log::error("http.start_failed", {{"error", "Router::finalize() was not called"}});
      return false;
    }
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(ctx_->options.address, ec);
    if (ec) {
      log::error("http.start_failed",
                 {{"address", ctx_->options.address}, {"error", ec.message()}});
      return false;
    }
    const tcp::endpoint endpoint(address, ctx_->options.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      log::error("http.start_failed", {{"address", ctx_->options.address},
                                       {"port", static_cast<int>(ctx_->options.port)},
                                       {"error", ec.message()}});
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      return false;
    }
    port_ = acceptor_.local_endpoint().port();
    started_ = true;
    accept();
    const std::size_t n = std::max<std::size_t>(1, ctx_->options.io_threads);
    threads_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) threads_.emplace_back([this] { run_io(); });
    log::info("http.listening",
              {{"address", ctx_->options.address}, {"port", static_cast<int>(port_)}});
    return true;
  }

  unsigned short port() const { return port_; }

  void stop() {
    {
      std::lock_guard lock(ctx_->mu);
      if (stop_requested_) return;
      stop_requested_ = true;
      ctx_->stopping.store(true);
    }
    if (started_) {
      asio::post(acceptor_.get_executor(), [this] {
        boost::system::error_code ec;
        acceptor_.close(ec);
        backoff_.cancel();
      });
      for (auto& c : snapshot()) {
        asio::post(c->executor(), [c] { c->on_server_stop(); });
      }
    }
    ctx_->changed.notify_all();
  }

  void wait() {
    if (!started_ || joined_) return;
    std::unique_lock lock(ctx_->mu);
    ctx_->changed.wait(lock, [this] { return stop_requested_; });
    log::info("http.stopping", {{"in_flight", ctx_->in_flight.load()}});
    const auto grace_end = std::chrono::steady_clock::now() + ctx_->options.shutdown_grace;
    const bool drained =
        ctx_->changed.wait_until(lock, grace_end, [this] { return ctx_->live.load() == 0; });
    lock.unlock();
    if (!drained) {
      log::warn("http.grace_expired",
                {{"connections", ctx_->live.load()}, {"in_flight", ctx_->in_flight.load()}});
      for (auto& c : snapshot()) asio::post(c->executor(), [c] { c->force_close(); });
      lock.lock();
      ctx_->changed.wait_for(lock, kForceCloseWait, [this] { return ctx_->live.load() == 0; });
      lock.unlock();
    }
    ctx_->ioc.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    // A handler still running past the grace period is waited for: threads cannot be killed
    // safely, and its answer is dropped with the stopped io_context.
    ctx_->workers.join();
    joined_ = true;
    log::info("http.stopped");
  }

  std::size_t in_flight() const { return ctx_->in_flight.load(); }

 private:
  std::vector<std::shared_ptr<Connection>> snapshot() {
    std::vector<std::shared_ptr<Connection>> out;
    std::lock_guard lock(ctx_->mu);
    out.reserve(ctx_->registry.size());
    for (auto& [ptr, weak] : ctx_->registry) {
      if (auto c = weak.lock()) out.push_back(std::move(c));
    }
    return out;
  }

  void accept() {
    acceptor_.async_accept(asio::make_strand(ctx_->ioc),
                           [this](boost::system::error_code ec, tcp::socket socket) {
                             on_accept(ec, std::move(socket));
                           });
  }

  void on_accept(boost::system::error_code ec, tcp::socket socket) {
    if (ctx_->stopping.load() || !acceptor_.is_open()) return;
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      // EMFILE/ENFILE and friends: the listen queue keeps the clients; try again shortly.
      log::warn("http.accept_failed", {{"error", ec.message()}});
      backoff_.expires_after(kAcceptBackoff);
      backoff_.async_wait([this](boost::system::error_code e) {
        if (!e && !ctx_->stopping.load()) accept();
      });
      return;
    }
    boost::system::error_code ignored;
    // Each answer goes out in one write, so Nagle's algorithm would only add delay.
    socket.set_option(tcp::no_delay(true), ignored);
    bool over = false;
    if (ctx_->connections.fetch_add(1, std::memory_order_relaxed) >=
        ctx_->options.max_connections) {
      ctx_->connections.fetch_sub(1, std::memory_order_relaxed);
      over = true;
    }
    auto connection = std::make_shared<Connection>(*ctx_, std::move(socket), over);
    asio::dispatch(connection->executor(), [connection] { connection->start(); });
    accept();
  }

  void run_io() {
    for (;;) {
      try {
        ctx_->ioc.run();
        return;
      } catch (const std::exception& e) {
        // Handlers catch their own errors; this is a last line so one bug cannot end an
        // I/O thread and slowly starve the server.
        log::error("http.io_thread_exception", {{"error", e.what()}});
      }
    }
  }

  std::unique_ptr<ServerContext> ctx_;
  tcp::acceptor acceptor_;
  asio::steady_timer backoff_;
  // Keeps run() going while no connection is open.
  asio::executor_work_guard<asio::io_context::executor_type> work_{ctx_->ioc.get_executor()};
  std::vector<std::thread> threads_;
  unsigned short port_ = 0;
  bool started_ = false;
  bool stop_requested_ = false;  // guarded by ctx_->mu
  bool joined_ = false;
};

Server::Server(ServerOptions options, const Router& router, ErrorRenderer render_error)
    : impl_(std::make_unique<Impl>(std::move(options), router, std::move(render_error))) {}

Server::~Server() = default;

bool Server::start() {
  return impl_->start();
}
unsigned short Server::port() const {
  return impl_->port();
}
void Server::wait() {
  impl_->wait();
}
void Server::stop() {
  impl_->stop();
}
std::size_t Server::in_flight() const {
  return impl_->in_flight();
}

}  // namespace zocalo::http
