#include "app/ops_routes.hpp"

#include <string>

#include "app/commands.hpp"
#include "platform/core/metrics.hpp"
#include "platform/core/time.hpp"
#include "platform/http/errors.hpp"

namespace zocalo::app {
namespace {

bool is_loopback(const std::string& ip) {
  return ip.rfind("127.", 0) == 0 || ip == "::1" || ip.rfind("::ffff:127.", 0) == 0;
}

}  // namespace

void register_ops_routes(http::Router& router, OpsState& state) {
  // Liveness: the process answers. Inline: no database, so a stuck pool never fails liveness.
  router.get("/healthz", [](http::Request&) { return http::Response::json(R"({"status":"ok"})"); },
             {.run_inline = true});

  // Readiness: the database answers and the schema is current, and we are not shutting down.
  router.get("/readyz", [&state](http::Request&) {
    if (state.draining.load()) {
      return http::Response::json(R"({"status":"draining","database":"unknown"})", 503);
    }
    const Status ping = state.database->ping();
    if (!ping) return http::Response::json(R"({"status":"unavailable","database":"down"})", 503);
    const auto version = state.database->schema_version();
    if (!version || *version < state.expected_schema_version) {
      return http::Response::json(R"({"status":"unavailable","database":"ok","schema":"behind"})",
                                  503);
    }
    return http::Response::json(R"({"status":"ok","database":"ok"})");
  });

  // Metrics reveal traffic shape; by default only the machine itself (a local Prometheus or
  // node agent) may read them. Behind a proxy, expose them on an internal listener instead.
  router.get("/metrics", [](http::Request& req) {
    if (!is_loopback(req.remote_addr)) {
      return http::problem_json(403, "Forbidden", "Metrics are served to local scrapers only.");
    }
    return http::Response::with_type("text/plain; version=0.0.4; charset=utf-8",
                                     metrics::Registry::global().render());
  });

  router.get("/api/v1/status",
             [](http::Request&) {
               std::string body = R"({"name":"zocalo","version":")";
               body += kVersion;
               body += R"(","time":")";
               body += time::to_iso8601(time::now_unix());
               body += R"("})";
               return http::Response::json(std::move(body));
             },
             {.run_inline = true});
}

}  // namespace zocalo::app
