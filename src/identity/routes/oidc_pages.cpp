// The provider's pages for people: the resident's connected services (/mi-llave/servicios:
// what each service may know, since when, and a way to take it back) and the administrators'
// client register (/admin/clientes).
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "identity/oidc/client.hpp"
#include "identity/oidc/scope.hpp"
#include "identity/resident.hpp"
#include "identity/routes/oidc_common.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/authorization_code_store.hpp"
#include "identity/store/client_store.hpp"
#include "identity/store/consent_store.hpp"
#include "platform/core/text.hpp"

namespace zocalo::identity::oidc_routes {
namespace {

constexpr const char* kFlashKey = "oidc.flash";

std::optional<std::string> ip_of(const http::Request& req) {
  if (req.remote_addr.empty()) return std::nullopt;
  return req.remote_addr;
}

// --- /mi-llave/servicios ----------------------------------------------------------------------

http::Response services_page(const OidcContext& ctx, http::Request& req) {
  auto who = signed_in(req, ctx.id().db, ctx.now());
  if (!who) return ctx.id().errors.error_response(req, who.error());
  if (!*who) return sign_in_redirect(req);
  auto consents = ConsentStore(ctx.id().db).list_for_account((*who)->account.id);
  if (!consents) return ctx.id().errors.error_response(req, consents.error());
  web::View view{web::View::type::object};
  view.set("csrf", req.csrf_token);
  if (auto flash = req.session.get(kFlashKey)) {
    req.session.erase(kFlashKey);
    view.set("flash", std::string(ctx.id().renderer.text(req.locale, *flash)));
  }
  web::View list{web::View::type::list};
  for (const auto& c : *consents) {
    web::View item{web::View::type::object};
    item.set("name", c.client_name);
    item.set("client_id", c.client_id);
    item.set("when", local_time(c.granted_at));
    web::View scopes{web::View::type::list};
    for (const auto& s : c.scopes) {
      if (!oidc::is_supported_scope(s)) continue;
      web::View scope{web::View::type::object};
      scope.set("text", std::string(ctx.id().renderer.text(req.locale, "oidc.scope." + s)));
      scopes.push_back(scope);
    }
    item.set("scopes", scopes);
    list.push_back(item);
  }
  view.set("any", !consents->empty());
  view.set("consents", list);
  return ctx.id().renderer.render_page(req, "oidc/services", view,
                                       {.title_key = "oidc.services.title"});
}

// POST /mi-llave/servicios/revocar: the consent goes, and with it every grant (refresh and
// access tokens) the service holds for this resident.
http::Response services_revoke(const OidcContext& ctx, http::Request& req) {
  auto who = signed_in(req, ctx.id().db, ctx.now());
  if (!who) return ctx.id().errors.error_response(req, who.error());
  if (!*who) return sign_in_redirect(req);
  const auto& form = req.form();
  if (!form) return ctx.id().errors.error_response(req, form.error());
  const std::string client_id(form->get_or("client_id", ""));
  if (client_id.empty() || client_id.size() > oidc::kMaxClientIdBytes) {
    return ctx.id().errors.page(req, 400);
  }
  const long long account_id = (*who)->account.id;
  bool found = false;
  const Status done = ctx.id().db.transaction([&](soci::session& sql) -> Status {
    const std::int64_t now = ctx.now();
    auto revoked = ConsentStore::revoke(sql, account_id, client_id);
    if (!revoked) return fail(revoked.error());
    found = *revoked;
    if (!found) return {};
    auto grants = AuthorizationCodeStore::revoke_for_client(sql, account_id, client_id, now);
    if (!grants) return fail(grants.error());
    boost::json::object detail;
    detail["client_id"] = client_id;
    auto appended = AuditLog::append(sql, AuditEvent{.account_id = account_id,
                                                     .actor_kind = ActorKind::kResident,
                                                     .actor_id = std::to_string(account_id),
                                                     .action = "consent.revoked",
                                                     .detail = boost::json::serialize(detail),
                                                     .ip = ip_of(req),
                                                     .created_at = now});
    if (!appended) return fail(appended.error());
    return {};
  });
  if (!done) return ctx.id().errors.error_response(req, done.error());
  if (!found) return ctx.id().errors.page(req, 404);
  req.session.set(kFlashKey, "oidc.services.revoked");
  return http::Response::redirect("/mi-llave/servicios");
}

// --- /admin/clientes ----------------------------------------------------------------------------

// The signed-in administrator, or the answer to send (sign in first; 403 for everyone else).
std::variant<SignedIn, http::Response> admin(const OidcContext& ctx, http::Request& req) {
  auto who = signed_in(req, ctx.id().db, ctx.now());
  if (!who) return ctx.id().errors.error_response(req, who.error());
  if (!*who) return sign_in_redirect(req);
  if (!(*who)->roles.is_admin()) return ctx.id().errors.page(req, 403);
  return std::move(**who);
}

ClientActor actor_of(const SignedIn& who, const http::Request& req) {
  return ClientActor{.kind = ActorKind::kStaff,
                     .id = std::to_string(who.account.id),
                     .account_id = std::nullopt,
                     .ip = ip_of(req)};
}

std::vector<std::string> lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size() && out.size() <= oidc::kMaxUris) {
    const std::size_t end = std::min(text.find_first_of("\r\n ", i), text.size());
    if (end > i) out.emplace_back(text.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

http::Response clients_page(const OidcContext& ctx, http::Request& req,
                            std::optional<RegisteredClient> added, std::string error, int status) {
  auto clients = ClientStore(ctx.id().db).list();
  if (!clients) return ctx.id().errors.error_response(req, clients.error());
  web::View view{web::View::type::object};
  view.set("csrf", req.csrf_token);
  if (auto flash = req.session.get(kFlashKey)) {
    req.session.erase(kFlashKey);
    view.set("flash", std::string(ctx.id().renderer.text(req.locale, *flash)));
  }
  if (!error.empty()) view.set("error", error);
  if (added) {
    web::View a{web::View::type::object};
    a.set("client_id", added->client.client_id);
    if (added->secret) a.set("secret", *added->secret);
    view.set("added", a);
  }
  web::View list{web::View::type::list};
  for (const auto& c : *clients) {
    web::View item{web::View::type::object};
    item.set("client_id", c.client_id);
    item.set("name", c.name);
    item.set("type", std::string(oidc::to_string(c.type)));
    item.set("grants", oidc::join_scopes(c.grant_types));
    item.set("scopes", oidc::join_scopes(c.scopes));
    item.set("redirect_uris", oidc::join_scopes(c.redirect_uris));
    item.set("created", local_time(c.created_at));
    list.push_back(item);
  }
  view.set("clients", list);
  auto res = ctx.id().renderer.render_page(req, "oidc/admin_clients", view,
                                           {.title_key = "oidc.admin.title", .status = status});
  res.headers.set("Cache-Control", "no-store");  // may show a secret
  return res;
}

http::Response clients_list(const OidcContext& ctx, http::Request& req) {
  auto who = admin(ctx, req);
  if (auto* res = std::get_if<http::Response>(&who)) return std::move(*res);
  return clients_page(ctx, req, std::nullopt, "", 200);
}

http::Response clients_add(const OidcContext& ctx, http::Request& req) {
  auto who = admin(ctx, req);
  if (auto* res = std::get_if<http::Response>(&who)) return std::move(*res);
  const auto& form = req.form();
  if (!form) return ctx.id().errors.error_response(req, form.error());
  oidc::NewClient c;
  c.name = std::string(form->get_or("name", ""));
  const auto type = oidc::parse_client_type(form->get_or("type", "confidential"));
  if (!type) return clients_page(ctx, req, std::nullopt, "type", 400);
  c.type = *type;
  c.redirect_uris = lines(form->get_or("redirect_uris", ""));
  c.post_logout_redirect_uris = lines(form->get_or("post_logout_redirect_uris", ""));
  c.scopes = lines(form->get_or("scopes", ""));
  for (const auto g : form->get_all("grant")) c.grant_types.emplace_back(g);
  if (const auto uri = form->get_or("backchannel_logout_uri", ""); !uri.empty()) {
    c.backchannel_logout_uri = std::string(uri);
  }
  auto added = ClientStore(ctx.id().db).add(c, actor_of(std::get<SignedIn>(who), req), ctx.now());
  if (!added) {
    if (added.error().kind == ErrorKind::kInvalidInput) {
      // The detail names the field and never holds a secret: the administrator needs it.
      return clients_page(ctx, req, std::nullopt, added.error().detail, 400);
    }
    return ctx.id().errors.error_response(req, added.error());
  }
  // A failed reload is logged; the directory finds a client missing from its copy anyway.
  (void)ctx.id().clients->refresh();
  return clients_page(ctx, req, std::move(*added), "", 200);
}

http::Response clients_remove(const OidcContext& ctx, http::Request& req) {
  auto who = admin(ctx, req);
  if (auto* res = std::get_if<http::Response>(&who)) return std::move(*res);
  const std::string id = req.params["id"];
  const Status removed =
      ClientStore(ctx.id().db).remove(id, actor_of(std::get<SignedIn>(who), req), ctx.now());
  if (!removed) return ctx.id().errors.error_response(req, removed.error());
  // Stops this node issuing tokens to the removed client at once; a failed reload is logged
  // and the copy ages out within IdentityOptions::client_refresh.
  (void)ctx.id().clients->refresh();
  req.session.set(kFlashKey, "oidc.admin.removed");
  return http::Response::redirect("/admin/clientes");
}

}  // namespace

void add_oidc_pages(http::Router& router, Ctx ctx) {
  router.get("/mi-llave/servicios", [ctx](http::Request& req) { return services_page(*ctx, req); });
  router.post("/mi-llave/servicios/revocar",
              [ctx](http::Request& req) { return services_revoke(*ctx, req); });
  router.get("/admin/clientes", [ctx](http::Request& req) { return clients_list(*ctx, req); });
  router.post("/admin/clientes", [ctx](http::Request& req) { return clients_add(*ctx, req); });
  router.post("/admin/clientes/{id}/eliminar",
              [ctx](http::Request& req) { return clients_remove(*ctx, req); });
}

}  // namespace zocalo::identity::oidc_routes
