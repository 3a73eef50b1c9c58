// The service catalog for admins (issue 4, item 1): GET /admin/servicios lists every service
// (inactive ones too) with a form to create or edit one and its Open311 attributes, works
// without JavaScript (a fixed number of attribute rows; an empty code removes a row), and
// takes the same JSON/CSV file `zocalo services import` takes. Services are never deleted
// (requests refer to them): they are deactivated. Every write is ServiceStore::import, one
// transaction; a refused form is shown again with the reason next to its field, nothing saved.
#include "requests/routes/catalog_admin_pages.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "platform/core/log.hpp"
#include "platform/core/text.hpp"
#include "platform/http/errors.hpp"
#include "platform/http/form.hpp"
#include "requests/model/catalog_import.hpp"
#include "requests/model/request_intake.hpp"
#include "requests/store/inbox_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {

std::variant<AdminPost, http::Response> admin_post(const StaffContext& ctx, http::Request& req) {
  auto access = admin_access(ctx, req, true);
  if (auto* answer = std::get_if<http::Response>(&access)) return std::move(*answer);
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  return AdminPost{std::move(std::get<AdminViewer>(access)), &*form};
}

AdminAccess admin_access(const StaffContext& ctx, http::Request& req, bool for_change) {
  auto who = identity::signed_in(req, ctx.db);
  if (!who) return ctx.errors.error_response(req, who.error());
  if (!*who) return identity::sign_in_redirect(req);
  const identity::StaffRoles& roles = (*who)->roles;
  const bool admin = roles.is_admin();
  if (!admin && (for_change || !roles.has(identity::Role::kAgencyStaff))) {
    return ctx.errors.page(req, 403);
  }
  return AdminViewer{std::move(**who), admin};
}

db::AlsoInTransaction audit_change(const http::Request& req, const AdminViewer& viewer,
                                   std::string action, const boost::json::object& detail) {
  return [&req, staff = viewer.who.account.id, action = std::move(action),
          detail = boost::json::serialize(detail)](soci::session& sql) {
    return identity::record_staff_action(sql, req, staff, action, detail);
  };
}

void set_admin_text(web::View& view, const std::string& key, const std::string& value) {
  if (!value.empty()) view.set(key, value);
}

namespace {
constexpr const char* kFlashKey = "admin311.flash";
}  // namespace

http::Response redirect_with_flash(http::Request& req, const std::string& message,
                                   const std::string& target) {
  req.session.set(kFlashKey, message);
  return http::Response::redirect(target);
}

std::optional<std::string> take_admin_flash(http::Request& req) {
  auto flash = req.session.get(kFlashKey);
  if (flash) req.session.erase(kFlashKey);
  return flash;
}

namespace {

using View = web::View;
// Blank attribute rows offered under the existing ones (JavaScript off: no "add row" button).
constexpr std::size_t kBlankAttributeRows = 2;
// The import form's file: the form parser's 10 MiB file limit plus the other fields.
constexpr std::size_t kMaxImportBodyBytes = 11 * 1024 * 1024;
constexpr std::size_t kMaxFormBodyBytes = 512 * 1024;

const char* const kDatatypes[] = {"string", "number",          "datetime",
                                  "text",   "singlevaluelist", "multivaluelist"};
const char* const kTypes[] = {"realtime", "batch", "blackbox"};

struct FieldErrors {
  std::vector<std::pair<std::string, std::string>> list;  // field → message
  void add(std::string field, std::string message) {
    list.emplace_back(std::move(field), std::move(message));
  }
  bool empty() const { return list.empty(); }
};

std::string format_hours(double hours) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", hours);
  return buf;
}

// "clave=Nombre" per line ↔ the values of a list attribute.
std::string values_text(const AttributeDefinition& a) {
  std::string out;
  for (const AttributeValue& v : a.values) out += v.key + "=" + v.name + "\n";
  return out;
}

// What the form holds, as typed: shown again on an error.
struct ServiceForm {
  Service service;
  std::vector<std::string> attribute_values;  // the values text per attribute row
  std::string sla_text;
  std::string order_text;
  std::vector<std::string> attribute_order_text;
  std::string keywords_text;
};

ServiceForm form_of(const Service& s) {
  ServiceForm f;
  f.service = s;
  f.sla_text = format_hours(s.sla_hours);
  f.order_text = std::to_string(s.order);
  for (std::size_t i = 0; i < s.keywords.size(); ++i) {
    f.keywords_text += (i ? ", " : "") + s.keywords[i];
  }
  for (const auto& a : s.attributes) {
    f.attribute_values.push_back(values_text(a));
    f.attribute_order_text.push_back(std::to_string(a.order));
  }
  return f;
}

std::string field_text(const http::FormData& form, std::string_view name) {
  return std::string(text::trim_space(form.get_or(name, "")));
}

// One optional line of text; `max` in characters.
std::string checked_text(const http::FormData& form, const std::string& field, std::size_t max,
                         bool multiline, FieldErrors& errors, const std::string& message) {
  const std::string raw = field_text(form, field);
  if (raw.empty()) return raw;
  auto ok = check_free_text(field, raw, max);
  if (!ok || (!multiline && ok->find_first_of("\n\t") != std::string::npos)) {
    errors.add(field, message);
    return raw;
  }
  return *ok;
}

std::optional<long long> parse_int(const std::string& s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  long long v = 0;
  std::size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) i = 1;
  if (i == s.size()) return std::nullopt;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return negative ? -v : v;
}

// Reads the service form; `errors` gets one message per bad field (catalog keys resolved).
ServiceForm read_service_form(const StaffContext& ctx, const std::string& locale,
                              const http::FormData& form, const std::vector<AgencyRef>& agencies,
                              FieldErrors& errors) {
  const auto msg = [&](const char* key) { return std::string(ctx.renderer.text(locale, key)); };
  ServiceForm f;
  Service& s = f.service;
  s.code = field_text(form, "codigo");
  if (!is_valid_service_code(s.code)) errors.add("codigo", msg("admin311.error.code"));
  s.name.es = checked_text(form, "nombre_es", kServiceNameMaxChars, false, errors,
                           msg("admin311.error.name"));
  if (s.name.es.empty()) errors.add("nombre_es", msg("admin311.error.name"));
  s.name.en = checked_text(form, "nombre_en", kServiceNameMaxChars, false, errors,
                           msg("admin311.error.name"));
  s.description.es = checked_text(form, "descripcion_es", kServiceDescriptionMaxChars, true, errors,
                                  msg("admin311.error.description"));
  s.description.en = checked_text(form, "descripcion_en", kServiceDescriptionMaxChars, true, errors,
                                  msg("admin311.error.description"));
  s.group.es = checked_text(form, "grupo_es", kServiceGroupMaxChars, false, errors,
                            msg("admin311.error.group"));
  s.group.en = checked_text(form, "grupo_en", kServiceGroupMaxChars, false, errors,
                            msg("admin311.error.group"));
  f.keywords_text =
      checked_text(form, "palabras", 4'000, false, errors, msg("admin311.error.keywords"));
  std::string_view rest = f.keywords_text;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view word = text::trim_space(rest.substr(0, comma));
    if (!word.empty()) s.keywords.emplace_back(word);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  if (s.keywords.size() > kServiceKeywordsMax)
    errors.add("palabras", msg("admin311.error.keywords"));
  s.agency_code = field_text(form, "dependencia");
  if (std::none_of(agencies.begin(), agencies.end(),
                   [&](const AgencyRef& a) { return a.code == s.agency_code; })) {
    errors.add("dependencia", msg("admin311.error.agency"));
  }
  f.sla_text = field_text(form, "sla");
  {
    char* end = nullptr;
    const double hours = f.sla_text.empty() ? 0 : std::strtod(f.sla_text.c_str(), &end);
    if ((!f.sla_text.empty() && (end == nullptr || *end != '\0' || f.sla_text.size() > 12)) ||
        !std::isfinite(hours) || hours < 0 || hours > kServiceSlaHoursMax) {
      errors.add("sla", msg("admin311.error.sla"));
    } else {
      s.sla_hours = hours;
    }
  }
  const auto type = parse_service_type(form.get_or("tipo", "realtime"));
  if (!type) errors.add("tipo", msg("admin311.error.type"));
  s.type = type.value_or(ServiceType::kRealtime);
  f.order_text = field_text(form, "orden");
  const auto order = f.order_text.empty() ? std::optional<long long>(0) : parse_int(f.order_text);
  if (!order || std::llabs(*order) > kServiceOrderMax)
    errors.add("orden", msg("admin311.error.order"));
  s.order = static_cast<int>(order.value_or(0));
  s.active = form.get_or("activo", "") == "1";

  const auto rows = parse_int(std::string(form.get_or("filas", "0")));
  const long long row_count = std::clamp<long long>(
      rows.value_or(0), 0, static_cast<long long>(kServiceAttributesMax + kBlankAttributeRows));
  for (long long i = 0; i < row_count; ++i) {
    const std::string p = "a" + std::to_string(i) + "_";
    // Errors name the row as it is shown again (empty rows are dropped, the rest move up).
    const std::string ep = "a" + std::to_string(s.attributes.size()) + "_";
    AttributeDefinition a;
    a.code = field_text(form, p + "codigo");
    const std::string description = field_text(form, p + "descripcion");
    const std::string values = std::string(form.get_or(p + "valores", ""));
    const std::string order_text = field_text(form, p + "orden");
    if (a.code.empty()) {
      if (!description.empty() || !text::trim_space(values).empty()) {
        errors.add(ep + "codigo", msg("admin311.error.attribute_code"));
      } else {
        continue;  // an empty row, or a row emptied to remove the attribute
      }
    }
    auto datatype = parse_attribute_datatype(form.get_or(p + "tipo", "string"));
    if (!datatype) errors.add(ep + "tipo", msg("admin311.error.type"));
    a.datatype = datatype ? *datatype : AttributeDatatype::kString;
    a.required = form.get_or(p + "requerido", "") == "1";
    const auto o = order_text.empty() ? std::optional<long long>(i + 1) : parse_int(order_text);
    if (!o || std::llabs(*o) > kServiceOrderMax)
      errors.add(ep + "orden", msg("admin311.error.order"));
    a.order = static_cast<int>(o.value_or(i + 1));
    FieldErrors description_errors;
    a.description = checked_text(form, p + "descripcion", kAttributeDescriptionMaxChars, false,
                                 description_errors, msg("admin311.error.description"));
    if (!description_errors.empty()) {
      errors.add(ep + "descripcion", msg("admin311.error.description"));
    } else if (a.description.empty()) {
      errors.add(ep + "descripcion", msg("admin311.error.description"));
    }
    std::string_view lines = values;
    while (!lines.empty()) {
      const auto nl = lines.find('\n');
      std::string_view line = text::trim_space(lines.substr(0, nl));
      lines = nl == std::string_view::npos ? std::string_view() : lines.substr(nl + 1);
      if (line.empty()) continue;
      const auto eq = line.find('=');
      AttributeValue v;
      v.key = std::string(text::trim_space(line.substr(0, eq)));
      v.name =
          eq == std::string_view::npos ? v.key : std::string(text::trim_space(line.substr(eq + 1)));
      a.values.push_back(std::move(v));
    }
    const bool list = a.datatype == AttributeDatatype::kSingleValueList ||
                      a.datatype == AttributeDatatype::kMultiValueList;
    if (list && a.values.empty()) errors.add(ep + "valores", msg("admin311.error.values"));
    if (!list && !a.values.empty())
      errors.add(ep + "valores", msg("admin311.error.values_not_list"));
    if (a.values.size() > kAttributeValuesMax)
      errors.add(ep + "valores", msg("admin311.error.values"));
    f.attribute_values.push_back(values);
    f.attribute_order_text.push_back(order_text);
    s.attributes.push_back(std::move(a));
  }
  if (s.attributes.size() > kServiceAttributesMax) {
    errors.add("atributos", msg("admin311.error.attributes"));
  }
  if (errors.empty()) {
    // The import's own rules (lengths, UTF-8, unique attribute codes and orders, ...).
    if (Status valid = validate_catalog({s}); !valid) {
      errors.add("atributos", msg("admin311.error.catalog") + " " + valid.error().detail);
    }
  }
  return f;
}

View options(const std::vector<std::string>& values, const std::string& selected) {
  View out{View::type::list};
  for (const std::string& v : values) {
    View o{View::type::object};
    o.set("value", v);
    o.set("label", v);
    if (v == selected) o.set("selected", true);
    out.push_back(o);
  }
  return out;
}

struct PageState {
  const ServiceForm* form = nullptr;  // the service form's content (null: a new service)
  const FieldErrors* errors = nullptr;
  std::string import_error;
  int status = 200;
};

http::Response page(const StaffContext& ctx, http::Request& req, const AdminViewer& viewer,
                    const PageState& state) {
  const std::string& locale = req.locale;
  auto services = ServiceStore(ctx.db).list(true);
  if (!services) return ctx.errors.error_response(req, services.error());
  auto agencies = InboxStore(ctx.db).agencies();
  if (!agencies) return ctx.errors.error_response(req, agencies.error());
  View view{View::type::object};
  view.set("csrf", req.csrf_token);
  if (viewer.can_edit) view.set("can_edit", true);
  View rows{View::type::list};
  for (const Service& s : *services) {
    View r{View::type::object};
    r.set("code", s.code);
    r.set("name", s.name.in(locale));
    set_admin_text(r, "group", s.group.in(locale));
    r.set("agency", s.agency_code);
    r.set("sla", format_hours(s.sla_hours));
    r.set("attributes", std::to_string(s.attributes.size()));
    if (s.active) r.set("active", true);
    rows.push_back(r);
  }
  view.set("services", rows);

  ServiceForm blank;
  blank.service.active = true;
  blank.sla_text = "72";
  blank.order_text = "0";
  const ServiceForm& f = state.form ? *state.form : blank;
  const Service& s = f.service;
  if (state.form) view.set("editing", true);
  view.set("f_code", s.code);
  view.set("f_name_es", s.name.es);
  view.set("f_name_en", s.name.en);
  view.set("f_description_es", s.description.es);
  view.set("f_description_en", s.description.en);
  view.set("f_group_es", s.group.es);
  view.set("f_group_en", s.group.en);
  view.set("f_keywords", f.keywords_text);
  view.set("f_sla", f.sla_text);
  view.set("f_order", f.order_text);
  if (s.active) view.set("f_active", true);
  View agency_options{View::type::list};
  for (const AgencyRef& a : *agencies) {
    View o{View::type::object};
    o.set("value", a.code);
    o.set("label", locale.starts_with("en") && !a.name_en.empty() ? a.name_en : a.name_es);
    if (a.code == s.agency_code) o.set("selected", true);
    agency_options.push_back(o);
  }
  view.set("agencies", agency_options);
  view.set("types",
           options({std::begin(kTypes), std::end(kTypes)}, std::string(service_type_name(s.type))));
  const std::vector<std::string> datatypes(std::begin(kDatatypes), std::end(kDatatypes));
  View attrs{View::type::list};
  const std::size_t n = s.attributes.size() + kBlankAttributeRows;
  for (std::size_t i = 0; i < n; ++i) {
    View a{View::type::object};
    const std::string p = "a" + std::to_string(i) + "_";
    a.set("p", p);
    a.set("n", std::to_string(i + 1));
    if (state.errors) {
      for (const char* field : {"codigo", "tipo", "orden", "descripcion", "valores"}) {
        for (const auto& [name, message] : state.errors->list) {
          if (name == p + field) {
            a.set(std::string("ae_") + field, message);
            break;
          }
        }
      }
    }
    if (i < s.attributes.size()) {
      const AttributeDefinition& d = s.attributes[i];
      a.set("code", d.code);
      a.set("datatypes", options(datatypes, std::string(to_string(d.datatype))));
      if (d.required) a.set("required", true);
      a.set("order", i < f.attribute_order_text.size() ? f.attribute_order_text[i]
                                                       : std::to_string(d.order));
      a.set("description", d.description);
      a.set("values", i < f.attribute_values.size() ? f.attribute_values[i] : values_text(d));
    } else {
      a.set("datatypes", options(datatypes, "string"));
      a.set("code", std::string());
      a.set("order", std::string());
      a.set("description", std::string());
      a.set("values", std::string());
    }
    attrs.push_back(a);
  }
  view.set("attribute_rows", attrs);
  view.set("rows", std::to_string(n));
  if (state.errors && !state.errors->empty()) {
    view.set("has_errors", true);
    // The first message of a field is the one shown next to it.
    for (auto it = state.errors->list.rbegin(); it != state.errors->list.rend(); ++it) {
      if (!it->first.starts_with("a") || it->first == "atributos")
        view.set("e_" + it->first, it->second);
    }
  }
  if (!state.import_error.empty()) view.set("import_error", state.import_error);
  if (state.status == 200) {
    if (auto flash = take_admin_flash(req)) view.set("done", *flash);
  }
  return ctx.renderer.render_page(req, "requests/admin_services", view,
                                  {.title_key = "admin311.services.title", .status = state.status});
}

http::Response show(const StaffContext& ctx, http::Request& req) {
  auto access = admin_access(ctx, req, false);
  if (auto* answer = std::get_if<http::Response>(&access)) return std::move(*answer);
  const auto& viewer = std::get<AdminViewer>(access);
  const auto& q = req.query();
  if (!q) return ctx.errors.error_response(req, q.error());
  const std::string code(q->get_or("editar", ""));
  if (code.empty()) return page(ctx, req, viewer, {});
  if (!is_valid_service_code(code)) return ctx.errors.page(req, 404);
  auto found = ServiceStore(ctx.db).find(code);
  if (!found) return ctx.errors.error_response(req, found.error());
  if (!*found) return ctx.errors.page(req, 404);
  const ServiceForm f = form_of(**found);
  return page(ctx, req, viewer, {.form = &f});
}

http::Response save(const StaffContext& ctx, http::Request& req) {
  auto post = admin_post(ctx, req);
  if (auto* answer = std::get_if<http::Response>(&post)) return std::move(*answer);
  const auto& [viewer, form] = std::get<AdminPost>(post);
  auto agencies = InboxStore(ctx.db).agencies();
  if (!agencies) return ctx.errors.error_response(req, agencies.error());
  FieldErrors errors;
  const ServiceForm f = read_service_form(ctx, req.locale, *form, *agencies, errors);
  if (!errors.empty())
    return page(ctx, req, viewer, {.form = &f, .errors = &errors, .status = 400});
  if (Status saved = ServiceStore(ctx.db).import(
          {f.service}, ImportMode::kMerge,
          audit_change(req, viewer, "311.service.saved", {{"service", f.service.code}}));
      !saved) {
    if (saved.error().kind != ErrorKind::kInvalidInput) {
      return ctx.errors.error_response(req, saved.error());
    }
    errors.add("atributos", std::string(ctx.renderer.text(req.locale, "admin311.error.catalog")) +
                                " " + saved.error().detail);
    return page(ctx, req, viewer, {.form = &f, .errors = &errors, .status = 400});
  }
  log::info("admin311.service_saved", {{"request_id", req.request_id},
                                       {"service", f.service.code},
                                       {"staff", std::to_string(viewer.who.account.id)}});
  return redirect_with_flash(
      req,
      std::string(ctx.renderer.text(req.locale, "admin311.services.saved")) + " " + f.service.code,
      "/admin/servicios?editar=" + f.service.code);
}

// Deactivate (never delete) or reactivate one service.
http::Response set_active(const StaffContext& ctx, http::Request& req) {
  auto post = admin_post(ctx, req);
  if (auto* answer = std::get_if<http::Response>(&post)) return std::move(*answer);
  const auto& [viewer, form] = std::get<AdminPost>(post);
  const std::string code(form->get_or("codigo", ""));
  const std::string_view active = form->get_or("activo", "");
  if (!is_valid_service_code(code) || (active != "0" && active != "1")) {
    return ctx.errors.error_response(req, Error::invalid("admin311.error.code", "codigo/activo"));
  }
  auto found = ServiceStore(ctx.db).find(code);
  if (!found) return ctx.errors.error_response(req, found.error());
  if (!*found) return ctx.errors.page(req, 404);
  Service s = std::move(**found);
  s.active = active == "1";
  if (Status saved = ServiceStore(ctx.db).import(
          {s}, ImportMode::kMerge,
          audit_change(req, viewer, s.active ? "311.service.activated" : "311.service.deactivated",
                       {{"service", code}}));
      !saved) {
    return ctx.errors.error_response(req, saved.error());
  }
  log::info("admin311.service_active", {{"request_id", req.request_id},
                                        {"service", code},
                                        {"active", std::string(active)},
                                        {"staff", std::to_string(viewer.who.account.id)}});
  return redirect_with_flash(
      req,
      std::string(ctx.renderer.text(
          req.locale, s.active ? "admin311.services.activated" : "admin311.services.deactivated")) +
          " " + code,
      "/admin/servicios");
}

// The same files `zocalo services import` reads: .csv is CSV, anything else JSON.
http::Response import_file(const StaffContext& ctx, http::Request& req) {
  auto post = admin_post(ctx, req);
  if (auto* answer = std::get_if<http::Response>(&post)) return std::move(*answer);
  const auto& [viewer, form] = std::get<AdminPost>(post);
  const http::UploadedFile* file = form->file("archivo");
  const auto refuse = [&](const std::string& message, int status) {
    return page(ctx, req, viewer, {.import_error = message, .status = status});
  };
  if (file == nullptr) {
    return refuse(std::string(ctx.renderer.text(req.locale, "admin311.error.no_file")), 400);
  }
  std::string name = file->filename;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool csv = name.ends_with(".csv");
  auto services = csv ? parse_catalog_csv(file->data) : parse_catalog_json(file->data);
  const std::string prefix(ctx.renderer.text(req.locale, "admin311.error.import"));
  if (!services) {
    return refuse(prefix + " " + services.error().detail, http::status_for(services.error().kind));
  }
  const bool replace = form->get_or("reemplazar", "") == "1";
  if (Status saved = ServiceStore(ctx.db).import(
          *services, replace ? ImportMode::kReplace : ImportMode::kMerge,
          audit_change(req, viewer, "311.catalog.imported",
                       {{"services", services->size()}, {"replace", replace}}));
      !saved) {
    if (saved.error().kind != ErrorKind::kInvalidInput) {
      return ctx.errors.error_response(req, saved.error());
    }
    return refuse(prefix + " " + saved.error().detail, 400);
  }
  log::info("admin311.services_imported", {{"request_id", req.request_id},
                                           {"count", std::to_string(services->size())},
                                           {"replace", replace ? "1" : "0"},
                                           {"staff", std::to_string(viewer.who.account.id)}});
  return redirect_with_flash(
      req,
      std::string(ctx.renderer.text(req.locale, "admin311.services.imported")) + " " +
          std::to_string(services->size()),
      "/admin/servicios");
}

}  // namespace

void register_catalog_admin_routes(http::Router& router, std::shared_ptr<const StaffContext> ctx) {
  router.get("/admin/servicios", [ctx](http::Request& req) { return show(*ctx, req); });
  http::RouteOptions form_post;
  form_post.max_body_bytes = kMaxFormBodyBytes;
  router.post(
      "/admin/servicios", [ctx](http::Request& req) { return save(*ctx, req); }, form_post);
  router.post(
      "/admin/servicios/estado", [ctx](http::Request& req) { return set_active(*ctx, req); },
      form_post);
  http::RouteOptions upload;
  upload.max_body_bytes = kMaxImportBodyBytes;
  router.post(
      "/admin/servicios/importar", [ctx](http::Request& req) { return import_file(*ctx, req); },
      upload);
}

}  // namespace zocalo::requests
