#include "requests/routes/resident_routes.hpp"

#include <charconv>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "identity/resident.hpp"
#include "platform/core/log.hpp"
#include "platform/core/text.hpp"
#include "platform/core/time.hpp"
#include "platform/http/form.hpp"
#include "platform/web/static_assets.hpp"
#include "requests/model/duplicate.hpp"
#include "requests/model/folio.hpp"
#include "requests/routes/photo_store.hpp"
#include "requests/routes/photo_upload.hpp"
#include "requests/routes/resident_form.hpp"
#include "requests/store/area_locator.hpp"
#include "requests/store/follower_links.hpp"
#include "requests/store/resident_request_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

constexpr const char* kFlashKey = "reportes.flash";
// A photo normalised and stored while the form still had errors or duplicates to offer: kept
// in the (server-side) session, never in a form field, so that a resident cannot attach a
// blob they did not upload (say, a private request's photo) by naming it.
constexpr const char* kPendingPhotoKey = "reportes.photo";
// Text-only posts: a description and a few text answers of 4,000 characters each,
// percent-encoded (up to 12 bytes a character), fit well under this; hostile uploads are
// refused before they are read.
constexpr std::size_t kMaxFormBytes = 256 * 1024;
// The report form with its photo (multipart): a phone photo of up to media's 10 MiB plus the
// text fields; a larger body is the server's 413 before anything is read.
constexpr std::size_t kMaxPhotoFormBytes = 12 * 1024 * 1024;
constexpr std::size_t kNoteMaxChars = 1'000;

struct ResidentContext {
  db::Database& db;
  const web::ErrorPages& errors;
  std::string base_url;
  double radius = kDefaultDuplicateRadiusMeters;
  const web::Renderer* renderer = nullptr;
  std::unique_ptr<web::Renderer> owned_renderer;
  std::unique_ptr<AreaLocator> areas;
  blobs::BlobStore* blobs = nullptr;
  media::PhotoLimits photo_limits;
};

using View = web::View;
using AreaNames = std::map<std::string, std::string, std::less<>>;

// Mustache treats an empty string as true: optional text goes into the view only when there is
// some, so that {{#x}}label: {{x}}{{/x}} shows nothing for nothing.
void set_text(View& view, const std::string& key, std::string value) {
  if (!value.empty()) view.set(key, std::move(value));
}

std::string text_of(const ResidentContext& ctx, const http::Request& req, std::string_view key) {
  return std::string(ctx.renderer->text(req.locale, key));
}

// Mexico City time, as residents read it: UTC−6 all year since 2022 (working_calendar.hpp).
std::string city_time(std::int64_t unix_seconds) {
  const std::int64_t local = unix_seconds - 6 * 3600;
  std::int64_t days = local / 86400;
  std::int64_t secs = local % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  // Howard Hinnant's civil_from_days.
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char out[32];
  std::snprintf(out, sizeof out, "%02d/%02d/%04d %02d:%02d", static_cast<int>(d),
                static_cast<int>(m), static_cast<int>(y), static_cast<int>(secs / 3600),
                static_cast<int>(secs / 60 % 60));
  return out;
}

std::string display_folio(const std::string& compact) {
  auto f = parse_folio(compact);
  return f ? f->display() : compact;
}

Result<AreaNames> area_names(ResidentContext& ctx) {
  auto list = ResidentRequestStore(ctx.db).alcaldias();
  if (!list) return fail(list.error());
  AreaNames out;
  for (auto& [code, name] : *list) out.emplace(code, name);
  return out;
}

Result<std::optional<identity::SignedIn>> who_is(ResidentContext& ctx, http::Request& req) {
  return identity::signed_in(req, ctx.db);
}

View status_view(const ResidentContext& ctx, const http::Request& req, RequestStatus status) {
  View v{View::type::object};
  const std::string name(to_string(status));
  v.set("name", name);
  v.set("label", text_of(ctx, req, "reportes.status." + name));
  v.set("means", text_of(ctx, req, "reportes.status_means." + name));
  v.set("closed", is_closed(status));
  return v;
}

View summary_list(const ResidentContext& ctx, const http::Request& req,
                  const std::vector<RequestSummary>& rows,
                  const std::map<std::string, std::string>& service_names, const AreaNames& areas) {
  View list{View::type::list};
  for (const RequestSummary& r : rows) {
    View row{View::type::object};
    row.set("folio", r.folio);
    row.set("folio_display", display_folio(r.folio));
    const auto s = service_names.find(r.service_code);
    row.set("service", s == service_names.end() ? r.service_code : s->second);
    const auto a = areas.find(r.area_code);
    set_text(row, "area", a == areas.end() ? std::string() : a->second);
    set_text(row, "address", r.address);
    row.set("requested", city_time(r.requested_at));
    row.set("status", status_view(ctx, req, r.status));
    list.push_back(row);
  }
  return list;
}

Result<std::map<std::string, std::string>> service_names(ResidentContext& ctx,
                                                         const http::Request& req) {
  auto services = ServiceStore(ctx.db).list(true);
  if (!services) return fail(services.error());
  std::map<std::string, std::string> out;
  for (const Service& s : *services) out.emplace(s.code, s.name.in(req.locale));
  return out;
}

// --- The report form -------------------------------------------------------------------------

View services_view(const http::Request& req, const std::vector<Service>& services,
                   std::string_view selected) {
  View groups{View::type::list};
  std::vector<std::string> order;
  std::map<std::string, View> by_group;
  for (const Service& s : services) {
    if (!s.active) continue;
    const std::string group = s.group.in(req.locale);
    if (!by_group.contains(group)) {
      order.push_back(group);
      by_group.emplace(group, View{View::type::list});
    }
    View item{View::type::object};
    item.set("code", s.code);
    item.set("name", s.name.in(req.locale));
    item.set("selected", s.code == selected);
    by_group[group].push_back(item);
  }
  for (const std::string& g : order) {
    View group{View::type::object};
    group.set("group", g);
    group.set("services", by_group[g]);
    groups.push_back(group);
  }
  return groups;
}

std::string error_for(const std::vector<FieldError>& errors, std::string_view field,
                      const ResidentContext& ctx, const http::Request& req) {
  std::string out;
  for (const FieldError& e : errors) {
    if (e.field != field) continue;
    if (!out.empty()) out += " ";
    out += text_of(ctx, req, e.key);
  }
  return out;
}

void set_field(View& view, const std::string& name, const std::string& value,
               const std::vector<FieldError>& errors, const ResidentContext& ctx,
               const http::Request& req) {
  view.set(name, value);
  const std::string error = error_for(errors, name, ctx, req);
  if (!error.empty()) view.set(name + "_error", error);
}

View attributes_view(const Service& service, const ReportFormInput& input,
                     const std::vector<FieldError>& errors, const ResidentContext& ctx,
                     const http::Request& req) {
  View list{View::type::list};
  for (const AttributeDefinition& d : service.attributes) {
    View a{View::type::object};
    const std::string field = "attribute[" + d.code + "]";
    a.set("field", d.datatype == AttributeDatatype::kMultiValueList ? field + "[]" : field);
    a.set("id", "attr-" + d.code);
    a.set("label", d.description);
    set_text(a, "hint", d.datatype_description);
    a.set("required", d.required);
    a.set("info_only", !d.variable);
    const auto given = input.attributes.find(d.code);
    const std::vector<std::string> values =
        given == input.attributes.end() ? std::vector<std::string>{} : given->second;
    a.set("value", values.empty() ? std::string() : values.front());
    a.set("is_string", d.variable && d.datatype == AttributeDatatype::kString);
    a.set("is_number", d.variable && d.datatype == AttributeDatatype::kNumber);
    a.set("is_datetime", d.variable && d.datatype == AttributeDatatype::kDatetime);
    a.set("is_text", d.variable && d.datatype == AttributeDatatype::kText);
    a.set("is_single", d.variable && d.datatype == AttributeDatatype::kSingleValueList);
    a.set("is_multi", d.variable && d.datatype == AttributeDatatype::kMultiValueList);
    View options{View::type::list};
    int i = 0;
    for (const AttributeValue& v : d.values) {
      View o{View::type::object};
      o.set("key", v.key);
      o.set("name", v.name);
      o.set("id", "attr-" + d.code + "-" + std::to_string(i++));
      bool chosen = false;
      for (const std::string& g : values) chosen = chosen || g == v.key;
      o.set("selected", chosen);
      options.push_back(o);
    }
    a.set("options", options);
    const std::string error = error_for(errors, field, ctx, req);
    if (!error.empty()) a.set("error", error);
    list.push_back(a);
  }
  return list;
}

struct FormPage {
  const Service* service = nullptr;
  ReportFormInput input;
  std::vector<FieldError> errors;
  std::vector<NearbyRequest> duplicates;
  bool signed_in = false;
  bool photo_kept = false;  // a photo waits in the session (kPendingPhotoKey)
  int status = 200;
};

http::Response form_page(ResidentContext& ctx, http::Request& req,
                         const std::vector<Service>& services, const FormPage& page) {
  View view{View::type::object};
  view.set("csrf", req.csrf_token);
  view.set("signed_in", page.signed_in);
  if (page.service == nullptr) {
    // Step one: the service (its questions depend on it; no script needed to change them).
    view.set("choose", true);
    view.set("groups", services_view(req, services, page.input.service_code));
    const std::string error = error_for(page.errors, "servicio", ctx, req);
    if (!error.empty()) view.set("servicio_error", error);
    return ctx.renderer->render_page(req, "reportes/nuevo", view,
                                     {.title_key = "reportes.new.title", .status = page.status});
  }
  const Service& service = *page.service;
  view.set("service_code", service.code);
  view.set("service_name", service.name.in(req.locale));
  set_text(view, "service_description", service.description.in(req.locale));
  auto areas = area_names(ctx);
  if (!areas) return ctx.errors.error_response(req, areas.error());
  View area_list{View::type::list};
  for (const auto& [code, name] : *areas) {
    View a{View::type::object};
    a.set("code", code);
    a.set("name", name);
    a.set("selected", code == page.input.area_code);
    area_list.push_back(a);
  }
  view.set("areas", area_list);
  const auto& in = page.input;
  set_field(view, "alcaldia", in.area_code, page.errors, ctx, req);
  set_field(view, "direccion", in.address, page.errors, ctx, req);
  set_field(view, "lat", in.lat, page.errors, ctx, req);
  set_field(view, "lon", in.lon, page.errors, ctx, req);
  set_field(view, "descripcion", in.description, page.errors, ctx, req);
  set_field(view, "nombre", in.first_name, page.errors, ctx, req);
  set_field(view, "correo", in.email, page.errors, ctx, req);
  set_field(view, "telefono", in.phone, page.errors, ctx, req);
  view.set("photos", ctx.blobs != nullptr);
  view.set("photo_kept", page.photo_kept);
  // "Use my location": an optional deferred script from our origin (static/ubicacion.js).
  view.set("location_script", web::asset_url("ubicacion.js"));
  if (const std::string e = error_for(page.errors, "foto", ctx, req); !e.empty()) {
    view.set("foto_error", e);
  }
  const std::string general = error_for(page.errors, "servicio", ctx, req);
  if (!general.empty()) view.set("servicio_error", general);
  view.set("has_errors", !page.errors.empty());
  view.set("attributes", attributes_view(service, in, page.errors, ctx, req));
  view.set("has_attributes", !service.attributes.empty());
  if (!page.duplicates.empty()) {
    View dups{View::type::list};
    for (const NearbyRequest& n : page.duplicates) {
      View d{View::type::object};
      d.set("folio", n.folio);
      d.set("folio_display", display_folio(n.folio));
      set_text(d, "address", n.address);
      d.set("requested", city_time(n.requested_at));
      d.set("meters", std::to_string(static_cast<long long>(n.distance_m + 0.5)));
      d.set("status", status_view(ctx, req, n.status));
      d.set("signed_in", page.signed_in);
      d.set("csrf", req.csrf_token);
      dups.push_back(d);
    }
    view.set("duplicates", dups);
    view.set("confirm", true);
  }
  return ctx.renderer->render_page(req, "reportes/nuevo", view,
                                   {.title_key = "reportes.new.title", .status = page.status});
}

const Service* find_service(const std::vector<Service>& services, std::string_view code) {
  for (const Service& s : services) {
    if (s.active && s.code == code) return &s;
  }
  return nullptr;
}

http::Response new_form(ResidentContext& ctx, http::Request& req) {
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  auto who = who_is(ctx, req);
  if (!who) return ctx.errors.error_response(req, who.error());
  auto services = ServiceStore(ctx.db).list();
  if (!services) return ctx.errors.error_response(req, services.error());
  FormPage page;
  page.signed_in = who->has_value();
  page.input.service_code = std::string(query->get_or("servicio", ""));
  if (!page.input.service_code.empty()) {
    page.service = find_service(*services, page.input.service_code);
    if (page.service == nullptr) {
      page.errors.push_back({"servicio", "reportes.error.service"});
      page.status = 404;
    }
  }
  return form_page(ctx, req, *services, page);
}

// The report's photo: a new upload in `foto` (normalised; stored and remembered in the session
// only when `store`, i.e. the rest of the form passed), else the one remembered from an earlier
// try of this form (kept only while the form says foto_guardada=1, which it does while it
// shows "your photo is kept"). A bad upload adds an error on `foto` (its media.* key is the
// message) and keeps nothing. A form refused for other fields stores no photo (issue 4: no
// blob left behind by a refused post); the resident picks it again. Errors of the blob store
// itself are returned.
Result<std::optional<StoredPhoto>> take_photo(ResidentContext& ctx, http::Request& req,
                                              const http::FormData& form,
                                              std::vector<FieldError>& errors, bool store) {
  if (ctx.blobs == nullptr) return std::optional<StoredPhoto>{};
  const http::UploadedFile* upload = nullptr;
  for (const http::UploadedFile& f : form.files()) {
    if (f.field != "foto" || upload != nullptr) {
      errors.push_back({"foto", "reportes.error.photo_extra"});
      return std::optional<StoredPhoto>{};
    }
    upload = &f;
  }
  if (upload != nullptr && !store) {
    // Checked, so that its error shows with the others, but not stored.
    auto image = media::normalise_photo(upload->data, ctx.photo_limits);
    if (!image) {
      const Error& e = image.error();
      if (e.user_key.starts_with("media.") && e.kind != ErrorKind::kInternal) {
        req.session.erase(kPendingPhotoKey);
        errors.push_back({"foto", e.user_key});
        return std::optional<StoredPhoto>{};
      }
      return fail(e);
    }
    errors.push_back({"foto", "reportes.error.photo_again"});
    return std::optional<StoredPhoto>{};
  }
  if (upload != nullptr) {
    auto stored = store_photo(*ctx.blobs, upload->data, ctx.photo_limits);
    if (!stored) {
      const Error& e = stored.error();
      if (e.user_key.starts_with("media.") && e.kind != ErrorKind::kInternal) {
        req.session.erase(kPendingPhotoKey);
        errors.push_back({"foto", e.user_key});
        return std::optional<StoredPhoto>{};
      }
      return fail(e);
    }
    req.session.set(kPendingPhotoKey, stored->photo_sha256 + ":" + stored->thumb_sha256);
    return std::optional<StoredPhoto>{std::move(*stored)};
  }
  if (form.get_or("foto_guardada", "") != "1") {
    req.session.erase(kPendingPhotoKey);
    return std::optional<StoredPhoto>{};
  }
  const auto kept = req.session.get(kPendingPhotoKey);
  if (!kept || kept->size() != 129 || (*kept)[64] != ':') return std::optional<StoredPhoto>{};
  return std::optional<StoredPhoto>{
      StoredPhoto{.photo_sha256 = kept->substr(0, 64), .thumb_sha256 = kept->substr(65)}};
}

http::Response new_submit(ResidentContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  auto who = who_is(ctx, req);
  if (!who) return ctx.errors.error_response(req, who.error());
  auto services = ServiceStore(ctx.db).list();
  if (!services) return ctx.errors.error_response(req, services.error());
  FormPage page;
  page.signed_in = who->has_value();
  page.service = find_service(*services, form->get_or("servicio", ""));
  if (page.service == nullptr) {
    page.input = read_report_input(form->fields());
    page.errors.push_back({"servicio", "reportes.error.service"});
    page.status = 400;
    return form_page(ctx, req, *services, page);
  }
  auto areas = area_names(ctx);
  if (!areas) return ctx.errors.error_response(req, areas.error());
  const std::int64_t now = time::now_unix();
  ReportForm report = read_report_form(form->fields(), *page.service, *areas, page.signed_in, now);
  page.input = report.input;
  // The photo (optional): stored only when the rest of the form passed (a refused post leaves
  // no blob behind); a bad photo is an error on its own field either way.
  auto photo = take_photo(ctx, req, *form, report.errors, report.ok());
  if (!photo) return ctx.errors.error_response(req, photo.error());
  page.photo_kept = photo->has_value();
  if (!report.ok()) {
    page.errors = std::move(report.errors);
    page.status = 400;
    return form_page(ctx, req, *services, page);
  }
  NewServiceRequest& request = *report.request;
  ResidentRequestStore store(ctx.db);
  // Issue 4, item 5: open requests of the same service near the point are offered first; the
  // resident follows one of them or files anyway (confirmar=1).
  if (request.point && !report.input.confirmed) {
    auto nearby = store.nearby_open(page.service->code, *request.point, ctx.radius);
    if (!nearby) return ctx.errors.error_response(req, nearby.error());
    if (!nearby->empty()) {
      page.duplicates = std::move(*nearby);
      return form_page(ctx, req, *services, page);
    }
  }
  if (*who) {
    // Linked to the account; its verified contacts receive the notices.
    const identity::SignedIn& me = **who;
    request.contact.account_id = std::to_string(me.account.id);
    const identity::ResidentContact contact = identity::contact_of(me.account);
    request.contact.email = contact.email.value_or("");
    request.contact.phone = contact.phone.value_or("");
    if (auto n = check_person_name("first_name", contact.given_name); n) {
      request.contact.first_name = *n;
    }
    if (auto n = check_person_name("last_name", contact.family_name); n) {
      request.contact.last_name = *n;
    }
  }
  if (*photo) request.media_url = photo_url(ctx.base_url, (*photo)->photo_sha256);
  auto created = PhotoStore(ctx.db, ctx.blobs)
                     .file(*ctx.areas, request, *page.service, report.chosen_area, req.locale,
                           ctx.base_url, *photo);
  if (!created) {
    // PhotoStore dropped the photo's blobs (unless another request names them): the session
    // must not name them any more either.
    if (*photo) {
      req.session.erase(kPendingPhotoKey);
      page.photo_kept = false;
    }
    if (created.error().user_key == "requests.location.outside") {
      page.errors.push_back({"lat", "reportes.error.outside"});
      page.status = 400;
      return form_page(ctx, req, *services, page);
    }
    return ctx.errors.error_response(req, created.error());
  }
  req.session.erase(kPendingPhotoKey);
  req.session.set(kFlashKey, "nuevo:" + created->folio);
  return http::Response::redirect("/reportes/" + created->folio);
}

// --- One request -------------------------------------------------------------------------------

std::optional<std::string> folio_param(http::Request& req) {
  auto folio = parse_folio(req.params["folio"]);
  if (!folio) return std::nullopt;
  return folio->compact();
}

http::Response request_page(ResidentContext& ctx, http::Request& req) {
  const auto folio = folio_param(req);
  if (!folio) return ctx.errors.page(req, 404);
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  ResidentRequestStore store(ctx.db);
  auto found = store.find(*folio);
  if (!found) return ctx.errors.error_response(req, found.error());
  if (!*found) return ctx.errors.page(req, 404);
  const PublicRequest& r = **found;
  auto who = who_is(ctx, req);
  if (!who) return ctx.errors.error_response(req, who.error());
  ReporterProof proof;
  if (*who) proof.account_id = (*who)->account.id;
  proof.token = std::string(query->get_or("clave", ""));
  if (proof.token.size() > 100) proof.token.clear();
  auto reporter = store.is_reporter(*folio, proof);
  if (!reporter) return ctx.errors.error_response(req, reporter.error());
  auto names = service_names(ctx, req);
  if (!names) return ctx.errors.error_response(req, names.error());
  auto areas = area_names(ctx);
  if (!areas) return ctx.errors.error_response(req, areas.error());
  auto agency = store.agency_name(r.agency_code);
  if (!agency) return ctx.errors.error_response(req, agency.error());

  View view{View::type::object};
  view.set("csrf", req.csrf_token);
  view.set("folio", r.folio);
  view.set("folio_display", display_folio(r.folio));
  const auto s = names->find(r.service_code);
  view.set("service", s == names->end() ? r.service_code : s->second);
  view.set("service_code", r.service_code);
  const auto a = areas->find(r.area_code);
  set_text(view, "area", a == areas->end() ? std::string() : a->second);
  view.set("agency", agency->in(req.locale));
  set_text(view, "address", r.address);
  set_text(view, "description", r.description);
  view.set("is_private", r.is_private);
  if (!r.is_private && ctx.blobs != nullptr) {
    auto photo = PhotoStore(ctx.db).public_photo(r.id);
    if (!photo) return ctx.errors.error_response(req, photo.error());
    if (*photo) {
      view.set("photo_href", "/reportes/fotos/" + (*photo)->photo_sha256 + ".jpg");
      view.set("thumb_src", "/reportes/fotos/" + (*photo)->thumb_sha256 + ".jpg");
    }
  }
  if (r.point) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.5f, %.5f", r.point->lat, r.point->lon);
    view.set("point", std::string(buf));
  }
  view.set("status", status_view(ctx, req, r.status));
  set_text(view, "status_notes", r.status_notes);
  view.set("requested", city_time(r.requested_at));
  view.set("updated", city_time(r.updated_at));
  if (r.expected_at) view.set("expected", city_time(*r.expected_at));
  if (r.closed_at && is_closed(r.status)) view.set("closed", city_time(*r.closed_at));
  view.set("followers", std::to_string(r.followers));
  View updates{View::type::list};
  for (const PublicUpdate& u : r.updates) {
    View v{View::type::object};
    v.set("when", city_time(u.created_at));
    v.set("status", status_view(ctx, req, u.status));
    set_text(v, "update_text", r.is_private ? std::string() : u.description);
    updates.push_back(v);
  }
  view.set("updates", updates);
  view.set("signed_in", who->has_value());
  if (*who) {
    auto following = store.is_following(r.id, (*who)->account.id);
    if (!following) return ctx.errors.error_response(req, following.error());
    view.set("following", *following);
  }
  view.set("sign_in_href", std::string(identity::kSignInPath) +
                               "?siguiente=" + http::percent_encode("/reportes/" + r.folio));
  const std::int64_t now = time::now_unix();
  const bool in_window =
      is_closed(r.status) && r.closed_at && now - *r.closed_at <= ReopenPolicy{}.window_seconds;
  view.set("can_answer", *reporter && in_window);
  view.set("is_reporter", *reporter);
  view.set("clave", *reporter ? proof.token : std::string());
  if (auto flash = req.session.get(kFlashKey)) {
    req.session.erase(kFlashKey);
    if (*flash == "nuevo:" + r.folio) view.set("just_filed", true);
    if (*flash == "reabierto") view.set("just_reopened", true);
    if (*flash == "confirmado") view.set("just_confirmed", true);
    if (*flash == "siguiendo") view.set("just_followed", true);
    if (*flash == "dejado") view.set("just_unfollowed", true);
  }
  return ctx.renderer->render_page(
      req, "reportes/reporte", view,
      {.title = text_of(ctx, req, "reportes.request.title") + " " + display_folio(r.folio)});
}

http::Response follow(ResidentContext& ctx, http::Request& req) {
  const auto folio = folio_param(req);
  if (!folio) return ctx.errors.page(req, 404);
  auto who = who_is(ctx, req);
  if (!who) return ctx.errors.error_response(req, who.error());
  if (!*who) return identity::sign_in_redirect(req);
  auto added = ResidentRequestStore(ctx.db).follow(*folio, (*who)->account.id, time::now_unix());
  if (!added) return ctx.errors.error_response(req, added.error());
  // Following an earlier report from the duplicates page instead of filing: the photo kept
  // for the report that will not be filed goes (unless a request names it).
  if (auto kept = req.session.get(kPendingPhotoKey); kept && ctx.blobs != nullptr) {
    req.session.erase(kPendingPhotoKey);
    if (kept->size() == 129 && (*kept)[64] == ':') {
      PhotoStore(ctx.db, ctx.blobs)
          .discard_unnamed({.photo_sha256 = kept->substr(0, 64), .thumb_sha256 = kept->substr(65)});
    }
  }
  // Their notices are written in the language they follow in (migration 0016).
  if (Status s = FollowerLinks(ctx.db).remember_language(*folio, (*who)->account.id, req.locale);
      !s) {
    return ctx.errors.error_response(req, s.error());
  }
  req.session.set(kFlashKey, "siguiendo");
  return http::Response::redirect("/reportes/" + *folio);
}

// POST /reportes/{folio}/dejar-de-seguir: the page's button, signed in.
http::Response unfollow(ResidentContext& ctx, http::Request& req) {
  const auto folio = folio_param(req);
  if (!folio) return ctx.errors.page(req, 404);
  auto who = who_is(ctx, req);
  if (!who) return ctx.errors.error_response(req, who.error());
  if (!*who) return identity::sign_in_redirect(req);
  auto removed = FollowerLinks(ctx.db).unfollow(*folio, (*who)->account.id);
  if (!removed) return ctx.errors.error_response(req, removed.error());
  req.session.set(kFlashKey, "dejado");
  return http::Response::redirect("/reportes/" + *folio);
}

// GET /reportes/dejar-de-seguir?codigo=T: the link in a follower's messages. A GET changes
// nothing (mail scanners open links): it shows which report and a button that POSTs.
// POST (codigo): stops the follow; the link then is spent. Neither needs a sign-in.
http::Response stop_page(ResidentContext& ctx, http::Request& req) {
  std::string token;
  if (req.method == http::Method::kPost) {
    const auto& form = req.form();
    if (!form) return ctx.errors.error_response(req, form.error());
    token = std::string(form->get_or("codigo", ""));
  } else {
    const auto& q = req.query();
    if (!q) return ctx.errors.error_response(req, q.error());
    token = std::string(q->get_or("codigo", ""));
  }
  FollowerLinks links(ctx.db);
  auto found = links.find(token);
  if (!found) return ctx.errors.error_response(req, found.error());
  View view{View::type::object};
  view.set("csrf", req.csrf_token);
  int status = 200;
  if (!*found) {
    view.set("unknown", true);
    status = FollowerLinks::is_well_formed(token) ? 404 : 400;
  } else {
    const FollowedByToken& f = **found;
    view.set("folio", f.folio);
    view.set("folio_display", display_folio(f.folio));
    view.set("service",
             req.locale.starts_with("en") && !f.service_en.empty() ? f.service_en : f.service_es);
    if (req.method == http::Method::kPost) {
      auto stopped = links.stop(token);
      if (!stopped) return ctx.errors.error_response(req, stopped.error());
      view.set("stopped", true);
    } else {
      view.set("codigo", token);
    }
  }
  return ctx.renderer->render_page(req, "reportes/dejar", view,
                                   {.title_key = "reportes.stop.title", .status = status});
}

http::Response answer(ResidentContext& ctx, http::Request& req, bool reopen) {
  const auto folio = folio_param(req);
  if (!folio) return ctx.errors.page(req, 404);
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  auto who = who_is(ctx, req);
  if (!who) return ctx.errors.error_response(req, who.error());
  ReporterProof proof;
  if (*who) proof.account_id = (*who)->account.id;
  proof.token = std::string(form->get_or("clave", ""));
  if (proof.token.size() > 100) proof.token.clear();
  std::string note;
  if (const std::string_view typed = text::trim_space(form->get_or("nota", "")); !typed.empty()) {
    auto checked = check_free_text("nota", typed, kNoteMaxChars);
    if (!checked) {
      return ctx.errors.error_response(req, Error::invalid("reportes.error.note", "bad note"));
    }
    note = *checked;
  }
  if (note.empty()) {
    // Updates are public and read by everybody: the city's language.
    note = std::string(ctx.renderer->text(
        ctx.renderer->default_locale(),
        reopen ? "reportes.answer.reopened_note" : "reportes.answer.confirmed_note"));
  }
  const Status done = ResidentRequestStore(ctx.db).answer_closure(*folio, proof, reopen, note,
                                                                  time::now_unix(), ctx.base_url);
  if (!done) {
    const Error& e = done.error();
    if (e.kind == ErrorKind::kNotFound) return ctx.errors.page(req, 404);
    if (e.kind == ErrorKind::kForbidden) {
      return ctx.errors.error_response(req, Error::forbidden("not the reporter"));
    }
    if (e.kind == ErrorKind::kConflict) {
      return ctx.errors.error_response(req,
                                       Error::conflict("reportes.error.answer_refused", e.detail));
    }
    return ctx.errors.error_response(req, e);
  }
  req.session.set(kFlashKey, reopen ? "reabierto" : "confirmado");
  std::string back = "/reportes/" + *folio;
  if (!proof.token.empty() && !proof.account_id)
    back += "?clave=" + http::percent_encode(proof.token);
  return http::Response::redirect(back);
}

// --- Photos ----------------------------------------------------------------------------------

// Serves a blob only when it is the photo or thumbnail of a request that is not private, so
// this route is never an open file server over the blob store. Blobs never change under their
// name, hence the year-long immutable caching.
http::Response photo_file(ResidentContext& ctx, http::Request& req) {
  const std::string sha = photo_name_sha(req.params["name"]);
  if (sha.empty() || ctx.blobs == nullptr) return ctx.errors.page(req, 404);
  auto allowed = PhotoStore(ctx.db).is_public(sha);
  if (!allowed) return ctx.errors.error_response(req, allowed.error());
  if (!*allowed) return ctx.errors.page(req, 404);
  auto bytes = ctx.blobs->get(sha);
  if (!bytes) return ctx.errors.error_response(req, bytes.error());
  if (!*bytes) {
    log::error("reportes.photo_missing", {{"sha256", sha}});
    return ctx.errors.page(req, 404);
  }
  http::Response res = http::Response::with_type("image/jpeg", std::move(**bytes));
  res.compressible = false;  // JPEG is compressed already
  res.headers.set("Cache-Control", "public, max-age=31536000, immutable");
  res.headers.set("X-Content-Type-Options", "nosniff");
  return res;
}

// --- Lists -----------------------------------------------------------------------------------

http::Response mine_page(ResidentContext& ctx, http::Request& req) {
  auto who = who_is(ctx, req);
  if (!who) return ctx.errors.error_response(req, who.error());
  if (!*who) return identity::sign_in_redirect(req);
  auto mine = ResidentRequestStore(ctx.db).mine((*who)->account.id);
  if (!mine) return ctx.errors.error_response(req, mine.error());
  auto names = service_names(ctx, req);
  if (!names) return ctx.errors.error_response(req, names.error());
  auto areas = area_names(ctx);
  if (!areas) return ctx.errors.error_response(req, areas.error());
  View view{View::type::object};
  view.set("reported", summary_list(ctx, req, mine->reported, *names, *areas));
  view.set("has_reported", !mine->reported.empty());
  view.set("followed", summary_list(ctx, req, mine->followed, *names, *areas));
  view.set("has_followed", !mine->followed.empty());
  return ctx.renderer->render_page(req, "reportes/mios", view,
                                   {.title_key = "reportes.mine.title"});
}

std::optional<int> page_number(std::string_view text) {
  if (text.empty()) return 1;
  int n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > kPublicPageMax) {
    return std::nullopt;
  }
  return n;
}

http::Response list_page(ResidentContext& ctx, http::Request& req) {
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  auto services = ServiceStore(ctx.db).list(true);
  if (!services) return ctx.errors.error_response(req, services.error());
  auto areas = area_names(ctx);
  if (!areas) return ctx.errors.error_response(req, areas.error());
  PublicListFilter filter;
  filter.service_code = std::string(query->get_or("servicio", ""));
  filter.area_code = std::string(query->get_or("alcaldia", ""));
  const std::string status_name(query->get_or("estado", ""));
  const auto page = page_number(query->get_or("pagina", ""));
  bool known_service = filter.service_code.empty();
  for (const Service& s : *services) known_service = known_service || s.code == filter.service_code;
  const bool known_area = filter.area_code.empty() || areas->contains(filter.area_code);
  std::optional<RequestStatus> status;
  if (!status_name.empty()) {
    auto parsed = parse_status(status_name);
    if (parsed) status = *parsed;
  }
  if (!known_service || !known_area || (!status_name.empty() && !status) || !page) {
    return ctx.errors.error_response(
        req, Error::invalid("reportes.error.filter", "unknown filter value in /reportes"));
  }
  filter.status = status;
  filter.page = *page;
  auto result = ResidentRequestStore(ctx.db).list(filter);
  if (!result) return ctx.errors.error_response(req, result.error());
  std::map<std::string, std::string> names;
  for (const Service& s : *services) names.emplace(s.code, s.name.in(req.locale));

  View view{View::type::object};
  view.set("groups", services_view(req, *services, filter.service_code));
  View area_list{View::type::list};
  for (const auto& [code, name] : *areas) {
    View a{View::type::object};
    a.set("code", code);
    a.set("name", name);
    a.set("selected", code == filter.area_code);
    area_list.push_back(a);
  }
  view.set("areas", area_list);
  View statuses{View::type::list};
  for (RequestStatus st :
       {RequestStatus::kOpen, RequestStatus::kAcknowledged, RequestStatus::kInProgress,
        RequestStatus::kActionScheduled, RequestStatus::kFixed, RequestStatus::kClosedNotFixed,
        RequestStatus::kDuplicate, RequestStatus::kNotOurs, RequestStatus::kReopened}) {
    View v = status_view(ctx, req, st);
    v.set("selected", status && *status == st);
    statuses.push_back(v);
  }
  view.set("statuses", statuses);
  view.set("rows", summary_list(ctx, req, result->rows, names, *areas));
  view.set("empty", result->rows.empty());
  const auto link = [&](int p) {
    std::string href = "/reportes?pagina=" + std::to_string(p);
    if (!filter.service_code.empty())
      href += "&servicio=" + http::percent_encode(filter.service_code);
    if (!filter.area_code.empty()) href += "&alcaldia=" + http::percent_encode(filter.area_code);
    if (!status_name.empty()) href += "&estado=" + http::percent_encode(status_name);
    return href;
  };
  if (filter.page > 1) view.set("prev_href", link(filter.page - 1));
  if (result->has_more) view.set("next_href", link(filter.page + 1));
  view.set("page", std::to_string(filter.page));
  return ctx.renderer->render_page(req, "reportes/lista", view,
                                   {.title_key = "reportes.list.title"});
}

}  // namespace

Status register_resident_routes(http::Router& router, db::Database& db,
                                const web::ErrorPages& errors, ResidentRoutesOptions options) {
  auto ctx = std::make_shared<ResidentContext>(ResidentContext{db, errors, options.base_url});
  ctx->radius = clamp_duplicate_radius(options.duplicate_radius_meters);
  ctx->renderer = options.renderer;
  if (ctx->renderer == nullptr) {
    auto loaded = web::Renderer::load();
    if (!loaded) return fail(loaded.error());
    ctx->owned_renderer = std::move(*loaded);
    ctx->renderer = ctx->owned_renderer.get();
  }
  ctx->areas = std::make_unique<AreaLocator>(db);
  ctx->blobs = options.blobs;
  ctx->photo_limits = options.photo_limits;
  while (ctx->base_url.ends_with('/')) ctx->base_url.pop_back();

  using Handler = http::Response (*)(ResidentContext&, http::Request&);
  auto bind = [ctx](Handler handler) {
    return [ctx, handler](http::Request& req) { return handler(*ctx, req); };
  };
  http::RouteOptions post;
  post.max_body_bytes = kMaxFormBytes;
  router.get("/reportes", bind(list_page));
  router.get("/reportes/nuevo", bind(new_form));
  // Normalising the photo is CPU-heavy: it stays on the worker pool (not run_inline).
  http::RouteOptions photo_post;
  photo_post.max_body_bytes = kMaxPhotoFormBytes;
  router.post("/reportes/nuevo", bind(new_submit), photo_post);
  router.get("/reportes/fotos/{name}", bind(photo_file));
  router.get("/reportes/mios", bind(mine_page));
  router.get("/reportes/{folio}", bind(request_page));
  router.post("/reportes/{folio}/seguir", bind(follow), post);
  router.post("/reportes/{folio}/dejar-de-seguir", bind(unfollow), post);
  router.get("/reportes/dejar-de-seguir", bind(stop_page));
  router.post("/reportes/dejar-de-seguir", bind(stop_page), post);
  router.post(
      "/reportes/{folio}/confirmar", [ctx](http::Request& req) { return answer(*ctx, req, false); },
      post);
  router.post(
      "/reportes/{folio}/reabrir", [ctx](http::Request& req) { return answer(*ctx, req, true); },
      post);
  return {};
}

}  // namespace zocalo::requests
