#pragma once
// Method + path routing with path parameters, and the middleware chain every route runs.
//
//   router.get("/requests/{id}", handler);            // {id} matches one segment
//   router.get("/open311/v2/services/{code}.{fmt}", h);  // parameters within a segment
//   router.get("/static/{path*}", h);                 // trailing wildcard: rest of the path
//
// A path that matches but not with that method answers 405 with an Allow header; no match at
// all answers 404. Both still pass through the middleware chain.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/request.hpp"
#include "platform/http/response.hpp"

namespace zocalo::http {

using Handler = std::function<Response(Request&)>;
using Next = std::function<Response(Request&)>;
using Middleware = std::function<Response(Request&, const Next&)>;

struct RouteOptions {
  // Cheap, non-blocking handlers (no database, no disk) may run right on the I/O thread,
  // skipping the hop to the worker pool. Everything else runs on the pool.
  bool run_inline = false;
  // The same decision taken per request once its body is read: true runs this request on the
  // I/O thread. For routes where some requests need no database or disk and others do (the
  // token endpoint: client_credentials for a client held in memory vs. code redemption). Runs
  // on the I/O thread itself, so it must be cheap and must not block; an exception counts as
  // false.
  std::function<bool(const Request&)> run_inline_if;
  // Routes that authenticate by other means (API keys, bearer tokens, OAuth client auth) and
  // take posts from non-browsers opt out of the CSRF check.
  bool csrf_exempt = false;
  // Overrides the server-wide body limit for this route (e.g. photo uploads), in bytes.
  std::size_t max_body_bytes = 0;
};

struct Route {
  Method method;
  std::string pattern;
  Handler handler;  // the bare handler
  RouteOptions options;
  Handler composed;  // handler wrapped in the middleware chain (built by finalize())
};

struct Match {
  const Route* route = nullptr;  // null: no route for this method
  std::map<std::string, std::string> params;
  std::string allow;  // when the path exists for other methods: "GET, HEAD, POST"
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  void add(Method m, std::string pattern, Handler h, RouteOptions o = {});
  void get(std::string p, Handler h, RouteOptions o = {}) {
    add(Method::kGet, std::move(p), std::move(h), o);
  }
  void post(std::string p, Handler h, RouteOptions o = {}) {
    add(Method::kPost, std::move(p), std::move(h), o);
  }
  void put(std::string p, Handler h, RouteOptions o = {}) {
    add(Method::kPut, std::move(p), std::move(h), o);
  }
  void del(std::string p, Handler h, RouteOptions o = {}) {
    add(Method::kDelete, std::move(p), std::move(h), o);
  }

  // Middleware runs in the order added, outermost first, for every request (matched or not).
  void use(Middleware m);
  // Answers for unmatched paths (404) and wrong methods (405); receive the request with
  // route_name set to "<404>" / "<405>" and, for 405, the Allow value in header "Allow".
  void set_fallback(std::function<Response(Request&, int status, const std::string& allow)> f);
  // Composes every route with the middleware chain. Call once, after all routes are added.
  void finalize();

  // Pure lookup: which route (if any) answers method + path. GET routes also answer HEAD.
  // `path` is the target's path still percent-encoded: each segment is decoded on its own, so
  // "%2F" stays inside its parameter. Literal segments beat parameters, parameters beat a
  // wildcard; within a segment the last occurrence of a literal separator splits.
  Match match(Method m, std::string_view path) const;
  // Runs the whole chain for `req` (matching included). Safe to call from many threads.
  Response dispatch(Request& req) const;
  // Like dispatch, but with a match already made by the caller (the server matches once, when
  // the header has arrived, to learn the route's body limit and where it runs).
  Response dispatch(Request& req, const Match& m) const;
  Response dispatch(Request& req, Match&& m) const;

  bool finalized() const { return finalized_; }

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Node;  // a path segment in the routing tree (router.cpp)
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
  std::vector<Middleware> middleware_;
  std::function<Response(Request&, int, const std::string&)> fallback_;
  Handler composed_fallback_;
  bool finalized_ = false;
};

// Wraps `inner` in `chain` (first element outermost).
Handler compose(const std::vector<Middleware>& chain, Handler inner);

}  // namespace zocalo::http
