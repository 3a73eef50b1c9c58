#include "platform/web/locale.hpp"
#include "portal/routes/pages.hpp"

namespace zocalo::portal {

// GET /idioma?lang=en&next=/servicios
http::Response language_switch(const PortalContext& ctx, http::Request& req) {
  auto res = web::switch_language(req, ctx.renderer.locales());
  if (!res) return ctx.errors.error_response(req, res.error());
  return std::move(*res);
}

}  // namespace zocalo::portal
