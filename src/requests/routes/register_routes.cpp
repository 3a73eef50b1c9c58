#include <exception>
#include <memory>
#include <utility>

#include "platform/core/time.hpp"
#include "requests/requests.hpp"
#include "requests/routes/catalog_admin_pages.hpp"
#include "requests/routes/open311_call.hpp"
#include "requests/routes/open311_request_routes.hpp"
#include "requests/routes/open311_routes.hpp"
#include "requests/routes/resident_routes.hpp"
#include "requests/routes/staff_context.hpp"
#include "requests/routes/transparency_routes.hpp"
#include "requests/store/request_store.hpp"

namespace zocalo::requests {
namespace {

// Form fields of a POST: 200 fields of a few KB at most (FormLimits), well under this.
constexpr std::size_t kMaxPostBodyBytes = 256 * 1024;
// POST /requests with the `media` file part: a photo of up to media's 10 MiB plus the fields.
constexpr std::size_t kMaxMediaPostBodyBytes = 12 * 1024 * 1024;

}  // namespace

Status register_routes(http::Router& router, db::Database& db, const web::ErrorPages& errors,
                       RequestsOptions options) {
  if (!options.base_url.starts_with("https://") && !options.base_url.starts_with("http://")) {
    return fail(Error::invalid("error.400.body", "requests: base_url must be an http(s) URL"));
  }
  if (options.jurisdiction_id.empty()) {
    return fail(Error::invalid("error.400.body", "requests: jurisdiction_id must not be empty"));
  }
  while (options.base_url.ends_with('/')) options.base_url.pop_back();
  // The resident's pages (HTML: need the renderer, like the staff pages below).
  if (options.renderer != nullptr) {
    if (Status s =
            register_resident_routes(router, db, errors,
                                     {.base_url = options.base_url,
                                      .duplicate_radius_meters = options.duplicate_radius_meters,
                                      .renderer = options.renderer,
                                      .blobs = options.blobs,
                                      .photo_limits = options.photo_limits});
        !s) {
      return s;
    }
  }
  // Shared by the handlers, which the router keeps for the life of the server.
  auto list_cache = std::make_unique<http::AnswerCache>(options.list_cache);
  auto areas = std::make_unique<AreaLocator>(db);
  auto list_version = std::make_unique<CoalescedRead<std::int64_t>>(
      [&db, locator = areas.get()] { return RequestStore(db, *locator).list_version(); });
  auto ctx = std::make_shared<const Open311Context>(
      Open311Context{db, std::move(options), time::now_unix(), std::move(areas),
                     std::move(list_cache), std::move(list_version)});

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
  router.get("/open311/v2/requests.{fmt}", bind(request_list));
  router.get("/open311/v2/requests/{id}.{fmt}", bind(request_by_id));
  router.get("/open311/v2/tokens/{token}.{fmt}", bind(request_id_from_token));
  router.get("/open311/v2/servicerequestupdates.{fmt}", bind(update_list));
  // Apps post with an api_key, not from a browser session: no CSRF token to carry. Updates
  // hold form fields only (a note is 4,000 characters at most), so a small limit keeps hostile
  // uploads out before they are read; a request may carry its photo as the `media` part.
  http::RouteOptions api_post;
  api_post.csrf_exempt = true;
  api_post.max_body_bytes = kMaxPostBodyBytes;
  http::RouteOptions media_post = api_post;
  if (ctx->options.blobs != nullptr) media_post.max_body_bytes = kMaxMediaPostBodyBytes;
  router.post("/open311/v2/requests.{fmt}", bind(post_request), media_post);
  router.post("/open311/v2/servicerequestupdates.{fmt}", bind(post_update), api_post);
  router.get("/open311/v2/{path*}", bind(unknown_resource), no_io);
  // The staff inbox and the operator console (HTML pages: need the renderer).
  if (ctx->options.renderer != nullptr) {
    auto staff = std::make_shared<const StaffContext>(
        StaffContext{db, *ctx->options.renderer, errors, ctx->options.base_url,
                     std::make_unique<AreaLocator>(db)});
    register_staff_routes(router, staff);
    register_operator_routes(router, staff);
    register_catalog_admin_routes(router, staff);  // /admin/servicios, /admin/areas, routing
    register_routing_admin_routes(router, staff);
    register_transparency_routes(router, db, errors, *ctx->options.renderer);
  }
  return {};
}

}  // namespace zocalo::requests
