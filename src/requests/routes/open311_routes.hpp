#pragma once
// The Open311 GeoReport v2 handlers: read the call, ask the store, render the document.
#include <cstdint>
#include <memory>

#include "platform/core/coalesced_read.hpp"
#include "platform/db/database.hpp"
#include "platform/http/answer_cache.hpp"
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"
#include "requests/requests.hpp"
#include "requests/store/area_locator.hpp"

namespace zocalo::requests {

// What the handlers share: built once by register_routes, read-only while serving.
struct Open311Context {
  db::Database& db;
  RequestsOptions options;
  // Unix seconds when the routes were registered: the discovery document is made of the
  // options and the code, so it can only have changed at start-up.
  std::int64_t started_at = 0;
  // Point → area for routing POSTed requests; caches the areas on SQLite (thread-safe).
  std::unique_ptr<AreaLocator> areas;
  // GET requests lists by call and data version (open311_request_routes.cpp; thread-safe),
  // and that version, read once for the callers that arrive together (ADR 0008).
  std::unique_ptr<http::AnswerCache> list_cache;
  std::unique_ptr<CoalescedRead<std::int64_t>> list_version;
};

// GET /open311/v2/discovery.{fmt}
http::Response discovery(const Open311Context& ctx, http::Request& req);
// GET /open311/v2/services.{fmt}
http::Response service_list(const Open311Context& ctx, http::Request& req);
// GET /open311/v2/services/{code}.{fmt}
http::Response service_definition(const Open311Context& ctx, http::Request& req);
// GET /open311/v2/{path*}: every other path under the API, answered 404 in Open311 form.
http::Response unknown_resource(const Open311Context& ctx, http::Request& req);

}  // namespace zocalo::requests
