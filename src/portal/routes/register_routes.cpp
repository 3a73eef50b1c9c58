#include <memory>

#include "portal/portal.hpp"
#include "portal/routes/pages.hpp"

namespace zocalo::portal {
namespace {

bool safe_sign_in_url(std::string_view url) {
  if (url.empty()) return true;
  if (url.starts_with("https://") || url.starts_with("http://")) return true;
  return url.front() == '/' && (url.size() == 1 || (url[1] != '/' && url[1] != '\\'));
}

}  // namespace

Status register_routes(http::Router& router, const web::Renderer& renderer,
                       const web::ErrorPages& errors, const ServiceDirectory& directory,
                       db::Database& db, PortalOptions options) {
  if (!safe_sign_in_url(options.sign_in_url)) {
    return fail(Error::invalid("error.400.body", "sign-in URL must be a path or an http(s) URL"));
  }
  auto views = DirectoryViews::build(directory, renderer);
  if (!views) return fail(views.error());
  // Shared by the handlers, which the router keeps for the life of the server.
  auto ctx = std::make_shared<const PortalContext>(
      PortalContext{renderer, errors, db, std::move(options), std::move(*views)});

  using Page = http::Response (*)(const PortalContext&, http::Request&);
  auto bind = [ctx](Page page) {
    return [ctx, page](http::Request& req) { return page(*ctx, req); };
  };
  // Pages without database work are cheap enough to render on the I/O thread.
  http::RouteOptions no_io;
  no_io.run_inline = true;
  router.get("/", bind(home_page), no_io);
  router.get("/buscar", bind(search_page), no_io);
  router.get("/servicios", bind(services_page), no_io);
  router.get("/idioma", bind(language_switch), no_io);
  router.get("/alcaldias", bind(alcaldias_page));
  router.get("/dependencias", bind(agencies_page));
  router.get("/opinion", bind(feedback_form), no_io);
  router.post("/opinion", bind(feedback_submit));
  router.get("/opinion/gracias/{id}", bind(feedback_thanks));
  return {};
}

}  // namespace zocalo::portal
