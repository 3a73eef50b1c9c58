#pragma once
// The HTTP/1.1 server (Boost.Beast lives only in this folder's .cpp files).
//
// What it guarantees before a handler runs: the request-target is origin-form, its path is
// percent-decoded valid UTF-8 without NUL or "."/".." segments (else 400); HTTP/1.1 requests
// carry exactly one Host (else 400); header and body are within limits (431, 413, the body
// limit taken from the matched route) and arrived within request_timeout from the first byte
// (408). It answers HEAD without content, adds Date, Server and Content-Length, and gzips
// compressible bodies when the client accepts it. A handler's exception becomes a 500 from the
// ErrorRenderer, logged with the request id. Handlers run on the worker pool unless the route
// is run_inline; the Router must be finalized before start().
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "platform/http/router.hpp"

namespace zocalo::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;                   // 0: pick a free port (see Server::port())
  std::size_t io_threads = 2;                   // parse/serialise, inline handlers
  std::size_t worker_threads = 8;               // handlers that touch the database or the disk
  std::size_t max_header_bytes = 16 * 1024;     // beyond: 431
  std::size_t max_body_bytes = 1024 * 1024;     // beyond: 413 (routes may raise it)
  std::chrono::seconds request_timeout{30};     // whole request must arrive in time: 408
  std::chrono::seconds keep_alive_timeout{30};  // idle keep-alive connection is closed
  std::size_t max_connections = 10000;          // beyond: 503 and close
  std::size_t max_queued_requests = 4096;       // worker pool backlog; beyond: 503
  std::chrono::seconds shutdown_grace{20};      // in-flight requests get this long to finish
  bool trust_proxy = false;                     // take client IP/scheme from X-Forwarded-For/-Proto
  std::size_t gzip_min_bytes = 512;             // smaller bodies are sent as they are
};

// Renders answers that the server itself produces before routing (400, 408, 413, 431, 503),
// so they speak the same language and look as the rest of the site. `req` has whatever could
// be parsed (path, headers), possibly little.
using ErrorRenderer = std::function<Response(Request& req, int status)>;

class Server {
 public:
  Server(ServerOptions options, const Router& router, ErrorRenderer render_error);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts listening; returns false (and logs why) if the address is unusable.
  bool start();
  unsigned short port() const;
  // Blocks until stop() is called (from a signal handler thread or another thread) and every
  // in-flight request has been answered or the grace period ran out.
  void wait();
  // Stops accepting, lets in-flight requests finish, closes idle connections. Thread-safe.
  void stop();
  // Number of requests currently being handled (for readiness and tests).
  std::size_t in_flight() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zocalo::http
