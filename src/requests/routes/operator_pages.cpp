// The call-centre console (issue 4, item 4): an operator (or admin) finds the caller by phone,
// CURP, e-mail or name, sees their open requests, files a report on their behalf (channel
// "phone") and reads the folio back from a confirmation page.
//
//   GET  /operador                  search (q), the caller (cuenta | telefono, correo), and the
//                                   filing form once a service is chosen (servicio)
//   POST /operador/reportes         files the report; 303 to the confirmation
//   GET  /operador/folio/{folio}    the folio, large and spelled for the phone
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "platform/core/log.hpp"
#include "platform/core/time.hpp"
#include "platform/http/errors.hpp"
#include "requests/model/attribute.hpp"
#include "requests/model/folio.hpp"
#include "requests/model/request_intake.hpp"
#include "requests/routes/operator_folio_speech.hpp"
#include "requests/routes/staff_context.hpp"
#include "requests/routes/staff_views.hpp"
#include "requests/store/inbox_store.hpp"
#include "requests/store/request_notifications.hpp"
#include "requests/store/request_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

using View = web::View;
constexpr int kSearchLimit = 20;
constexpr std::size_t kSearchMaxBytes = 254;

// What the console shows: the values typed so far (kept on error) and the reason of a refusal.
struct Console {
  std::map<std::string, std::string, std::less<>> values;       // form fields by name
  std::vector<std::pair<std::string, std::string>> attributes;  // attribute[...] fields
  std::string error_key;
  int status = 200;

  std::string get(std::string_view name) const {
    const auto it = values.find(name);
    return it == values.end() ? std::string() : it->second;
  }
};

std::string full_name(const identity::ResidentContact& c) {
  std::string name = c.given_name;
  if (!c.family_name.empty()) name += (name.empty() ? "" : " ") + c.family_name;
  return name;
}

View request_rows(const StaffContext& ctx, const std::string& locale,
                  const std::vector<InboxRow>& rows) {
  View out{View::type::list};
  for (const InboxRow& r : rows) {
    View row{View::type::object};
    auto folio = parse_folio(r.folio);
    row.set("folio_display", folio ? folio->display() : r.folio);
    row.set("status", std::string(ctx.renderer.text(locale, status_label_key(r.status))));
    row.set("service",
            locale.starts_with("en") && !r.service_en.empty() ? r.service_en : r.service_es);
    row.set("place", r.address.empty() ? r.area_name : r.address);
    row.set("requested", format_local(r.requested_at));
    out.push_back(row);
  }
  return out;
}

View attribute_fields(const Service& service, const Console& console) {
  View out{View::type::list};
  for (const AttributeDefinition& a : service.attributes) {
    View f{View::type::object};
    f.set("code", a.code);
    f.set("id", "attr-" + std::to_string(a.order));
    f.set("question", a.description);
    if (!a.datatype_description.empty()) f.set("hint", a.datatype_description);
    if (a.required) f.set("required", true);
    if (!a.variable) {
      f.set("info", true);
      out.push_back(f);
      continue;
    }
    std::vector<std::string> given;
    for (const auto& [name, value] : console.attributes) {
      if (name == "attribute[" + a.code + "]" || name == "attribute[" + a.code + "][]") {
        given.push_back(value);
      }
    }
    f.set("value", given.empty() ? std::string() : given.front());
    switch (a.datatype) {
      case AttributeDatatype::kText:
        f.set("textarea", true);
        break;
      case AttributeDatatype::kSingleValueList:
      case AttributeDatatype::kMultiValueList: {
        const bool multi = a.datatype == AttributeDatatype::kMultiValueList;
        f.set(multi ? "checkboxes" : "select", true);
        View values{View::type::list};
        for (std::size_t i = 0; i < a.values.size(); ++i) {
          View v{View::type::object};
          v.set("key", a.values[i].key);
          v.set("name", a.values[i].name);
          v.set("id", "attr-" + std::to_string(a.order) + "-" + std::to_string(i));
          if (std::find(given.begin(), given.end(), a.values[i].key) != given.end()) {
            v.set("chosen", true);
          }
          values.push_back(v);
        }
        f.set("values", values);
        break;
      }
      default:
        f.set("input", true);
    }
    out.push_back(f);
  }
  return out;
}

http::Response console_page(const StaffContext& ctx, http::Request& req,
                            const identity::SignedIn& who, const Console& console) {
  const std::string& locale = req.locale;
  View view{View::type::object};
  view.set("csrf", req.csrf_token);
  if (!console.error_key.empty()) {
    view.set("error", std::string(ctx.renderer.text(locale, console.error_key)));
  }
  // 1. Finding the caller.
  const std::string q = console.get("q");
  view.set("q", q);
  if (!q.empty()) {
    auto found = identity::find_residents(
        req, ctx.db, {.staff_account_id = who.account.id, .purpose = "311.caller_search"}, q,
        kSearchLimit);
    if (!found) {
      view.set("search_error", std::string(ctx.renderer.text(locale, "operador.search.invalid")));
    } else {
      View results{View::type::list};
      for (const identity::ResidentContact& c : *found) {
        View r{View::type::object};
        r.set("id", std::to_string(c.account_id));
        r.set("name", full_name(c));
        if (c.curp) r.set("curp", *c.curp);
        if (c.email) r.set("email", *c.email);
        if (c.phone) r.set("phone", *c.phone);
        results.push_back(r);
      }
      if (results.is_empty_list()) view.set("no_results", true);
      view.set("results", results);
      view.set("searched", true);
    }
  }
  // 2. The caller and their open requests.
  CallerQuery caller;
  const auto account = parse_id(console.get("cuenta"));
  if (account) {
    auto contact = identity::find_resident(
        req, ctx.db, {.staff_account_id = who.account.id, .purpose = "311.caller_opened"},
        *account);
    if (!contact) return ctx.errors.error_response(req, contact.error());
    if (!*contact) return ctx.errors.page(req, 404);
    View c{View::type::object};
    c.set("id", std::to_string(*account));
    c.set("name", full_name(**contact));
    if ((*contact)->curp) c.set("curp", *(*contact)->curp);
    if ((*contact)->email) c.set("email", *(*contact)->email);
    if ((*contact)->phone) c.set("phone", *(*contact)->phone);
    view.set("caller", c);
    caller.account_id = *account;
    caller.email = (*contact)->email.value_or("");
    caller.phone = (*contact)->phone.value_or("");
  } else {
    caller.phone = console.get("telefono");
    caller.email = console.get("correo");
    view.set("unregistered", true);
  }
  if (caller.account_id || !caller.phone.empty() || !caller.email.empty()) {
    auto open = InboxStore(ctx.db).for_caller(caller, time::now_unix());
    if (!open) return ctx.errors.error_response(req, open.error());
    view.set("caller_requests", request_rows(ctx, locale, *open));
    view.set("caller_known", true);
    if (open->empty()) view.set("caller_none", true);
  }
  // 3. Filing on their behalf: the service first (its questions depend on it), then the rest.
  auto services = ServiceStore(ctx.db).list();
  if (!services) return ctx.errors.error_response(req, services.error());
  const std::string chosen = console.get("servicio");
  View service_options{View::type::list};
  const Service* service = nullptr;
  for (const Service& s : *services) {
    View o{View::type::object};
    o.set("value", s.code);
    o.set("label", s.name.in(locale));
    o.set("group", s.group.in(locale));
    if (s.code == chosen) {
      o.set("selected", true);
      service = &s;
    }
    service_options.push_back(o);
  }
  view.set("service_options", service_options);
  // Empty values as absent: mustache would open a section for an empty string.
  for (const char* field : {"cuenta", "telefono", "correo", "nombre", "apellido", "calle", "lat",
                            "long", "descripcion"}) {
    if (!console.get(field).empty()) view.set(field, console.get(field));
  }
  if (service) {
    view.set("service_name", service->name.in(locale));
    view.set("servicio", service->code);
    view.set("attributes", attribute_fields(*service, console));
    auto areas = InboxStore(ctx.db).areas();
    if (!areas) return ctx.errors.error_response(req, areas.error());
    View area_options{View::type::list};
    for (const AreaRef& a : *areas) {
      View o{View::type::object};
      o.set("value", a.code);
      o.set("label", a.name);
      if (console.get("alcaldia") == a.code) o.set("selected", true);
      area_options.push_back(o);
    }
    view.set("area_options", area_options);
  }
  return ctx.renderer.render_page(req, "operador/console", view,
                                  {.title_key = "operador.title", .status = console.status});
}

Console console_from(const http::FormData& fields) {
  Console c;
  for (const auto& [name, value] : fields.fields()) {
    if (name.starts_with("attribute[")) {
      if (c.attributes.size() < 200) c.attributes.emplace_back(name, value);
    } else if (name != "_csrf" && name.size() <= 32 && !c.values.contains(name)) {
      c.values.emplace(name, value.substr(0, 8'000));
    }
  }
  return c;
}

http::Response console(const StaffContext& ctx, http::Request& req) {
  auto access = staff_access(ctx, req, StaffPage::kOperator);
  if (auto* answer = std::get_if<http::Response>(&access)) return std::move(*answer);
  const auto& who = std::get<identity::SignedIn>(access);
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  Console c = console_from(*query);
  if (c.get("q").size() > kSearchMaxBytes) c.values["q"] = "";
  return console_page(ctx, req, who, c);
}

// The report, checked field by field; the error key names what to fix.
struct Intake {
  NewServiceRequest request;
  std::optional<Service> service;
  std::string area_code;
};

Result<Intake> read_intake(const StaffContext& ctx, const http::Request& req,
                           const identity::SignedIn& who, const Console& c) {
  const auto refuse = [](const char* key, std::string detail) {
    return fail(Error::invalid(key, std::move(detail)));
  };
  Intake in;
  const std::string code = c.get("servicio");
  if (!is_valid_service_code(code)) return refuse("operador.form.service", "servicio");
  auto service = ServiceStore(ctx.db).find(code);
  if (!service) return fail(service.error());
  if (!*service || !(*service)->active) return refuse("operador.form.service", "servicio");
  in.service = std::move(**service);
  NewServiceRequest& r = in.request;
  r.service_code = code;
  r.channel = "phone";
  r.requested_at = time::now_unix();

  // Location: a point, or an alcaldía with the street (no map needed).
  const std::string lat = c.get("lat"), lon = c.get("long");
  if (!lat.empty() || !lon.empty()) {
    const auto la = parse_degrees(lat), lo = parse_degrees(lon);
    if (!la || !lo || *la < -90 || *la > 90 || *lo < -180 || *lo > 180) {
      return refuse("operador.form.point", "lat/long");
    }
    r.point = GeoPoint{*lo, *la};
  }
  std::string street;
  if (!c.get("calle").empty()) {
    auto s = check_free_text("address_string", c.get("calle"), kAddressMaxChars - 60);
    if (!s) return refuse("operador.form.address", s.error().detail);
    street = *s;
  }
  const std::string alcaldia = c.get("alcaldia");
  if (!alcaldia.empty()) {
    auto areas = InboxStore(ctx.db).areas();
    if (!areas) return fail(areas.error());
    const auto it = std::find_if(areas->begin(), areas->end(),
                                 [&](const AreaRef& a) { return a.code == alcaldia; });
    if (it == areas->end()) return refuse("operador.form.location", "alcaldia");
    in.area_code = it->code;
    if (!street.empty()) street += ", " + it->name;
  }
  if (!r.point && (in.area_code.empty() || street.empty())) {
    return refuse("operador.form.location", "location");
  }
  r.address_string = street;

  auto description = check_free_text("description", c.get("descripcion"), kDescriptionMaxChars);
  if (!description) return refuse("operador.form.description", description.error().detail);
  r.description = *description;

  // The caller: their account's verified contacts, or what they told the operator.
  if (const auto account = parse_id(c.get("cuenta"))) {
    auto contact = identity::find_resident(
        req, ctx.db, {.staff_account_id = who.account.id, .purpose = "311.report_for_caller"},
        *account);
    if (!contact) return fail(contact.error());
    if (!*contact) return refuse("operador.form.caller", "cuenta");
    r.contact.account_id = std::to_string(*account);
    r.contact.first_name = (*contact)->given_name.substr(0, 300);
    r.contact.last_name = (*contact)->family_name.substr(0, 300);
    r.contact.email = (*contact)->email.value_or("");
    r.contact.phone = (*contact)->phone.value_or("");
  } else if (!c.get("cuenta").empty()) {
    return refuse("operador.form.caller", "cuenta");
  } else {
    const auto optional = [&](const char* field, auto check) -> Status {
      const std::string value = c.get(field);
      if (value.empty()) return {};
      auto ok = check(value);
      if (!ok) return fail(Error::invalid("operador.form.contact", ok.error().detail));
      return {};
    };
    if (Status s = optional("correo", [](const std::string& v) { return check_email(v); }); !s) {
      return fail(s.error());
    }
    if (Status s = optional("telefono", [](const std::string& v) { return check_phone(v); }); !s) {
      return fail(s.error());
    }
    if (Status s = optional(
            "nombre", [](const std::string& v) { return check_person_name("first_name", v); });
        !s) {
      return fail(s.error());
    }
    if (Status s = optional("apellido",
                            [](const std::string& v) { return check_person_name("last_name", v); });
        !s) {
      return fail(s.error());
    }
    if (!c.get("correo").empty()) r.contact.email = *check_email(c.get("correo"));
    if (!c.get("telefono").empty()) r.contact.phone = *check_phone(c.get("telefono"));
    if (!c.get("nombre").empty())
      r.contact.first_name = *check_person_name("first_name", c.get("nombre"));
    if (!c.get("apellido").empty())
      r.contact.last_name = *check_person_name("last_name", c.get("apellido"));
  }

  auto submitted = collect_attribute_fields(c.attributes);
  if (!submitted) return refuse("operador.form.attributes", submitted.error().detail);
  auto answers = validate_attribute_values(in.service->attributes, *submitted);
  if (!answers) return refuse("operador.form.attributes", answers.error().detail);
  r.attributes = std::move(*answers);
  return in;
}

http::Response file_report(const StaffContext& ctx, http::Request& req) {
  auto access = staff_access(ctx, req, StaffPage::kOperator);
  if (auto* answer = std::get_if<http::Response>(&access)) return std::move(*answer);
  const auto& who = std::get<identity::SignedIn>(access);
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  if (!form->files().empty()) return ctx.errors.page(req, 400);
  Console c = console_from(*form);
  auto intake = read_intake(ctx, req, who, c);
  if (!intake) {
    if (intake.error().kind != ErrorKind::kInvalidInput) {
      return ctx.errors.error_response(req, intake.error());
    }
    c.error_key = intake.error().user_key;
    c.status = 400;
    return console_page(ctx, req, who, c);
  }
  // A point decides the area (the alcaldía typed is only a hint); outside the city: refused.
  if (intake->request.point) {
    auto area = ctx.areas->locate(*intake->request.point);
    if (!area) return ctx.errors.error_response(req, area.error());
    if (!*area) {
      c.error_key = "requests.location.outside";
      c.status = 400;
      return console_page(ctx, req, who, c);
    }
    intake->area_code = **area;
  }
  CreatedRequest created;
  const Status saved = ctx.db.transaction([&](soci::session& sql) -> Status {
    auto inserted = RequestStore::insert(sql, intake->request, *intake->service, intake->area_code);
    if (!inserted) return fail(inserted.error());
    created = std::move(*inserted);
    return RequestNotifications::queue(sql, {created.id, RequestEvent::kReceived, ""},
                                       ctx.base_url);
  });
  if (!saved) return ctx.errors.error_response(req, saved.error());
  log::info("operador.request_filed", {{"request_id", req.request_id},
                                       {"folio", created.folio},
                                       {"operator", std::to_string(who.account.id)}});
  return http::Response::redirect("/operador/folio/" + created.folio);
}

http::Response confirmation(const StaffContext& ctx, http::Request& req) {
  auto access = staff_access(ctx, req, StaffPage::kOperator);
  if (auto* answer = std::get_if<http::Response>(&access)) return std::move(*answer);
  const auto folio = folio_from_path(req.params["folio"]);
  if (!folio) return ctx.errors.page(req, 404);
  auto found = InboxStore(ctx.db).find(*folio);
  if (!found) return ctx.errors.error_response(req, found.error());
  if (!*found) return ctx.errors.page(req, 404);
  const StaffRequest& r = **found;
  const std::string& locale = req.locale;
  const SpokenFolio spoken = speak_folio(r.folio);
  View view{View::type::object};
  auto parsed = parse_folio(r.folio);
  view.set("folio_display", parsed ? parsed->display() : r.folio);
  view.set("spelled", spoken.spelled);
  View groups{View::type::list};
  for (const auto* group : {&spoken.first, &spoken.second}) {
    View symbols{View::type::list};
    for (const SpokenSymbol& s : *group) {
      View v{View::type::object};
      v.set("symbol", std::string(1, s.symbol));
      if (s.is_letter) v.set("hint", std::string(ctx.renderer.text(locale, s.hint_key)));
      symbols.push_back(v);
    }
    View g{View::type::object};
    g.set("symbols", symbols);
    g.set("start", group == &spoken.first ? "1" : std::to_string(spoken.first.size() + 1));
    groups.push_back(g);
  }
  view.set("groups", groups);
  view.set("service",
           locale.starts_with("en") && !r.service_en.empty() ? r.service_en : r.service_es);
  view.set("agency", locale.starts_with("en") && !r.agency_en.empty() ? r.agency_en : r.agency_es);
  if (r.expected_at) view.set("due", format_local(*r.expected_at));
  view.set("status", std::string(ctx.renderer.text(locale, status_label_key(r.status))));
  if (!r.account_id.empty()) view.set("cuenta", r.account_id);
  return ctx.renderer.render_page(req, "operador/confirmation", view,
                                  {.title_key = "operador.confirmation.title"});
}

}  // namespace

void register_operator_routes(http::Router& router, std::shared_ptr<const StaffContext> ctx) {
  router.get("/operador", [ctx](http::Request& req) { return console(*ctx, req); });
  // Form fields only: a description of 4,000 characters and a few attributes.
  http::RouteOptions post;
  post.max_body_bytes = 64 * 1024;
  router.post(
      "/operador/reportes", [ctx](http::Request& req) { return file_report(*ctx, req); }, post);
  router.get("/operador/folio/{folio}",
             [ctx](http::Request& req) { return confirmation(*ctx, req); });
}

}  // namespace zocalo::requests
