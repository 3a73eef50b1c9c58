#include "portal/model/service_search.hpp"
#include "portal/routes/pages.hpp"

namespace zocalo::portal {

// GET /buscar?q=agua
http::Response search_page(const PortalContext& ctx, http::Request& req) {
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  const std::string_view q = query->get_or("q", "");
  const web::PageOptions page{.title_key = "portal.search.title"};

  web::View view{web::View::type::object};
  if (const Status ok = check_search_query(q); !ok) {
    // The form again, with the reason next to the field; the over-long text is not echoed.
    view.set("error", std::string(ctx.renderer.text(req.locale, ok.error().user_key)));
    return ctx.renderer.render_page(req, "portal/search", view,
                                    {.title_key = page.title_key, .status = 400});
  }
  view.set("q", std::string(q));
  const std::vector<std::string> ids = ctx.directory.search().search(q);
  if (ids.empty() && q.find_first_not_of(" \t") == std::string_view::npos) {
    view.set("empty", true);
    return ctx.renderer.render_page(req, "portal/search", view, page);
  }
  web::View results{web::View::type::list};
  for (const auto& id : ids) {
    if (const web::View* entry = ctx.directory.entry(req.locale, id)) results.push_back(*entry);
  }
  view.set("searched", true);
  view.set("count", std::to_string(ids.size()));
  view.set(ids.size() == 1 ? "one" : "many", true);
  if (ids.empty()) view.set("none", true);
  view.set("results", std::move(results));
  return ctx.renderer.render_page(req, "portal/search", view, page);
}

}  // namespace zocalo::portal
