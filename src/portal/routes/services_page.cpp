#include "portal/routes/pages.hpp"

namespace zocalo::portal {

// GET /servicios
http::Response services_page(const PortalContext& ctx, http::Request& req) {
  web::View view{web::View::type::object};
  view.set("with_summaries", true);
  view.set("categories", ctx.directory.categories(req.locale));
  return ctx.renderer.render_page(req, "portal/services", view,
                                  {.title_key = "portal.services.title"});
}

}  // namespace zocalo::portal
