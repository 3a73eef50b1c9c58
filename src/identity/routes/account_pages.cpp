// Mi Llave, the resident's own pages (issue 3 item 6): the profile with its edit form, the
// signed-in devices with "sign out there / everywhere else", and the activity log. Security
// (/mi-llave/seguridad) and connected services (/mi-llave/servicios) are other groups' pages;
// this one links to them.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "identity/model/curp.hpp"
#include "identity/resident.hpp"
#include "identity/routes/identity_context.hpp"
#include "identity/routes/mi_llave_views.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/login_session_store.hpp"
#include "platform/core/text.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::identity {
namespace {

using Ctx = std::shared_ptr<const IdentityContext>;

constexpr const char* kFlashKey = "mi_llave.flash";
constexpr std::size_t kMaxFieldBytes = 200;
constexpr int kActivityPage = 25;

// --- the profile's form ----------------------------------------------------------------------

// What the form carries, trimmed; also what the page shows back after a refused post.
struct ProfileForm {
  std::string given_name, family_name, birth_date;
  std::string street, colonia, municipality, postal_code, state;
};

std::string field(const http::FormData& form, std::string_view name) {
  return std::string(text::trim_space(form.get_or(std::string(name), "")));
}

// The stored OIDC address (Core §5.1.1) back into the form's fields: street_address holds the
// street on its first line and the colonia on its second, locality the alcaldía or municipio,
// region the state.
void read_address(const std::optional<std::string>& address, ProfileForm& out) {
  if (!address) return;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(*address, ec);
  if (ec || !v.is_object()) return;
  const auto& o = v.as_object();
  auto get = [&](std::string_view key) -> std::string {
    const auto* m = o.if_contains(key);
    return m && m->is_string() ? std::string(m->as_string()) : std::string();
  };
  // Sign-up takes the address as one free-text box and stores only "formatted": its first
  // line becomes the street, the rest the colonia, for the resident to tidy up here.
  std::string street = get("street_address");
  if (street.empty()) street = get("formatted");
  const auto nl = street.find('\n');
  out.street = street.substr(0, nl);
  if (nl != std::string::npos) {
    for (char c : street.substr(nl + 1)) {
      if (c == '\r') continue;
      out.colonia += c == '\n' ? ' ' : c;
    }
  }
  out.municipality = get("locality");
  out.postal_code = get("postal_code");
  out.state = get("region");
}

std::optional<std::string> address_json(const ProfileForm& f) {
  if (f.street.empty() && f.colonia.empty() && f.municipality.empty() && f.postal_code.empty() &&
      f.state.empty()) {
    return std::nullopt;
  }
  boost::json::object o;
  std::string street = f.street;
  if (!f.colonia.empty()) street += "\n" + f.colonia;
  std::string formatted = street;
  std::string last = f.postal_code;
  if (!f.municipality.empty()) last += (last.empty() ? "" : " ") + f.municipality;
  if (!f.state.empty()) last += (last.empty() ? "" : ", ") + f.state;
  if (!last.empty()) formatted += (formatted.empty() ? "" : "\n") + last;
  o["formatted"] = formatted;
  if (!street.empty()) o["street_address"] = street;
  if (!f.municipality.empty()) o["locality"] = f.municipality;
  if (!f.state.empty()) o["region"] = f.state;
  if (!f.postal_code.empty()) o["postal_code"] = f.postal_code;
  o["country"] = "MX";
  return boost::json::serialize(o);
}

bool plain_text(std::string_view s, std::size_t max_bytes) {
  if (s.size() > max_bytes || !utf8::is_valid(s)) return false;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

bool valid_postal_code(std::string_view s) {
  if (s.empty()) return true;
  if (s.size() != 5) return false;
  for (const char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// The first problem with the form as a catalog key, and the field it concerns; "" when none.
// The birth date must be a real past date and, when the account has a CURP, the one inside it.
std::pair<std::string, std::string> check_form(const ProfileForm& f, const Account& account,
                                               std::string_view today) {
  if (f.given_name.empty() || !plain_text(f.given_name, kMaxFieldBytes))
    return {"mi_llave.profile.error.given_name", "given_name"};
  if (f.family_name.empty() || !plain_text(f.family_name, kMaxFieldBytes))
    return {"mi_llave.profile.error.family_name", "family_name"};
  if (!f.birth_date.empty()) {
    const auto& d = f.birth_date;
    bool shape = d.size() == 10 && d[4] == '-' && d[7] == '-';
    for (const std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
      if (shape && (d[i] < '0' || d[i] > '9')) shape = false;
    if (!shape) return {"mi_llave.profile.error.birth_date", "birth_date"};
    const int y = std::stoi(d.substr(0, 4));
    const unsigned m = static_cast<unsigned>(std::stoi(d.substr(5, 2)));
    const unsigned day = static_cast<unsigned>(std::stoi(d.substr(8, 2)));
    const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m),
                                          std::chrono::day(day)};
    if (!ymd.ok() || y < 1900 || d > today)
      return {"mi_llave.profile.error.birth_date", "birth_date"};
    if (account.curp) {
      if (auto curp = parse_curp(*account.curp); curp && !check_birth_date(*curp, y, m, day)) {
        return {"mi_llave.profile.error.birth_date_curp", "birth_date"};
      }
    }
  }
  if (!plain_text(f.street, kMaxFieldBytes)) return {"mi_llave.profile.error.text", "street"};
  if (!plain_text(f.colonia, kMaxFieldBytes)) return {"mi_llave.profile.error.text", "colonia"};
  if (!plain_text(f.municipality, kMaxFieldBytes))
    return {"mi_llave.profile.error.text", "municipality"};
  if (!plain_text(f.state, kMaxFieldBytes)) return {"mi_llave.profile.error.text", "state"};
  if (!valid_postal_code(f.postal_code))
    return {"mi_llave.profile.error.postal_code", "postal_code"};
  return {};
}

// --- shared page pieces ----------------------------------------------------------------------

std::optional<std::string> take_flash(http::Request& req) {
  auto flash = req.session.get(kFlashKey);
  if (flash) req.session.erase(kFlashKey);
  return flash;
}

std::optional<std::string> client_ip(const http::Request& req) {
  if (req.remote_addr.empty() || req.remote_addr.size() > kMaxAuditIpBytes) return std::nullopt;
  return req.remote_addr;
}

std::string level_key(LevelOfAssurance loa) {
  return "mi_llave.loa." + std::to_string(static_cast<int>(loa));
}

http::Response profile_view(const IdentityContext& ctx, http::Request& req, const SignedIn& who,
                            const ProfileForm& form, const std::string& error_key,
                            const std::string& error_field, int status) {
  const Account& a = who.account;
  const auto& r = ctx.renderer;
  web::View view{web::View::type::object};
  view.set("csrf", req.csrf_token);
  if (auto flash = take_flash(req); flash && *flash == "profile.saved") view.set("saved", true);
  view.set("name", a.given_name + " " + a.family_name);
  if (a.curp) view.set("curp", *a.curp);
  if (a.birth_date) view.set("birth_date", *a.birth_date);
  ProfileForm stored;
  read_address(a.address, stored);
  web::View lines{web::View::type::list};
  for (const std::string* s : {&stored.street, &stored.colonia}) {
    if (!s->empty()) lines.push_back(web::View(*s));
  }
  std::string last = stored.postal_code;
  if (!stored.municipality.empty()) last += (last.empty() ? "" : " ") + stored.municipality;
  if (!stored.state.empty()) last += (last.empty() ? "" : ", ") + stored.state;
  if (!last.empty()) lines.push_back(web::View(last));
  if (!lines.is_empty_list()) view.set("address_lines", lines);
  if (a.email) {
    view.set("email", *a.email);
    view.set("email_verified", a.email_verified_at.has_value());
  }
  if (a.phone) {
    view.set("phone", *a.phone);
    view.set("phone_verified", a.phone_verified_at.has_value());
  }
  const int level = static_cast<int>(a.loa);
  view.set("level", std::to_string(level));
  view.set("level_text", std::string(r.text(req.locale, level_key(a.loa))));
  view.set("level_next", std::string(r.text(req.locale, level_key(a.loa) + ".next")));
  if (a.loa >= LevelOfAssurance::kCurpValidated) view.set("names_locked", true);
  // Only the staff who may open the account pages get the link (agency staff would meet a 403).
  if (who.roles.has(Role::kAdmin) || who.roles.has(Role::kVerifier) ||
      who.roles.has(Role::kOperator)) {
    view.set("staff", true);
  }

  view.set("f_given_name", form.given_name);
  view.set("f_family_name", form.family_name);
  view.set("f_birth_date", form.birth_date);
  view.set("f_street", form.street);
  view.set("f_colonia", form.colonia);
  view.set("f_municipality", form.municipality);
  view.set("f_postal_code", form.postal_code);
  view.set("f_state", form.state);
  if (!error_key.empty()) {
    view.set("error", std::string(r.text(req.locale, error_key)));
    view.set("invalid_" + error_field, true);
  }
  return r.render_page(req, "mi_llave/profile", view,
                       {.title_key = "mi_llave.profile.title", .status = status});
}

ProfileForm form_of(const Account& a) {
  ProfileForm f;
  f.given_name = a.given_name;
  f.family_name = a.family_name;
  if (a.birth_date) f.birth_date = *a.birth_date;
  read_address(a.address, f);
  return f;
}

// The signed-in resident, or the answer to give instead (sign-in redirect, error page).
struct Gate {
  std::optional<SignedIn> who;
  std::optional<http::Response> stop;
};

Gate resident(const IdentityContext& ctx, http::Request& req) {
  auto who = signed_in(req, ctx.db, ctx.now());
  if (!who) return {std::nullopt, ctx.errors.error_response(req, who.error())};
  if (!*who) return {std::nullopt, sign_in_redirect(req)};
  return {std::move(**who), std::nullopt};
}

// --- handlers --------------------------------------------------------------------------------

// GET /mi-llave
http::Response profile_page(const IdentityContext& ctx, http::Request& req) {
  auto gate = resident(ctx, req);
  if (gate.stop) return std::move(*gate.stop);
  return profile_view(ctx, req, *gate.who, form_of(gate.who->account), "", "", 200);
}

// POST /mi-llave
http::Response profile_submit(const IdentityContext& ctx, http::Request& req) {
  auto gate = resident(ctx, req);
  if (gate.stop) return std::move(*gate.stop);
  const SignedIn& who = *gate.who;
  const auto& posted = req.form();
  if (!posted) return ctx.errors.error_response(req, posted.error());
  ProfileForm f;
  f.given_name = field(*posted, "given_name");
  f.family_name = field(*posted, "family_name");
  f.birth_date = field(*posted, "birth_date");
  f.street = field(*posted, "street");
  f.colonia = field(*posted, "colonia");
  f.municipality = field(*posted, "municipality");
  f.postal_code = field(*posted, "postal_code");
  f.state = field(*posted, "state");
  const Account& a = who.account;
  // The form leaves the names out once the CURP is validated; a post that changes them anyway
  // (an old tab, a hand-made request) is refused below rather than silently ignored.
  if (a.loa >= LevelOfAssurance::kCurpValidated) {
    if (!posted->get("given_name")) f.given_name = a.given_name;
    if (!posted->get("family_name")) f.family_name = a.family_name;
    if (f.given_name != a.given_name || f.family_name != a.family_name) {
      return profile_view(ctx, req, who, f, "mi_llave.profile.error.name_locked", "given_name",
                          409);
    }
  }
  const auto [error_key, error_field] = check_form(f, a, mi_llave::local_date(ctx.now()));
  if (!error_key.empty()) return profile_view(ctx, req, who, f, error_key, error_field, 400);

  const std::optional<std::string> birth =
      f.birth_date.empty() ? std::nullopt : std::optional<std::string>(f.birth_date);
  const std::optional<std::string> address = address_json(f);
  boost::json::array changed;
  if (f.given_name != a.given_name || f.family_name != a.family_name) changed.push_back("name");
  if (birth != a.birth_date) changed.push_back("birth_date");
  if (address != a.address) changed.push_back("address");
  if (changed.empty()) {
    req.session.set(kFlashKey, "profile.saved");
    return http::Response::redirect("/mi-llave#guardado");
  }
  const std::int64_t now = ctx.now();
  const Status saved = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto st = AccountStore::update_profile(sql, a.id, f.given_name, f.family_name, birth,
                                               address, now);
        !st) {
      return st;
    }
    AuditEvent event;
    event.account_id = a.id;
    event.actor_kind = ActorKind::kResident;
    event.actor_id = std::to_string(a.id);
    event.action = "profile.updated";
    event.detail = boost::json::serialize(boost::json::object{{"fields", changed}});
    event.ip = client_ip(req);
    event.created_at = now;
    if (auto row = AuditLog::append(sql, event); !row) return fail(row.error());
    return {};
  });
  if (!saved) {
    if (saved.error().user_key == "identity.profile.name_locked") {
      return profile_view(ctx, req, who, f, "mi_llave.profile.error.name_locked", "given_name",
                          409);
    }
    if (saved.error().kind == ErrorKind::kInvalidInput) {
      return profile_view(ctx, req, who, f, "mi_llave.profile.error.text", "given_name", 400);
    }
    return ctx.errors.error_response(req, saved.error());
  }
  req.session.set(kFlashKey, "profile.saved");
  return http::Response::redirect("/mi-llave#guardado");
}

// GET /mi-llave/sesiones
http::Response sessions_page(const IdentityContext& ctx, http::Request& req) {
  auto gate = resident(ctx, req);
  if (gate.stop) return std::move(*gate.stop);
  const SignedIn& who = *gate.who;
  auto logins = LoginSessionStore(ctx.db).list_alive(who.account.id, ctx.now());
  if (!logins) return ctx.errors.error_response(req, logins.error());
  web::View view{web::View::type::object};
  view.set("csrf", req.csrf_token);
  if (auto flash = take_flash(req)) {
    if (*flash == "sessions.one")
      view.set("flash", std::string(ctx.renderer.text(req.locale, "mi_llave.sessions.closed_one")));
    if (flash->starts_with("sessions.others:")) {
      view.set("flash",
               mi_llave::fill(ctx.renderer.text(req.locale, "mi_llave.sessions.closed_others"),
                              {{"count", flash->substr(16)}}));
    }
  }
  web::View list{web::View::type::list};
  int others = 0;
  for (const LoginSession& login : *logins) {
    web::View item{web::View::type::object};
    item.set("device", mi_llave::describe_device(ctx.renderer, req.locale, login.user_agent));
    item.set("ip", login.ip.empty() ? std::string("—") : login.ip);
    item.set("started", mi_llave::local_time(login.created_at));
    item.set("last_seen", mi_llave::local_time(login.last_seen_at));
    if (login.id == who.login.id) {
      item.set("current", true);
    } else {
      item.set("handle", mi_llave::login_handle(login.id));
      ++others;
    }
    list.push_back(item);
  }
  view.set("logins", list);
  if (others > 0) view.set("others", true);
  return ctx.renderer.render_page(req, "mi_llave/sessions", view,
                                  {.title_key = "mi_llave.sessions.title"});
}

Status audit_revoked(soci::session& sql, const http::Request& req, long long account_id, int count,
                     std::string_view scope, std::int64_t now) {
  AuditEvent event;
  event.account_id = account_id;
  event.actor_kind = ActorKind::kResident;
  event.actor_id = std::to_string(account_id);
  event.action = "sessions.revoked";
  event.detail = boost::json::serialize(boost::json::object{{"count", count}, {"scope", scope}});
  event.ip = client_ip(req);
  event.created_at = now;
  if (auto row = AuditLog::append(sql, event); !row) return fail(row.error());
  return {};
}

// POST /mi-llave/sesiones/cerrar (sesion=<handle>): signs one other device out.
http::Response sessions_revoke_one(const IdentityContext& ctx, http::Request& req) {
  auto gate = resident(ctx, req);
  if (gate.stop) return std::move(*gate.stop);
  const SignedIn& who = *gate.who;
  const auto& posted = req.form();
  if (!posted) return ctx.errors.error_response(req, posted.error());
  const std::string handle(posted->get_or("sesion", ""));
  const std::int64_t now = ctx.now();
  auto logins = LoginSessionStore(ctx.db).list_alive(who.account.id, now);
  if (!logins) return ctx.errors.error_response(req, logins.error());
  std::optional<std::string> target;
  for (const LoginSession& login : *logins) {
    if (login.id != who.login.id && handle.size() == 16 &&
        mi_llave::login_handle(login.id) == handle) {
      target = login.id;
    }
  }
  // Gone already (it idled out, or another tab closed it): nothing to do, and saying so
  // plainly is better than an error page.
  if (!target) return ctx.errors.page(req, 404);
  const Status done = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto st = LoginSessionStore::revoke(sql, who.account.id, *target, now); !st) return st;
    return audit_revoked(sql, req, who.account.id, 1, "one", now);
  });
  if (!done) return ctx.errors.error_response(req, done.error());
  req.session.set(kFlashKey, "sessions.one");
  return http::Response::redirect("/mi-llave/sesiones");
}

// POST /mi-llave/sesiones/cerrar-otras: signs out every device but this one.
http::Response sessions_revoke_others(const IdentityContext& ctx, http::Request& req) {
  auto gate = resident(ctx, req);
  if (gate.stop) return std::move(*gate.stop);
  const SignedIn& who = *gate.who;
  const std::int64_t now = ctx.now();
  int count = 0;
  const Status done = ctx.db.transaction([&](soci::session& sql) -> Status {
    auto n =
        LoginSessionStore::revoke_all(sql, who.account.id, std::string_view(who.login.id), now);
    if (!n) return fail(n.error());
    count = *n;
    if (count == 0) return {};
    return audit_revoked(sql, req, who.account.id, count, "others", now);
  });
  if (!done) return ctx.errors.error_response(req, done.error());
  req.session.set(kFlashKey, "sessions.others:" + std::to_string(count));
  return http::Response::redirect("/mi-llave/sesiones");
}

// Names of the officials who acted on these rows, for "who did it".
std::map<std::string, std::string> staff_names(const IdentityContext& ctx,
                                               const std::vector<AuditRecord>& rows) {
  std::map<std::string, std::string> names;
  for (const AuditRecord& row : rows) {
    if (row.event.actor_kind != ActorKind::kStaff || names.contains(row.event.actor_id)) continue;
    const auto id = mi_llave::parse_id(row.event.actor_id);
    if (!id) continue;
    auto found = AccountStore(ctx.db).find_by_id(*id);
    if (found && *found)
      names[row.event.actor_id] = (*found)->given_name + " " + (*found)->family_name;
  }
  return names;
}

// GET /mi-llave/actividad?antes=<id>: newest first, kActivityPage rows a page.
http::Response activity_page(const IdentityContext& ctx, http::Request& req) {
  auto gate = resident(ctx, req);
  if (gate.stop) return std::move(*gate.stop);
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  long long before = 0;
  if (const auto antes = query->get("antes"); antes && !antes->empty()) {
    const auto id = mi_llave::parse_id(*antes);
    if (!id) return ctx.errors.page(req, 400);
    before = *id;
  }
  auto rows = AuditLog(ctx.db).list_for_account(gate.who->account.id, kActivityPage + 1, before);
  if (!rows) return ctx.errors.error_response(req, rows.error());
  const bool more = static_cast<int>(rows->size()) > kActivityPage;
  if (more) rows->resize(kActivityPage);
  const auto names = staff_names(ctx, *rows);
  web::View list{web::View::type::list};
  for (const AuditRecord& row : *rows) {
    const auto line = mi_llave::describe_event(ctx.renderer, req.locale, row, names);
    web::View item{web::View::type::object};
    item.set("when", line.when);
    item.set("what", line.what);
    item.set("who", line.who);
    if (!line.where.empty()) item.set("where", line.where);
    list.push_back(item);
  }
  web::View view{web::View::type::object};
  view.set("events", list);
  if (rows->empty()) view.set("none", true);
  if (more) view.set("next", "/mi-llave/actividad?antes=" + std::to_string(rows->back().id));
  if (before != 0) view.set("paged", true);
  return ctx.renderer.render_page(req, "mi_llave/activity", view,
                                  {.title_key = "mi_llave.activity.title"});
}

}  // namespace

Status register_account_routes(http::Router& router, Ctx ctx) {
  router.get("/mi-llave", [ctx](http::Request& req) { return profile_page(*ctx, req); });
  router.post("/mi-llave", [ctx](http::Request& req) { return profile_submit(*ctx, req); });
  router.get("/mi-llave/sesiones", [ctx](http::Request& req) { return sessions_page(*ctx, req); });
  router.post("/mi-llave/sesiones/cerrar",
              [ctx](http::Request& req) { return sessions_revoke_one(*ctx, req); });
  router.post("/mi-llave/sesiones/cerrar-otras",
              [ctx](http::Request& req) { return sessions_revoke_others(*ctx, req); });
  router.get("/mi-llave/actividad", [ctx](http::Request& req) { return activity_page(*ctx, req); });
  return {};
}

}  // namespace zocalo::identity
