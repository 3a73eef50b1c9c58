// Areas and routing for admins (issue 4, item 2). /admin/areas lists the areas with their
// vertex counts and the rules naming them, and takes the GeoJSON file `zocalo areas import`
// takes (same parser, same store, same all-or-nothing transaction). /admin/enrutamiento lists
// the rules service × area → agency, adds or replaces one, removes one, and answers "where
// does a request at this point go?" through the code path intake uses: AreaLocator::locate,
// then RoutingStore::route with the service's own agency as the fallback.
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "platform/core/log.hpp"
#include "platform/core/text.hpp"
#include "platform/http/errors.hpp"
#include "platform/http/form.hpp"
#include "requests/model/area_import.hpp"
#include "requests/model/request_intake.hpp"
#include "requests/routes/catalog_admin_pages.hpp"
#include "requests/store/area_store.hpp"
#include "requests/store/inbox_store.hpp"
#include "requests/store/routing_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

using View = web::View;
constexpr std::size_t kMaxUploadBodyBytes = 11 * 1024 * 1024;  // the form parser's 10 MiB file
constexpr std::size_t kMaxFormBodyBytes = 16 * 1024;

std::string msg(const StaffContext& ctx, const http::Request& req, const char* key) {
  return std::string(ctx.renderer.text(req.locale, key));
}

// ---------------------------------------------------------------- /admin/areas

http::Response areas_page(const StaffContext& ctx, http::Request& req, const AdminViewer& viewer,
                          const std::string& error, int status) {
  auto areas = AreaStore(ctx.db).list();
  if (!areas) return ctx.errors.error_response(req, areas.error());
  View view{View::type::object};
  view.set("csrf", req.csrf_token);
  if (viewer.can_edit) view.set("can_edit", true);
  View rows{View::type::list};
  for (const AreaSummary& a : *areas) {
    View r{View::type::object};
    r.set("code", a.code);
    r.set("name", a.name);
    r.set("positions", std::to_string(a.positions));
    r.set("rules", std::to_string(a.rules));
    rows.push_back(r);
  }
  view.set("areas", rows);
  if (rows.is_empty_list()) view.set("none", true);
  set_admin_text(view, "error", error);
  if (status == 200) {
    if (auto flash = take_admin_flash(req)) view.set("done", *flash);
  }
  return ctx.renderer.render_page(req, "requests/admin_areas", view,
                                  {.title_key = "admin311.areas.title", .status = status});
}

http::Response areas_show(const StaffContext& ctx, http::Request& req) {
  auto access = admin_access(ctx, req, false);
  if (auto* answer = std::get_if<http::Response>(&access)) return std::move(*answer);
  return areas_page(ctx, req, std::get<AdminViewer>(access), "", 200);
}

http::Response areas_import(const StaffContext& ctx, http::Request& req) {
  auto post = admin_post(ctx, req);
  if (auto* answer = std::get_if<http::Response>(&post)) return std::move(*answer);
  const auto& [viewer, form] = std::get<AdminPost>(post);
  const http::UploadedFile* file = form->file("archivo");
  if (file == nullptr)
    return areas_page(ctx, req, viewer, msg(ctx, req, "admin311.error.no_file"), 400);
  const std::string prefix = msg(ctx, req, "admin311.error.import");
  auto parsed = parse_area_collection(file->data);
  if (!parsed) {
    return areas_page(ctx, req, viewer, prefix + " " + parsed.error().detail,
                      http::status_for(parsed.error().kind));
  }
  const bool replace = form->get_or("reemplazar", "") == "1";
  auto done =
      AreaStore(ctx.db).import(*parsed, replace,
                               audit_change(req, viewer, "311.areas.imported",
                                            {{"areas", parsed->size()}, {"replace", replace}}));
  if (!done) {
    const Error& e = done.error();
    if (e.kind != ErrorKind::kInvalidInput && e.kind != ErrorKind::kConflict) {
      return ctx.errors.error_response(req, e);
    }
    return areas_page(ctx, req, viewer, prefix + " " + e.detail, http::status_for(e.kind));
  }
  log::info("admin311.areas_imported", {{"request_id", req.request_id},
                                        {"written", std::to_string(done->written)},
                                        {"removed", std::to_string(done->removed.size())},
                                        {"staff", std::to_string(viewer.who.account.id)}});
  std::string flash =
      msg(ctx, req, "admin311.areas.imported") + " " + std::to_string(done->written);
  if (!done->removed.empty()) {
    flash += ". " + msg(ctx, req, "admin311.areas.removed");
    for (const auto& code : done->removed) flash += " " + code;
  }
  return redirect_with_flash(req, flash, "/admin/areas");
}

// ---------------------------------------------------------------- /admin/enrutamiento

struct RoutingForm {
  std::string servicio, alcaldia, dependencia;
  std::string e_servicio, e_alcaldia, e_dependencia, error;
};

struct PointTest {
  std::string lat, lon, servicio;
  std::string e_lat, e_lon, e_servicio;
  bool asked = false;
  bool ok = false;
  std::string area;  // "CODE — name", or empty outside every area
  bool outside = false;
  std::string rule;    // "service × area", or empty: the service's own agency
  std::string agency;  // "code — name"
};

std::string agency_label(const std::vector<AgencyRef>& agencies, const std::string& code,
                         const std::string& locale) {
  for (const AgencyRef& a : agencies) {
    if (a.code == code) {
      return code + " — " +
             (locale.starts_with("en") && !a.name_en.empty() ? a.name_en : a.name_es);
    }
  }
  return code;
}

// The rule RoutingStore::route picked, by the same precedence: (service, area), (service, *),
// (*, area), (*, *).
std::string matched_rule(const std::vector<RoutingRule>& rules, const std::string& service,
                         const std::string& area) {
  for (const auto& [s, a] : std::vector<std::pair<std::string, std::string>>{
           {service, area}, {service, kAnyCode}, {kAnyCode, area}, {kAnyCode, kAnyCode}}) {
    if (a.empty()) continue;
    for (const RoutingRule& r : rules) {
      if (r.service_code == s && r.area_code == a) return s + " × " + a;
    }
  }
  return "";
}

void run_point_test(const StaffContext& ctx, http::Request& req, PointTest& t,
                    const std::vector<Service>& services, const std::vector<RoutingRule>& rules,
                    const std::vector<AgencyRef>& agencies) {
  const auto lat = parse_degrees(t.lat);
  const auto lon = parse_degrees(t.lon);
  if (!lat || *lat < -90 || *lat > 90) t.e_lat = msg(ctx, req, "admin311.error.lat");
  if (!lon || *lon < -180 || *lon > 180) t.e_lon = msg(ctx, req, "admin311.error.lon");
  const auto service = std::find_if(services.begin(), services.end(),
                                    [&](const Service& s) { return s.code == t.servicio; });
  if (service == services.end()) t.e_servicio = msg(ctx, req, "admin311.error.service");
  if (!t.e_lat.empty() || !t.e_lon.empty() || !t.e_servicio.empty()) return;
  auto area = ctx.areas->locate({*lon, *lat});
  if (!area) {
    t.e_lat = msg(ctx, req, "admin311.error.unavailable");
    return;
  }
  t.ok = true;
  if (!*area) {
    // Intake refuses such a point (requests.location.outside).
    t.outside = true;
    return;
  }
  std::string agency;
  const Status read = ctx.db.read([&](soci::session& sql) -> Status {
    const auto routed = RoutingStore::route(sql, service->code, **area, service->agency_code);
    agency = routed ? routed->code : service->agency_code;
    std::string name;
    sql << "SELECT name FROM areas WHERE code = :code", soci::use(**area), soci::into(name);
    t.area = **area + (name.empty() ? "" : " — " + name);
    return {};
  });
  if (!read) {
    t.ok = false;
    t.e_lat = msg(ctx, req, "admin311.error.unavailable");
    return;
  }
  t.rule = matched_rule(rules, service->code, **area);
  t.agency = agency_label(agencies, agency, req.locale);
}

View select(const std::vector<std::pair<std::string, std::string>>& items,
            const std::string& selected) {
  View out{View::type::list};
  for (const auto& [value, label] : items) {
    View o{View::type::object};
    o.set("value", value);
    o.set("label", label);
    if (value == selected) o.set("selected", true);
    out.push_back(o);
  }
  return out;
}

http::Response routing_page(const StaffContext& ctx, http::Request& req, const AdminViewer& viewer,
                            const RoutingForm& form, PointTest test, int status) {
  const std::string& locale = req.locale;
  auto rules = RoutingStore(ctx.db).list();
  if (!rules) return ctx.errors.error_response(req, rules.error());
  auto services = ServiceStore(ctx.db).list(true);
  if (!services) return ctx.errors.error_response(req, services.error());
  auto agencies = InboxStore(ctx.db).agencies();
  if (!agencies) return ctx.errors.error_response(req, agencies.error());
  auto areas = InboxStore(ctx.db).areas();
  if (!areas) return ctx.errors.error_response(req, areas.error());
  if (test.asked) {
    run_point_test(ctx, req, test, *services, *rules, *agencies);
    if (!test.ok && status == 200) status = 400;
  }
  View view{View::type::object};
  view.set("csrf", req.csrf_token);
  if (viewer.can_edit) view.set("can_edit", true);
  View rows{View::type::list};
  for (const RoutingRule& r : *rules) {
    View row{View::type::object};
    row.set("service", r.service_code);
    row.set("area", r.area_code);
    row.set("agency", agency_label(*agencies, r.agency_code, locale));
    rows.push_back(row);
  }
  view.set("rules", rows);
  if (rows.is_empty_list()) view.set("none", true);
  const std::string any = msg(ctx, req, "admin311.routing.any");
  std::vector<std::pair<std::string, std::string>> service_items{{kAnyCode, any}};
  std::vector<std::pair<std::string, std::string>> service_only;
  for (const Service& s : *services) {
    service_items.emplace_back(s.code, s.code + " — " + s.name.in(locale));
    service_only.emplace_back(s.code, s.code + " — " + s.name.in(locale));
  }
  std::vector<std::pair<std::string, std::string>> area_items{{kAnyCode, any}};
  for (const AreaRef& a : *areas) area_items.emplace_back(a.code, a.code + " — " + a.name);
  std::vector<std::pair<std::string, std::string>> agency_items;
  for (const AgencyRef& a : *agencies)
    agency_items.emplace_back(a.code, agency_label(*agencies, a.code, locale));
  view.set("service_options", select(service_items, form.servicio));
  view.set("area_options", select(area_items, form.alcaldia));
  view.set("agency_options", select(agency_items, form.dependencia));
  view.set("test_service_options", select(service_only, test.servicio));
  set_admin_text(view, "e_servicio", form.e_servicio);
  set_admin_text(view, "e_alcaldia", form.e_alcaldia);
  set_admin_text(view, "e_dependencia", form.e_dependencia);
  set_admin_text(view, "error", form.error);
  view.set("t_lat", test.lat);
  view.set("t_lon", test.lon);
  set_admin_text(view, "e_lat", test.e_lat);
  set_admin_text(view, "e_lon", test.e_lon);
  set_admin_text(view, "e_test_servicio", test.e_servicio);
  if (test.ok) {
    View result{View::type::object};
    if (test.outside) {
      result.set("outside", true);
    } else {
      result.set("area", test.area);
      set_admin_text(result, "rule", test.rule);
      result.set("agency", test.agency);
    }
    view.set("result", result);
  }
  if (status == 200 && !test.asked) {
    if (auto flash = take_admin_flash(req)) view.set("done", *flash);
  }
  return ctx.renderer.render_page(req, "requests/admin_routing", view,
                                  {.title_key = "admin311.routing.title", .status = status});
}

http::Response routing_show(const StaffContext& ctx, http::Request& req) {
  auto access = admin_access(ctx, req, false);
  if (auto* answer = std::get_if<http::Response>(&access)) return std::move(*answer);
  const auto& q = req.query();
  if (!q) return ctx.errors.error_response(req, q.error());
  PointTest test;
  test.asked = q->has("lat") || q->has("lon");
  test.lat = std::string(text::trim_space(q->get_or("lat", "")));
  test.lon = std::string(text::trim_space(q->get_or("lon", "")));
  test.servicio = std::string(q->get_or("servicio", ""));
  return routing_page(ctx, req, std::get<AdminViewer>(access), {}, std::move(test), 200);
}

enum class RuleAction { kPut, kRemove };

http::Response routing_change(const StaffContext& ctx, http::Request& req, RuleAction action) {
  auto post = admin_post(ctx, req);
  if (auto* answer = std::get_if<http::Response>(&post)) return std::move(*answer);
  const auto& [viewer, posted] = std::get<AdminPost>(post);
  RoutingForm form;
  form.servicio = std::string(posted->get_or("servicio", ""));
  form.alcaldia = std::string(posted->get_or("alcaldia", ""));
  form.dependencia = std::string(posted->get_or("dependencia", ""));
  // Codes must name what exists ('*': any); checked here so each error is on its field.
  if (form.servicio != kAnyCode) {
    auto found = is_valid_service_code(form.servicio)
                     ? ServiceStore(ctx.db).find(form.servicio)
                     : Result<std::optional<Service>>(std::nullopt);
    if (!found) return ctx.errors.error_response(req, found.error());
    if (!*found) form.e_servicio = msg(ctx, req, "admin311.error.service");
  }
  if (form.alcaldia != kAnyCode) {
    auto areas = InboxStore(ctx.db).areas();
    if (!areas) return ctx.errors.error_response(req, areas.error());
    if (std::none_of(areas->begin(), areas->end(),
                     [&](const AreaRef& a) { return a.code == form.alcaldia; })) {
      form.e_alcaldia = msg(ctx, req, "admin311.error.area");
    }
  }
  if (action == RuleAction::kPut) {
    auto agencies = InboxStore(ctx.db).agencies();
    if (!agencies) return ctx.errors.error_response(req, agencies.error());
    if (std::none_of(agencies->begin(), agencies->end(),
                     [&](const AgencyRef& a) { return a.code == form.dependencia; })) {
      form.e_dependencia = msg(ctx, req, "admin311.error.agency");
    }
  }
  // A rule may still name a service or area that has since gone: removing it must work.
  if (action == RuleAction::kRemove && (form.servicio.size() <= 64 && form.alcaldia.size() <= 64)) {
    form.e_servicio.clear();
    form.e_alcaldia.clear();
  }
  if (!form.e_servicio.empty() || !form.e_alcaldia.empty() || !form.e_dependencia.empty()) {
    return routing_page(ctx, req, viewer, form, {}, 400);
  }
  Status done;
  std::string flash;
  if (action == RuleAction::kPut) {
    done = RoutingStore(ctx.db).put(
        {{form.servicio, form.alcaldia, form.dependencia}},
        audit_change(
            req, viewer, "311.routing.saved",
            {{"service", form.servicio}, {"area", form.alcaldia}, {"agency", form.dependencia}}));
    flash = "admin311.routing.saved";
  } else {
    done = RoutingStore(ctx.db).remove(
        form.servicio, form.alcaldia,
        audit_change(req, viewer, "311.routing.removed",
                     {{"service", form.servicio}, {"area", form.alcaldia}}));
    flash = "admin311.routing.removed";
  }
  if (!done) {
    const Error& e = done.error();
    if (e.kind != ErrorKind::kInvalidInput && e.kind != ErrorKind::kNotFound) {
      return ctx.errors.error_response(req, e);
    }
    form.error =
        msg(ctx, req,
            e.kind == ErrorKind::kNotFound ? "admin311.error.no_rule" : "admin311.error.agency");
    return routing_page(ctx, req, viewer, form, {}, http::status_for(e.kind));
  }
  log::info("admin311.routing_changed", {{"request_id", req.request_id},
                                         {"action", flash},
                                         {"service", form.servicio},
                                         {"area", form.alcaldia},
                                         {"agency", form.dependencia},
                                         {"staff", std::to_string(viewer.who.account.id)}});
  return redirect_with_flash(
      req, msg(ctx, req, flash.c_str()) + " " + form.servicio + " × " + form.alcaldia,
      "/admin/enrutamiento");
}

}  // namespace

void register_routing_admin_routes(http::Router& router, std::shared_ptr<const StaffContext> ctx) {
  router.get("/admin/areas", [ctx](http::Request& req) { return areas_show(*ctx, req); });
  http::RouteOptions upload;
  upload.max_body_bytes = kMaxUploadBodyBytes;
  router.post(
      "/admin/areas", [ctx](http::Request& req) { return areas_import(*ctx, req); }, upload);
  router.get("/admin/enrutamiento", [ctx](http::Request& req) { return routing_show(*ctx, req); });
  http::RouteOptions form_post;
  form_post.max_body_bytes = kMaxFormBodyBytes;
  router.post(
      "/admin/enrutamiento",
      [ctx](http::Request& req) { return routing_change(*ctx, req, RuleAction::kPut); }, form_post);
  router.post(
      "/admin/enrutamiento/quitar",
      [ctx](http::Request& req) { return routing_change(*ctx, req, RuleAction::kRemove); },
      form_post);
}

}  // namespace zocalo::requests
