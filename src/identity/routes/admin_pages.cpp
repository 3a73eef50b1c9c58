// Staff pages over residents' accounts (issue 3 items 2 and 5): search, an account's detail,
// recording levels of assurance 2 (an official confirmed the CURP with RENAPO) and 3 (an
// official saw the person and a document), and granting or revoking staff roles. Every change
// is audited on the resident's account with the official as actor, so it shows up on the
// resident's own activity page.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "identity/resident.hpp"
#include "identity/routes/admin_agencies.hpp"
#include "identity/routes/identity_context.hpp"
#include "identity/routes/mi_llave_views.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/staff_role_store.hpp"
#include "platform/core/text.hpp"

namespace zocalo::identity {
namespace {

using Ctx = std::shared_ptr<const IdentityContext>;

constexpr const char* kFlashKey = "admin.flash";
constexpr int kSearchLimit = 50;
constexpr int kRecentActivity = 10;

// The kinds of document a verifier may record for level 3 (stored as these codes; the page
// shows their names). Official photo identifications accepted across the city's procedures.
constexpr std::string_view kDocuments[] = {"ine",      "pasaporte",        "cedula_profesional",
                                           "licencia", "cartilla_militar", "tarjeta_residente"};

bool known_document(std::string_view code) {
  for (const auto d : kDocuments)
    if (d == code) return true;
  return false;
}

// Who may open the staff account pages: admins, identity verifiers and call-centre operators
// (who look residents up for callers). Agency staff work their own agency's inbox instead.
bool may_view(const StaffRoles& roles) {
  return roles.has(Role::kAdmin) || roles.has(Role::kVerifier) || roles.has(Role::kOperator);
}
bool may_verify(const StaffRoles& roles) {
  return roles.has(Role::kAdmin) || roles.has(Role::kVerifier);
}

struct Gate {
  std::optional<SignedIn> who;
  std::optional<http::Response> stop;
};

Gate staff(const IdentityContext& ctx, http::Request& req) {
  auto who = signed_in(req, ctx.db, ctx.now());
  if (!who) return {std::nullopt, ctx.errors.error_response(req, who.error())};
  if (!*who) return {std::nullopt, sign_in_redirect(req)};
  if (!may_view((*who)->roles)) return {std::nullopt, ctx.errors.page(req, 403)};
  return {std::move(**who), std::nullopt};
}

std::optional<std::string> client_ip(const http::Request& req) {
  if (req.remote_addr.empty() || req.remote_addr.size() > kMaxAuditIpBytes) return std::nullopt;
  return req.remote_addr;
}

Status audit_staff(soci::session& sql, const http::Request& req, long long account_id,
                   long long staff_id, std::string_view action, boost::json::object detail,
                   std::int64_t now) {
  AuditEvent event;
  event.account_id = account_id;
  event.actor_kind = ActorKind::kStaff;
  event.actor_id = std::to_string(staff_id);
  event.action = std::string(action);
  event.detail = boost::json::serialize(detail);
  event.ip = client_ip(req);
  event.created_at = now;
  if (auto row = AuditLog::append(sql, event); !row) return fail(row.error());
  return {};
}

std::string text(const IdentityContext& ctx, const http::Request& req, std::string_view key) {
  return std::string(ctx.renderer.text(req.locale, key));
}

std::string role_name(const IdentityContext& ctx, const http::Request& req, const RoleGrant& g,
                      const std::vector<AgencyChoice>& agencies) {
  std::string name = text(ctx, req, "mi_llave.role." + std::string(to_string(g.role)));
  if (g.agency_id) {
    std::string agency = "#" + std::to_string(*g.agency_id);
    for (const auto& a : agencies)
      if (a.id == *g.agency_id) agency = a.name(req.locale);
    name += " (" + agency + ")";
  }
  return name;
}

web::View contact_view(const Account& a) {
  web::View v{web::View::type::object};
  v.set("id", std::to_string(a.id));
  v.set("name", a.given_name + " " + a.family_name);
  if (a.curp) v.set("curp", *a.curp);
  if (a.email) v.set("email", *a.email);
  if (a.phone) v.set("phone", *a.phone);
  v.set("level", std::to_string(static_cast<int>(a.loa)));
  return v;
}

// --- search ----------------------------------------------------------------------------------

// GET /admin/cuentas?q=
http::Response search_page(const IdentityContext& ctx, http::Request& req) {
  auto gate = staff(ctx, req);
  if (gate.stop) return std::move(*gate.stop);
  const auto& query = req.query();
  if (!query) return ctx.errors.error_response(req, query.error());
  const std::string q(text::trim_space(query->get_or("q", "")));
  web::View view{web::View::type::object};
  view.set("q", q);
  int status = 200;
  if (!q.empty()) {
    auto found = AccountStore(ctx.db).search(q, kSearchLimit);
    if (!found) {
      if (found.error().kind != ErrorKind::kInvalidInput) {
        return ctx.errors.error_response(req, found.error());
      }
      view.set("error", text(ctx, req, "admin.search.too_short"));
      status = 400;
    } else {
      web::View list{web::View::type::list};
      for (const Account& a : *found) list.push_back(contact_view(a));
      view.set("results", list);
      view.set("searched", true);
      view.set("count", mi_llave::fill(ctx.renderer.text(req.locale, "admin.search.count"),
                                       {{"count", std::to_string(found->size())}, {"q", q}}));
      if (found->empty()) view.set("none", true);
    }
  }
  return ctx.renderer.render_page(req, "admin/accounts", view,
                                  {.title_key = "admin.search.title", .status = status});
}

// --- detail ----------------------------------------------------------------------------------

http::Response detail_view(const IdentityContext& ctx, http::Request& req, const SignedIn& who,
                           long long id, const std::string& error_key, int status) {
  auto found = AccountStore(ctx.db).find_by_id(id);
  if (!found) return ctx.errors.error_response(req, found.error());
  if (!*found) return ctx.errors.page(req, 404);
  const Account& a = **found;
  auto roles = StaffRoleStore(ctx.db).roles_of(a.id);
  if (!roles) return ctx.errors.error_response(req, roles.error());
  auto agencies = list_agency_choices(ctx.db);
  if (!agencies) return ctx.errors.error_response(req, agencies.error());
  const bool admin = who.roles.is_admin();
  const bool self = who.account.id == a.id;

  web::View view = contact_view(a);
  view.set("csrf", req.csrf_token);
  if (a.email) view.set("email_verified", a.email_verified_at.has_value());
  if (a.phone) view.set("phone_verified", a.phone_verified_at.has_value());
  if (a.curp_validated_at) view.set("curp_validated", mi_llave::local_time(*a.curp_validated_at));
  if (a.birth_date) view.set("birth_date", *a.birth_date);
  view.set("status", text(ctx, req, "admin.status." + std::string(to_string(a.status))));
  view.set("level_text", text(ctx, req, "mi_llave.loa." + std::to_string(static_cast<int>(a.loa))));
  view.set("created", mi_llave::local_time(a.created_at));

  std::map<std::string, std::string> names;
  if (a.loa3_verified_at) {
    std::string by = a.loa3_verified_by ? "#" + std::to_string(*a.loa3_verified_by) : "—";
    if (a.loa3_verified_by) {
      auto official = AccountStore(ctx.db).find_by_id(*a.loa3_verified_by);
      if (official && *official) {
        by = (*official)->given_name + " " + (*official)->family_name + " (#" +
             std::to_string(*a.loa3_verified_by) + ")";
      }
    }
    const std::string doc = a.loa3_document ? *a.loa3_document : "";
    const auto doc_name = ctx.renderer.find_text(req.locale, "mi_llave.document." + doc);
    view.set("loa3", mi_llave::fill(ctx.renderer.text(req.locale, "admin.loa3.recorded"),
                                    {{"by", by},
                                     {"when", mi_llave::local_time(*a.loa3_verified_at)},
                                     {"document", doc_name ? std::string(*doc_name) : doc}}));
  }

  // Level 2: an admin records that RENAPO confirmed the CURP (the registry's web service is
  // not reachable from here, so an official checks it and answers for it).
  if (admin && a.loa == LevelOfAssurance::kContactVerified) {
    view.set("can_level2", true);
    view.set("curp_value", a.curp ? *a.curp : std::string());
  }
  if (may_verify(who.roles) && a.loa < LevelOfAssurance::kInPerson) {
    if (self) {
      view.set("level3_note", text(ctx, req, "admin.loa3.not_self"));
    } else if (a.loa < LevelOfAssurance::kCurpValidated) {
      view.set("level3_note", text(ctx, req, "admin.loa3.needs_level2"));
    } else {
      view.set("can_level3", true);
      web::View docs{web::View::type::list};
      for (const auto d : kDocuments) {
        web::View item{web::View::type::object};
        item.set("code", std::string(d));
        item.set("name", text(ctx, req, "mi_llave.document." + std::string(d)));
        docs.push_back(item);
      }
      view.set("documents", docs);
    }
  }

  web::View role_list{web::View::type::list};
  for (const RoleGrant& g : roles->grants) {
    web::View item{web::View::type::object};
    item.set("name", role_name(ctx, req, g, *agencies));
    item.set("role", std::string(to_string(g.role)));
    item.set("agency", g.agency_id ? std::to_string(*g.agency_id) : std::string());
    if (admin) item.set("can_revoke", true);
    role_list.push_back(item);
  }
  view.set("roles", role_list);
  if (roles->grants.empty()) view.set("no_roles", true);
  if (admin) {
    view.set("can_grant", true);
    web::View choices{web::View::type::list};
    for (const Role r : {Role::kAdmin, Role::kAgencyStaff, Role::kOperator, Role::kVerifier}) {
      web::View item{web::View::type::object};
      item.set("code", std::string(to_string(r)));
      item.set("name", text(ctx, req, "mi_llave.role." + std::string(to_string(r))));
      choices.push_back(item);
    }
    view.set("role_choices", choices);
    web::View agency_list{web::View::type::list};
    for (const auto& ag : *agencies) {
      web::View item{web::View::type::object};
      item.set("id", std::to_string(ag.id));
      item.set("name", ag.name(req.locale));
      agency_list.push_back(item);
    }
    view.set("agencies", agency_list);
  }

  auto recent = AuditLog(ctx.db).list_for_account(a.id, kRecentActivity);
  if (!recent) return ctx.errors.error_response(req, recent.error());
  for (const AuditRecord& row : *recent) {
    if (row.event.actor_kind != ActorKind::kStaff || names.contains(row.event.actor_id)) continue;
    if (const auto sid = mi_llave::parse_id(row.event.actor_id)) {
      auto official = AccountStore(ctx.db).find_by_id(*sid);
      if (official && *official)
        names[row.event.actor_id] = (*official)->given_name + " " + (*official)->family_name;
    }
  }
  web::View events{web::View::type::list};
  for (const AuditRecord& row : *recent) {
    const auto line = mi_llave::describe_event(ctx.renderer, req.locale, row, names, true);
    web::View item{web::View::type::object};
    item.set("when", line.when);
    item.set("what", line.what);
    item.set("who", line.who);
    events.push_back(item);
  }
  view.set("events", events);

  if (auto flash = req.session.get(kFlashKey)) {
    req.session.erase(kFlashKey);
    view.set("flash", text(ctx, req, *flash));
  }
  if (!error_key.empty()) view.set("error", text(ctx, req, error_key));
  web::PageOptions options;
  options.title = mi_llave::fill(ctx.renderer.text(req.locale, "admin.account.title"),
                                 {{"name", a.given_name + " " + a.family_name}});
  options.status = status;
  return ctx.renderer.render_page(req, "admin/account", view, options);
}

std::optional<long long> account_param(http::Request& req) {
  return mi_llave::parse_id(req.params["id"]);
}

// GET /admin/cuentas/{id}
http::Response detail_page(const IdentityContext& ctx, http::Request& req) {
  auto gate = staff(ctx, req);
  if (gate.stop) return std::move(*gate.stop);
  const auto id = account_param(req);
  if (!id) return ctx.errors.page(req, 404);
  return detail_view(ctx, req, *gate.who, *id, "", 200);
}

// After a refused change: the detail page again with the reason, or a plain error page.
http::Response refused(const IdentityContext& ctx, http::Request& req, const SignedIn& who,
                       long long id, const Error& error) {
  static const std::map<std::string, std::pair<std::string, int>, std::less<>> kReasons = {
      {"identity.loa.curp_unvalidated", {"admin.error.needs_level2", 409}},
      {"identity.loa.contact_unverified", {"admin.error.needs_level1", 409}},
      {"identity.curp.already_validated", {"admin.error.curp_already", 409}},
      {"identity.account.exists", {"admin.error.curp_elsewhere", 409}},
      {"identity.role.invalid", {"admin.error.role_invalid", 400}},
      {"admin.error.document", {"admin.error.document", 400}},
      {"admin.error.not_self", {"admin.error.not_self", 409}},
      {"admin.error.own_admin", {"admin.error.own_admin", 409}},
      {"admin.error.role_not_held", {"admin.error.role_not_held", 409}},
      {"admin.error.agency_unknown", {"admin.error.agency_unknown", 400}},
      {"admin.error.level_changed", {"admin.error.level_changed", 409}},
  };
  if (const auto it = kReasons.find(error.user_key); it != kReasons.end()) {
    return detail_view(ctx, req, who, id, it->second.first, it->second.second);
  }
  if (error.user_key.starts_with("identity.curp.")) {
    return detail_view(ctx, req, who, id, "admin.error.curp_invalid", 400);
  }
  if (error.kind == ErrorKind::kNotFound) return ctx.errors.page(req, 404);
  return ctx.errors.error_response(req, error);
}

http::Response done(http::Request& req, long long id, std::string flash_key) {
  req.session.set(kFlashKey, std::move(flash_key));
  return http::Response::redirect("/admin/cuentas/" + std::to_string(id));
}

// POST /admin/cuentas/{id}/nivel-2 (curp=...): an admin confirmed the CURP with RENAPO.
http::Response level2_submit(const IdentityContext& ctx, http::Request& req) {
  auto gate = staff(ctx, req);
  if (gate.stop) return std::move(*gate.stop);
  const SignedIn& who = *gate.who;
  if (!who.roles.is_admin()) return ctx.errors.page(req, 403);
  const auto id = account_param(req);
  if (!id) return ctx.errors.page(req, 404);
  const auto& posted = req.form();
  if (!posted) return ctx.errors.error_response(req, posted.error());
  const std::string curp(text::trim_space(posted->get_or("curp", "")));
  const std::int64_t now = ctx.now();
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto s = AccountStore::set_curp_validated(sql, *id, curp, now); !s) return s;
    return audit_staff(sql, req, *id, who.account.id, "loa.raised",
                       {{"level", 2}, {"method", "renapo_confirmed_by_staff"}}, now);
  });
  if (!st) return refused(ctx, req, who, *id, st.error());
  return done(req, *id, "admin.flash.level2");
}

// POST /admin/cuentas/{id}/nivel-3 (documento=ine|pasaporte|...): a verifier saw the person.
http::Response level3_submit(const IdentityContext& ctx, http::Request& req) {
  auto gate = staff(ctx, req);
  if (gate.stop) return std::move(*gate.stop);
  const SignedIn& who = *gate.who;
  if (!may_verify(who.roles)) return ctx.errors.page(req, 403);
  const auto id = account_param(req);
  if (!id) return ctx.errors.page(req, 404);
  const auto& posted = req.form();
  if (!posted) return ctx.errors.error_response(req, posted.error());
  const std::string document(posted->get_or("documento", ""));
  if (!known_document(document)) {
    return refused(ctx, req, who, *id, Error::invalid("admin.error.document"));
  }
  // Nobody vouches for themselves: the level means another person checked.
  if (*id == who.account.id) {
    return refused(ctx, req, who, *id, Error::conflict("admin.error.not_self"));
  }
  const std::int64_t now = ctx.now();
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    auto current = AccountStore::find_by_id(sql, *id);
    if (!current) return fail(current.error());
    if (!*current) return fail(Error::not_found("account " + std::to_string(*id)));
    if ((*current)->loa == LevelOfAssurance::kInPerson) {
      return fail(Error::conflict("admin.error.level_changed"));
    }
    if (auto s = AccountStore::record_loa3(sql, *id, who.account.id, document, now); !s) return s;
    return audit_staff(sql, req, *id, who.account.id, "loa.raised",
                       {{"level", 3}, {"document", document}}, now);
  });
  if (!st) return refused(ctx, req, who, *id, st.error());
  return done(req, *id, "admin.flash.level3");
}

// The role a role form names: rol=<code>, dependencia=<agency id> for agency staff only.
std::optional<RoleGrant> posted_grant(const http::FormData& form) {
  const auto role = parse_role(form.get_or("rol", ""));
  if (!role) return std::nullopt;
  RoleGrant g{*role, std::nullopt};
  if (is_agency_scoped(*role)) {
    g.agency_id = mi_llave::parse_id(form.get_or("dependencia", ""));
    if (!g.agency_id) return std::nullopt;
  }
  return g;
}

// What the grant and revoke forms share: an admin, an account id in the path and a valid
// role (+ agency) in the form. Either the change to make or the answer that stops it.
struct RoleChange {
  const SignedIn* who = nullptr;
  long long account_id = 0;
  RoleGrant grant;
};

std::variant<RoleChange, http::Response> role_change(const IdentityContext& ctx, http::Request& req,
                                                     Gate& gate) {
  if (gate.stop) return std::move(*gate.stop);
  const SignedIn& who = *gate.who;
  if (!who.roles.is_admin()) return ctx.errors.page(req, 403);
  const auto id = account_param(req);
  if (!id) return ctx.errors.page(req, 404);
  const auto& posted = req.form();
  if (!posted) return ctx.errors.error_response(req, posted.error());
  const auto grant = posted_grant(*posted);
  if (!grant) return refused(ctx, req, who, *id, Error::invalid("identity.role.invalid"));
  return RoleChange{&who, *id, *grant};
}

boost::json::object role_detail(const RoleGrant& grant) {
  boost::json::object detail{{"role", to_string(grant.role)}};
  if (grant.agency_id) detail["agency_id"] = *grant.agency_id;
  return detail;
}

// POST /admin/cuentas/{id}/roles (rol, dependencia)
http::Response grant_submit(const IdentityContext& ctx, http::Request& req) {
  auto gate = staff(ctx, req);
  auto change = role_change(ctx, req, gate);
  if (auto* res = std::get_if<http::Response>(&change)) return std::move(*res);
  const auto& [who, id, grant] = std::get<RoleChange>(change);
  auto exists = AccountStore(ctx.db).find_by_id(id);
  if (!exists) return ctx.errors.error_response(req, exists.error());
  if (!*exists) return ctx.errors.page(req, 404);
  if (grant.agency_id) {
    auto agencies = list_agency_choices(ctx.db);
    if (!agencies) return ctx.errors.error_response(req, agencies.error());
    bool known = false;
    for (const auto& a : *agencies) known = known || a.id == *grant.agency_id;
    if (!known) return refused(ctx, req, *who, id, Error::invalid("admin.error.agency_unknown"));
  }
  const std::int64_t now = ctx.now();
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    auto before = StaffRoleStore::roles_of(sql, id);
    if (!before) return fail(before.error());
    for (const auto& g : before->grants)
      if (g == grant) return {};  // already held: nothing changes, nothing to audit
    if (auto s = StaffRoleStore::grant(sql, id, grant, who->account.id, now); !s) return s;
    return audit_staff(sql, req, id, who->account.id, "role.granted", role_detail(grant), now);
  });
  if (!st) return refused(ctx, req, *who, id, st.error());
  return done(req, id, "admin.flash.granted");
}

// POST /admin/cuentas/{id}/roles/quitar (rol, dependencia)
http::Response revoke_submit(const IdentityContext& ctx, http::Request& req) {
  auto gate = staff(ctx, req);
  auto change = role_change(ctx, req, gate);
  if (auto* res = std::get_if<http::Response>(&change)) return std::move(*res);
  const auto& [who, id, grant] = std::get<RoleChange>(change);
  // An admin removing their own admin role could leave the city with no admin at all.
  if (id == who->account.id && grant.role == Role::kAdmin) {
    return refused(ctx, req, *who, id, Error::conflict("admin.error.own_admin"));
  }
  const std::int64_t now = ctx.now();
  const Status st = ctx.db.transaction([&](soci::session& sql) -> Status {
    if (auto s = StaffRoleStore::revoke(sql, id, grant); !s) {
      if (s.error().kind == ErrorKind::kNotFound) {
        return fail(Error::conflict("admin.error.role_not_held"));
      }
      return s;
    }
    return audit_staff(sql, req, id, who->account.id, "role.revoked", role_detail(grant), now);
  });
  if (!st) return refused(ctx, req, *who, id, st.error());
  return done(req, id, "admin.flash.revoked");
}

}  // namespace

Status register_admin_routes(http::Router& router, Ctx ctx) {
  router.get("/admin/cuentas", [ctx](http::Request& req) { return search_page(*ctx, req); });
  router.get("/admin/cuentas/{id}", [ctx](http::Request& req) { return detail_page(*ctx, req); });
  router.post("/admin/cuentas/{id}/nivel-2",
              [ctx](http::Request& req) { return level2_submit(*ctx, req); });
  router.post("/admin/cuentas/{id}/nivel-3",
              [ctx](http::Request& req) { return level3_submit(*ctx, req); });
  router.post("/admin/cuentas/{id}/roles",
              [ctx](http::Request& req) { return grant_submit(*ctx, req); });
  router.post("/admin/cuentas/{id}/roles/quitar",
              [ctx](http::Request& req) { return revoke_submit(*ctx, req); });
  return {};
}

}  // namespace zocalo::identity
