#pragma once
// Internal to the server: the state that Server::Impl shares with its connections. Not for
// use outside src/platform/http (it pulls in Asio).
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "platform/http/server.hpp"

namespace zocalo::http {

class Connection;

// Members are destroyed in reverse order: the worker pool first (its queued jobs hold
// connections), then the io_context (its queued handlers hold connections, whose sockets need
// it), and only then the counters and registry those connections update as they go.
struct ServerContext {
  ServerContext(ServerOptions o, const Router& r, ErrorRenderer e);

  // A request id unique within this process and, with its random prefix, across nodes: no
  // system call per request, unlike drawing fresh random bytes.
  std::string next_request_id();

  const ServerOptions options;
  const Router& router;
  const ErrorRenderer render_error;

  std::atomic<std::size_t> connections{0};  // counted against max_connections
  std::atomic<std::size_t> live{0};         // every Connection object, rejected ones included
  std::atomic<std::size_t> in_flight{0};    // requests dispatched and not yet answered
  std::atomic<std::size_t> queued{0};       // jobs waiting for a worker thread
  std::atomic<bool> stopping{false};

  // Guards `registry`; `changed` is signalled when a connection goes away.
  std::mutex mu;
  std::condition_variable changed;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> registry;

  boost::asio::io_context ioc;
  boost::asio::thread_pool workers;

 private:
  std::string id_prefix_;
  std::atomic<std::uint64_t> next_id_{0};
};

}  // namespace zocalo::http
