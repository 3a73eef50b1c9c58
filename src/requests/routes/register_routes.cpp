#include <exception>
#include <memory>
#include <utility>

#include "platform/core/time.hpp"
#include "requests/requests.hpp"
#include "requests/routes/open311_call.hpp"
#include "requests/routes/open311_routes.hpp"

namespace zocalo::requests {

Status register_routes(http::Router& router, db::Database& db, const web::ErrorPages&,
                       RequestsOptions options) {
  if (!options.base_url.starts_with("https://") && !options.base_url.starts_with("http://")) {
    return fail(Error::invalid("error.400.body", "requests: base_url must be an http(s) URL"));
  }
  if (options.jurisdiction_id.empty()) {
    return fail(Error::invalid("error.400.body", "requests: jurisdiction_id must not be empty"));
  }
  while (options.base_url.ends_with('/')) options.base_url.pop_back();
  // Shared by the handlers, which the router keeps for the life of the server.
  auto ctx = std::make_shared<const Open311Context>(
      Open311Context{db, std::move(options), time::now_unix()});

  using Handler = http::Response (*)(const Open311Context&, http::Request&);
  // Exceptions (a bug, out of memory) end here rather than at the server, whose answer would
  // be an HTML page: an Open311 client reads only Open311 documents.
  auto bind = [ctx](Handler handler) {
    return [ctx, handler](http::Request& req) {
      try {
        return handler(*ctx, req);
      } catch (const std::exception& e) {
        return failure_answer(req, Error::internal(e.what()), format_or_xml(req));
      }
    };
  };
  // Discovery and the unknown-resource answer touch no database: cheap enough for the I/O
  // thread. The catalog calls query it, so they run on the worker pool.
  http::RouteOptions no_io;
  no_io.run_inline = true;
  router.get("/open311/v2/discovery.{fmt}", bind(discovery), no_io);
  router.get("/open311/v2/services.{fmt}", bind(service_list));
  router.get("/open311/v2/services/{code}.{fmt}", bind(service_definition));
  router.get("/open311/v2/{path*}", bind(unknown_resource), no_io);
  return {};
}

}  // namespace zocalo::requests
