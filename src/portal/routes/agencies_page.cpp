#include <algorithm>

#include "portal/model/search_text.hpp"
#include "portal/routes/pages.hpp"
#include "portal/store/agency_store.hpp"

namespace zocalo::portal {

// GET /dependencias
http::Response agencies_page(const PortalContext& ctx, http::Request& req) {
  auto agencies = AgencyStore(ctx.db).list();
  if (!agencies) return ctx.errors.error_response(req, agencies.error());
  const std::string& locale = req.locale;
  std::sort(agencies->begin(), agencies->end(), [&locale](const Agency& a, const Agency& b) {
    return fold_for_search(a.name(locale)) < fold_for_search(b.name(locale));
  });
  web::View city{web::View::type::list};
  web::View alcaldias{web::View::type::list};
  for (const Agency& agency : *agencies) {
    web::View item{web::View::type::object};
    item.set("name", agency.name(locale));
    // A translated name is a courtesy; the official Spanish name is what signs say.
    if (agency.name(locale) != agency.name_es) item.set("official", agency.name_es);
    (agency.kind == "alcaldia" ? alcaldias : city).push_back(std::move(item));
  }
  web::View view{web::View::type::object};
  view.set("has_agencies", !agencies->empty());
  view.set("city", std::move(city));
  view.set("alcaldias", std::move(alcaldias));
  return ctx.renderer.render_page(req, "portal/agencies", view,
                                  {.title_key = "portal.agencies.title"});
}

}  // namespace zocalo::portal
