// The agencies' inbox (issue 4, item 6): GET /atencion lists the requests of the staff
// member's agencies (all of them for admins), GET /atencion/{folio} shows one with everything
// staff may see, and its forms change status, add notes, assign, merge and reroute.
#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "platform/core/log.hpp"
#include "platform/core/text.hpp"
#include "platform/core/time.hpp"
#include "platform/http/errors.hpp"
#include "platform/http/form.hpp"
#include "requests/model/folio.hpp"
#include "requests/model/request_intake.hpp"
#include "requests/routes/staff_context.hpp"
#include "requests/routes/staff_views.hpp"
#include "requests/store/assignment_store.hpp"
#include "requests/store/inbox_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

constexpr const char* kFlashKey = "atencion.flash";
constexpr std::size_t kNoteMaxChars = 2'000;

using View = web::View;

const std::vector<RequestStatus>& all_statuses() {
  static const std::vector<RequestStatus> kAll = {
      RequestStatus::kOpen,       RequestStatus::kAcknowledged,
      RequestStatus::kInProgress, RequestStatus::kActionScheduled,
      RequestStatus::kReopened,   RequestStatus::kNotOurs,
      RequestStatus::kFixed,      RequestStatus::kClosedNotFixed,
      RequestStatus::kDuplicate};
  return kAll;
}

// The agency codes a staff member works for (admins: every agency).
struct Scope {
  bool all = false;
  std::vector<std::string> codes;
  std::unordered_map<std::string, long long> ids;  // code → id, every agency
};

Result<Scope> scope_of(const StaffContext& ctx, const identity::StaffRoles& roles) {
  auto agencies = InboxStore(ctx.db).agencies();
  if (!agencies) return fail(agencies.error());
  Scope scope;
  scope.all = roles.is_admin();
  for (const AgencyRef& a : *agencies) {
    scope.ids[a.code] = a.id;
    if (!scope.all && roles.works_for(a.id)) scope.codes.push_back(a.code);
  }
  return scope;
}

// Mustache renders a section for any string, even an empty one: set optional text only when
// there is some.
void set_text(web::View& view, const std::string& key, const std::string& value) {
  if (!value.empty()) view.set(key, value);
}

std::string agency_name(const AgencyRef& a, std::string_view locale) {
  return locale.starts_with("en") && !a.name_en.empty() ? a.name_en : a.name_es;
}

// ---------------------------------------------------------------- GET /atencion

struct InboxFilters {
  InboxQuery query;
  std::string estado, servicio, alcaldia, orden;
  bool vencidas = false;
};

Result<InboxFilters> read_filters(const http::Request& req) {
  const auto& q = req.query();
  if (!q) return fail(q.error());
  InboxFilters f;
  const auto bad = [](const char* what) {
    return fail(Error::invalid("atencion.filter.invalid", std::string("filter ") + what));
  };
  f.estado = std::string(q->get_or("estado", ""));
  if (f.estado.empty() || f.estado == "abiertas") {
    f.query.open_only = true;
  } else if (f.estado != "todas") {
    auto s = parse_status(f.estado);
    if (!s) return bad("estado");
    f.query.status = *s;
  }
  f.servicio = std::string(q->get_or("servicio", ""));
  if (!f.servicio.empty() && !is_valid_service_code(f.servicio)) return bad("servicio");
  f.query.service_code = f.servicio;
  f.alcaldia = std::string(q->get_or("alcaldia", ""));
  if (f.alcaldia.size() > 32 || !text::is_printable_ascii(f.alcaldia)) return bad("alcaldia");
  f.query.area_code = f.alcaldia;
  const std::string_view vencidas = q->get_or("vencidas", "");
  if (vencidas != "" && vencidas != "1") return bad("vencidas");
  f.vencidas = f.query.overdue = vencidas == "1";
  f.orden = std::string(q->get_or("orden", "antiguedad"));
  if (f.orden == "vencimiento") {
    f.query.sort = InboxSort::kDue;
  } else if (f.orden != "antiguedad") {
    return bad("orden");
  }
  const std::string_view page = q->get_or("pagina", "1");
  const auto n = parse_id(page);
  if (!n || *n > kInboxMaxPage) return bad("pagina");
  f.query.page = static_cast<int>(*n);
  return f;
}

std::string inbox_link(const InboxFilters& f, int page) {
  std::string out =
      "/atencion?estado=" + http::percent_encode(f.estado.empty() ? "abiertas" : f.estado);
  if (!f.servicio.empty()) out += "&servicio=" + http::percent_encode(f.servicio);
  if (!f.alcaldia.empty()) out += "&alcaldia=" + http::percent_encode(f.alcaldia);
  if (f.vencidas) out += "&vencidas=1";
  out += "&orden=" + f.orden + "&pagina=" + std::to_string(page);
  return out;
}

http::Response inbox(const StaffContext& ctx, http::Request& req) {
  auto access = staff_access(ctx, req, StaffPage::kInbox);
  if (auto* answer = std::get_if<http::Response>(&access)) return std::move(*answer);
  const auto& who = std::get<identity::SignedIn>(access);
  auto filters = read_filters(req);
  if (!filters) return ctx.errors.error_response(req, filters.error());
  auto scope = scope_of(ctx, who.roles);
  if (!scope) return ctx.errors.error_response(req, scope.error());
  InboxFilters& f = *filters;
  f.query.all_agencies = scope->all;
  f.query.agency_codes = scope->codes;
  f.query.now = time::now_unix();
  auto page = InboxStore(ctx.db).list(f.query);
  if (!page) return ctx.errors.error_response(req, page.error());
  auto services = ServiceStore(ctx.db).list(true);
  if (!services) return ctx.errors.error_response(req, services.error());
  auto areas = InboxStore(ctx.db).areas();
  if (!areas) return ctx.errors.error_response(req, areas.error());

  const std::string& locale = req.locale;
  View view{View::type::object};
  View counts{View::type::list};
  for (const RequestStatus s : all_statuses()) {
    View c{View::type::object};
    const std::string name(to_string(s));
    c.set("label", std::string(ctx.renderer.text(locale, status_label_key(s))));
    const auto it = page->counts.find(s);
    c.set("count", std::to_string(it == page->counts.end() ? 0 : it->second));
    c.set("href", "/atencion?estado=" + name);
    if (f.query.status == s) c.set("current", true);
    counts.push_back(c);
  }
  view.set("counts", counts);
  view.set("overdue_count", std::to_string(page->overdue));

  View status_options{View::type::list};
  for (const auto& [value, key] : std::vector<std::pair<std::string, std::string>>{
           {"abiertas", "atencion.filter.open"}, {"todas", "atencion.filter.all"}}) {
    View o{View::type::object};
    o.set("value", value);
    o.set("label", std::string(ctx.renderer.text(locale, key)));
    if ((f.estado.empty() ? "abiertas" : f.estado) == value) o.set("selected", true);
    status_options.push_back(o);
  }
  for (const RequestStatus s : all_statuses()) {
    View o{View::type::object};
    o.set("value", std::string(to_string(s)));
    o.set("label", std::string(ctx.renderer.text(locale, status_label_key(s))));
    if (f.estado == to_string(s)) o.set("selected", true);
    status_options.push_back(o);
  }
  view.set("status_options", status_options);
  View service_options{View::type::list};
  std::unordered_map<std::string, std::string> service_names;
  for (const Service& s : *services) {
    View o{View::type::object};
    o.set("value", s.code);
    o.set("label", s.name.in(locale));
    if (f.servicio == s.code) o.set("selected", true);
    service_options.push_back(o);
  }
  view.set("service_options", service_options);
  View area_options{View::type::list};
  for (const AreaRef& a : *areas) {
    View o{View::type::object};
    o.set("value", a.code);
    o.set("label", a.name);
    if (f.alcaldia == a.code) o.set("selected", true);
    area_options.push_back(o);
  }
  view.set("area_options", area_options);
  if (f.vencidas) view.set("overdue_checked", true);
  if (f.query.sort == InboxSort::kDue) view.set("sort_due", true);

  View rows{View::type::list};
  for (const InboxRow& r : page->rows) {
    View row{View::type::object};
    row.set("folio", r.folio);
    auto folio = parse_folio(r.folio);
    row.set("folio_display", folio ? folio->display() : r.folio);
    row.set("status", std::string(ctx.renderer.text(locale, status_label_key(r.status))));
    row.set("service",
            locale.starts_with("en") && !r.service_en.empty() ? r.service_en : r.service_es);
    row.set("area", r.area_name.empty() ? r.address : r.area_name);
    row.set("requested", format_local(r.requested_at));
    if (r.expected_at) row.set("due", format_local(*r.expected_at));
    if (r.overdue) row.set("overdue", true);
    if (r.assignee_account_id) row.set("assigned", true);
    if (r.status == RequestStatus::kReopened) row.set("reopened", true);
    if (scope->all) row.set("agency", r.agency_code);
    rows.push_back(row);
  }
  view.set("rows", rows);
  view.set("total", std::to_string(page->total));
  if (rows.is_empty_list()) view.set("none", true);
  const long long pages = (page->total + f.query.page_size - 1) / f.query.page_size;
  if (f.query.page > 1) view.set("prev", inbox_link(f, f.query.page - 1));
  if (f.query.page < pages) view.set("next", inbox_link(f, f.query.page + 1));
  view.set("page", std::to_string(f.query.page));
  view.set("pages", std::to_string(std::max<long long>(pages, 1)));
  if (!scope->all && scope->codes.empty()) view.set("no_agency", true);
  return ctx.renderer.render_page(req, "atencion/inbox", view,
                                  {.title_key = "atencion.inbox.title"});
}

// ---------------------------------------------------------------- GET /atencion/{folio}

struct Loaded {
  identity::SignedIn who;
  StaffRequest request;
  Scope scope;
};

// The signed-in staff member and the request, when they may see it; else the answer.
std::variant<Loaded, http::Response> load(const StaffContext& ctx, http::Request& req) {
  auto access = staff_access(ctx, req, StaffPage::kInbox);
  if (auto* answer = std::get_if<http::Response>(&access)) return std::move(*answer);
  Loaded out{std::move(std::get<identity::SignedIn>(access)), {}, {}};
  const auto folio = folio_from_path(req.params["folio"]);
  if (!folio) return ctx.errors.page(req, 404);
  auto found = InboxStore(ctx.db).find(*folio);
  if (!found) return ctx.errors.error_response(req, found.error());
  if (!*found) return ctx.errors.page(req, 404);
  // Agency scoping: staff of agency A neither see nor change agency B's requests.
  if (!out.who.roles.works_for((*found)->agency_id)) return ctx.errors.page(req, 403);
  auto scope = scope_of(ctx, out.who.roles);
  if (!scope) return ctx.errors.error_response(req, scope.error());
  out.request = std::move(**found);
  out.scope = std::move(*scope);
  return out;
}

std::string person_name(const identity::ResidentContact& c) {
  std::string name = c.given_name;
  if (!c.family_name.empty()) name += (name.empty() ? "" : " ") + c.family_name;
  return name.empty() ? "#" + std::to_string(c.account_id) : name;
}
std::string person_name(const identity::Account& a) {
  return person_name(
      {.account_id = a.id, .given_name = a.given_name, .family_name = a.family_name});
}

// attributes_json: [{"code": "...", "values": ["..."]}] (request_intake.hpp).
View attributes_view(const std::string& json) {
  View out{View::type::list};
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(json, ec);
  if (ec || !parsed.is_array()) return out;
  for (const auto& item : parsed.as_array()) {
    if (!item.is_object()) continue;
    const auto& obj = item.as_object();
    const auto* code = obj.if_contains("code");
    const auto* values = obj.if_contains("values");
    if (!code || !code->is_string() || !values || !values->is_array()) continue;
    std::string joined;
    for (const auto& v : values->as_array()) {
      if (!v.is_string()) continue;
      if (!joined.empty()) joined += ", ";
      joined += std::string(v.as_string());
    }
    View a{View::type::object};
    a.set("code", std::string(code->as_string()));
    a.set("values", joined);
    out.push_back(a);
  }
  return out;
}

http::Response detail_page(const StaffContext& ctx, http::Request& req, const Loaded& l,
                           const Error* error, int status) {
  const std::string& locale = req.locale;
  const StaffRequest& r = l.request;
  View view{View::type::object};
  view.set("csrf", req.csrf_token);
  view.set("folio", r.folio);
  auto folio = parse_folio(r.folio);
  view.set("folio_display", folio ? folio->display() : r.folio);
  view.set("status", std::string(ctx.renderer.text(locale, status_label_key(r.status))));
  set_text(view, "status_notes", r.status_notes);
  view.set("service",
           locale.starts_with("en") && !r.service_en.empty() ? r.service_en : r.service_es);
  view.set("agency", locale.starts_with("en") && !r.agency_en.empty() ? r.agency_en : r.agency_es);
  set_text(view, "area", r.area_name);
  set_text(view, "address", r.address_string);
  if (r.lat && r.lon) {
    char point[64];
    std::snprintf(point, sizeof point, "%.6f, %.6f", *r.lat, *r.lon);
    view.set("point", std::string(point));
  }
  view.set("description", r.description);
  view.set("channel", r.channel);
  view.set("requested", format_local(r.requested_at));
  view.set("updated", format_local(r.updated_at));
  const std::int64_t now = time::now_unix();
  if (r.expected_at) {
    view.set("due", format_local(*r.expected_at));
    if (!is_closed(r.status) && *r.expected_at < now) view.set("overdue", true);
  }
  if (r.closed_at) view.set("closed", format_local(*r.closed_at));
  if (!r.parent_folio.empty()) view.set("parent", r.parent_folio);
  if (r.is_private) view.set("private", true);
  View attributes = attributes_view(r.attributes_json);
  if (!attributes.is_empty_list()) view.set("has_attributes", true);
  view.set("attributes", attributes);
  // The reporter (personal data: staff only).
  View reporter{View::type::object};
  std::string name = r.first_name;
  if (!r.last_name.empty()) name += (name.empty() ? "" : " ") + r.last_name;
  set_text(reporter, "name", name);
  set_text(reporter, "email", r.email);
  set_text(reporter, "phone", r.phone);
  if (const auto account = parse_id(r.account_id)) {
    auto resident = identity::find_resident(
        req, ctx.db, {.staff_account_id = l.who.account.id, .purpose = "311.request_reporter"},
        *account);
    if (!resident) return ctx.errors.error_response(req, resident.error());
    if (*resident) {
      reporter.set("account", person_name(**resident));
      if ((*resident)->email) reporter.set("account_email", *(*resident)->email);
      if ((*resident)->phone) reporter.set("account_phone", *(*resident)->phone);
    }
  }
  view.set("reporter", reporter);
  // Whom it can be handed to: me, nobody, or a colleague of the request's agency; the assignee
  // is named from the same list (a colleague, not a resident served: nothing to record).
  View colleagues{View::type::list};
  std::string assignee;
  if (r.assignee_account_id) assignee = "#" + std::to_string(*r.assignee_account_id);
  if (r.assignee_account_id == l.who.account.id) assignee = person_name(l.who.account);
  if (auto staff = identity::find_agency_staff(ctx.db, r.agency_code)) {
    for (const auto& m : *staff) {
      if (r.assignee_account_id == m.account_id) assignee = m.display_name;
      if (m.account_id == l.who.account.id) continue;  // that is "me"
      View o{View::type::object};
      o.set("value", std::to_string(m.account_id));
      o.set("label", m.display_name);
      if (r.assignee_account_id == m.account_id) o.set("selected", true);
      colleagues.push_back(o);
    }
  } else {
    log::warn("atencion.staff_unavailable", {{"detail", staff.error().detail}});
  }
  view.set("colleagues", colleagues);
  if (!assignee.empty()) view.set("assignee", assignee);
  View updates{View::type::list};
  for (const StaffUpdate& u : r.updates) {
    View v{View::type::object};
    v.set("when", format_local(u.created_at));
    v.set("status", std::string(ctx.renderer.text(locale, status_label_key(u.status))));
    // Not "description": an update without one would show the request's (mustache looks up
    // missing names in the enclosing context).
    set_text(v, "note", u.description);
    v.set("actor", u.actor);
    if (!u.is_public) v.set("internal", true);
    updates.push_back(v);
  }
  view.set("updates", updates);
  View next{View::type::list};
  for (const RequestStatus s : next_statuses(r.status, StatusActor::kStaff)) {
    if (s == RequestStatus::kDuplicate) continue;  // the merge form, with its parent
    View o{View::type::object};
    o.set("value", std::string(to_string(s)));
    o.set("label", std::string(ctx.renderer.text(locale, status_label_key(s))));
    next.push_back(o);
  }
  if (!next.is_empty_list()) view.set("has_next", true);
  view.set("next_statuses", next);
  const auto nexts = next_statuses(r.status, StatusActor::kStaff);
  if (std::find(nexts.begin(), nexts.end(), RequestStatus::kDuplicate) != nexts.end()) {
    view.set("can_merge", true);
  }
  if (l.scope.all && (r.status == RequestStatus::kNotOurs || !is_closed(r.status))) {
    auto agencies = InboxStore(ctx.db).agencies();
    if (agencies) {
      View options{View::type::list};
      for (const AgencyRef& a : *agencies) {
        if (a.code == r.agency_code) continue;
        View o{View::type::object};
        o.set("value", a.code);
        o.set("label", agency_name(a, locale));
        options.push_back(o);
      }
      if (!options.is_empty_list()) view.set("has_agencies", true);
      view.set("agencies", options);
    }
  }
  if (error) {
    // The model's refusals (requests.status.*) read in this page's words.
    std::string key = error->user_key;
    if (key.starts_with("requests.status.")) key = "atencion.refused." + key.substr(16);
    view.set("error", std::string(ctx.renderer.text(locale, key)));
  } else if (auto flash = req.session.get(kFlashKey)) {
    req.session.erase(kFlashKey);
    view.set("done", std::string(ctx.renderer.text(locale, "atencion.done." + *flash)));
  }
  return ctx.renderer.render_page(
      req, "atencion/detail", view,
      {.title = std::string(ctx.renderer.text(locale, "atencion.detail.title")) + " " +
                (folio ? folio->display() : r.folio),
       .status = status});
}

http::Response detail(const StaffContext& ctx, http::Request& req) {
  auto loaded = load(ctx, req);
  if (auto* answer = std::get_if<http::Response>(&loaded)) return std::move(*answer);
  return detail_page(ctx, req, std::get<Loaded>(loaded), nullptr, 200);
}

// ---------------------------------------------------------------- POST /atencion/{folio}/...

// A note as typed: printable text, line breaks kept, at most kNoteMaxChars; empty allowed.
Result<std::string> read_note(const http::FormData& form, std::string_view field) {
  const std::string_view raw = form.get_or(field, "");
  if (raw.empty()) return std::string();
  auto note = check_free_text(field, raw, kNoteMaxChars);
  if (!note) return fail(Error::invalid("atencion.note.invalid", note.error().detail));
  return *note;
}

enum class Action { kStatus, kNote, kAssign, kMerge, kReroute };

Status perform(const StaffContext& ctx, http::Request& req, Loaded& l, Action action,
               const http::FormData& form, std::string& flash) {
  StaffAction a{l.request.folio, l.request.agency_code, l.who.account.id, time::now_unix()};
  AssignmentStore store(ctx.db, ctx.base_url);
  switch (action) {
    case Action::kStatus: {
      auto to = parse_status(form.get_or("estado", ""));
      if (!to) return fail(Error::invalid("atencion.status.invalid", "estado"));
      auto note = read_note(form, "nota");
      if (!note) return fail(note.error());
      flash = "status";
      return store.change_status(a, *to, *note);
    }
    case Action::kNote: {
      auto note = read_note(form, "nota");
      if (!note) return fail(note.error());
      flash = "note";
      return store.add_internal_note(a, *note);
    }
    case Action::kAssign: {
      const std::string_view whom = form.get_or("a", "");
      std::optional<long long> assignee;
      std::string label;
      if (whom == "yo") {
        assignee = l.who.account.id;
        label = std::string(ctx.renderer.text(req.locale, "atencion.assign.note")) + " " +
                person_name(l.who.account);
      } else if (whom == "nadie") {
        label = std::string(ctx.renderer.text(req.locale, "atencion.assign.cleared"));
      } else if (const auto id = parse_id(whom)) {
        // A colleague: only somebody holding the agency-staff role for the request's own
        // agency (identity decides who that is), never any account whose id was typed.
        auto staff = identity::find_agency_staff(ctx.db, l.request.agency_code);
        if (!staff) return fail(staff.error());
        for (const auto& m : *staff) {
          if (m.account_id != *id) continue;
          assignee = m.account_id;
          label = std::string(ctx.renderer.text(req.locale, "atencion.assign.note")) + " " +
                  m.display_name;
        }
        if (!assignee) return fail(Error::invalid("atencion.assign.not_colleague", "a"));
      } else {
        return fail(Error::invalid("atencion.assign.unknown", "a"));
      }
      flash = "assign";
      return store.assign(a, assignee, label);
    }
    case Action::kMerge: {
      const auto parent = folio_from_path(form.get_or("padre", ""));
      if (!parent) return fail(Error::invalid("atencion.merge.parent_unknown", "padre"));
      auto note = read_note(form, "nota");
      if (!note) return fail(note.error());
      flash = "merge";
      return store.merge_into(a, *parent, *note);
    }
    case Action::kReroute: {
      if (!l.scope.all) return fail(Error::forbidden("reroute is for admins"));
      const std::string code(form.get_or("dependencia", ""));
      if (code.empty() || code.size() > 64 || !l.scope.ids.contains(code)) {
        return fail(Error::invalid("atencion.reroute.unknown", "dependencia"));
      }
      auto note = read_note(form, "nota");
      if (!note) return fail(note.error());
      flash = "reroute";
      return store.reroute(a, code, *note);
    }
  }
  return fail(Error::internal("unknown staff action"));
}

http::Response act(const StaffContext& ctx, http::Request& req, Action action) {
  auto loaded = load(ctx, req);
  if (auto* answer = std::get_if<http::Response>(&loaded)) return std::move(*answer);
  Loaded& l = std::get<Loaded>(loaded);
  const auto& form = req.form();
  if (!form) return ctx.errors.error_response(req, form.error());
  std::string flash;
  const Status done = perform(ctx, req, l, action, *form, flash);
  if (!done) {
    const Error& e = done.error();
    if (e.kind == ErrorKind::kInternal || e.kind == ErrorKind::kUnavailable) {
      return ctx.errors.error_response(req, e);
    }
    if (e.kind == ErrorKind::kForbidden) return ctx.errors.page(req, 403);
    log::info("atencion.action_refused",
              {{"request_id", req.request_id}, {"folio", l.request.folio}, {"detail", e.detail}});
    // The page again, as it is now, with the reason.
    return detail_page(ctx, req, l, &e, http::status_for(e.kind));
  }
  log::info("atencion.action", {{"request_id", req.request_id},
                                {"folio", l.request.folio},
                                {"action", flash},
                                {"staff", std::to_string(l.who.account.id)}});
  req.session.set(kFlashKey, flash);
  return http::Response::redirect("/atencion/" + l.request.folio);
}

}  // namespace

void register_staff_routes(http::Router& router, std::shared_ptr<const StaffContext> ctx) {
  router.get("/atencion", [ctx](http::Request& req) { return inbox(*ctx, req); });
  router.get("/atencion/{folio}", [ctx](http::Request& req) { return detail(*ctx, req); });
  const auto post = [&router, ctx](const std::string& path, Action action) {
    router.post("/atencion/{folio}/" + path,
                [ctx, action](http::Request& req) { return act(*ctx, req, action); });
  };
  post("estado", Action::kStatus);
  post("nota", Action::kNote);
  post("asignar", Action::kAssign);
  post("duplicado", Action::kMerge);
  post("reencauzar", Action::kReroute);
}

}  // namespace zocalo::requests
