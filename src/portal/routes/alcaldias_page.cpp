#include <algorithm>

#include "portal/model/search_text.hpp"
#include "portal/routes/pages.hpp"
#include "portal/store/area_store.hpp"

namespace zocalo::portal {

// GET /alcaldias
http::Response alcaldias_page(const PortalContext& ctx, http::Request& req) {
  auto areas = AreaStore(ctx.db).list("alcaldia");
  if (!areas) return ctx.errors.error_response(req, areas.error());
  // By name as a reader expects it: "Álvaro Obregón" under A, not after Z (byte order).
  std::sort(areas->begin(), areas->end(), [](const Area& a, const Area& b) {
    return fold_for_search(a.name) < fold_for_search(b.name);
  });
  web::View list{web::View::type::list};
  for (const Area& area : *areas) {
    web::View item{web::View::type::object};
    item.set("name", area.name);
    item.set("code", area.code);
    list.push_back(std::move(item));
  }
  web::View view{web::View::type::object};
  view.set("has_areas", !areas->empty());
  view.set("areas", std::move(list));
  return ctx.renderer.render_page(req, "portal/alcaldias", view,
                                  {.title_key = "portal.alcaldias.title"});
}

}  // namespace zocalo::portal
