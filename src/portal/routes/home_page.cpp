#include "portal/routes/pages.hpp"

namespace zocalo::portal {

// GET /
http::Response home_page(const PortalContext& ctx, http::Request& req) {
  web::View view{web::View::type::object};
  view.set("city_name", ctx.options.city_name);
  if (!ctx.options.sign_in_url.empty()) view.set("sign_in_url", ctx.options.sign_in_url);
  view.set("categories", ctx.directory.categories(req.locale));
  return ctx.renderer.render_page(req, "portal/home", view, {.title_key = "portal.home.title"});
}

}  // namespace zocalo::portal
