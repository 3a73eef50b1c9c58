// The authorization endpoint and the consent page (OpenID Connect Core 1.0 §3.1.2): GET/POST
// /oidc/authorize, GET/POST /llave/autorizar. The whole authorization request travels in the
// URL through sign-in and consent, and is validated again at every step: nothing a browser
// sends is trusted because an earlier step accepted it.
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "identity/oidc/authorization_request.hpp"
#include "identity/oidc/discovery.hpp"
#include "identity/oidc/scope.hpp"
#include "identity/resident.hpp"
#include "identity/routes/oidc_common.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/authorization_code_store.hpp"
#include "identity/store/client_store.hpp"
#include "identity/store/consent_store.hpp"

namespace zocalo::identity::oidc_routes {
namespace {

// Everything a later step needs once the request passed every check that precedes consent.
struct Ready {
  oidc::AuthorizationRequest request;
  oidc::Client client;
  SignedIn who;
};

http::Response redirect_error(const OidcContext& ctx, const oidc::AuthorizationRequest& r,
                              std::string error, std::string description) {
  const oidc::AuthorizationError e{true, std::move(error), std::move(description), r.redirect_uri,
                                   r.state};
  return http::Response::redirect(oidc::error_redirect(e, ctx.issuer()));
}

std::string sign_in_url(const http::FormData& params, std::int64_t now, bool reauthenticate) {
  const std::string target = std::string(oidc::kAuthorizePath) + "?" + oidc::to_query(params, now);
  std::string url = std::string(kSignInPath) + "?siguiente=" + http::percent_encode(target);
  if (reauthenticate) url += "&reautenticar=1";
  return url;
}

// The checks every step repeats: the request itself, who is signed in and how recently, and
// the level of assurance. Returns the answer to send when the flow cannot go on here.
std::variant<Ready, http::Response> prepare(const OidcContext& ctx, http::Request& req,
                                            const http::FormData& params) {
  std::optional<oidc::Client> client;
  if (params.get_all("client_id").size() == 1) {
    auto found = ctx.id().clients->find(*params.get("client_id"));
    if (!found) return ctx.id().errors.error_response(req, found.error());
    client = std::move(*found);
  }
  auto outcome = oidc::validate_authorization_request(params, client ? &*client : nullptr);
  if (auto* e = std::get_if<oidc::AuthorizationError>(&outcome)) {
    if (!e->redirect) {
      return error_page(
          ctx, req,
          e->error == "invalid_client" ? "oidc.error.unknown_client" : "oidc.error.redirect_uri");
    }
    return http::Response::redirect(oidc::error_redirect(*e, ctx.issuer()));
  }
  auto& r = std::get<oidc::AuthorizationRequest>(outcome);
  if (r.ui_locale) req.locale = *r.ui_locale;
  const std::int64_t now = ctx.now();
  if (oidc::to_query(params, now).size() > oidc::kMaxAuthorizeQueryBytes) {
    return redirect_error(ctx, r, "invalid_request", "the request is too long");
  }
  auto who = signed_in(req, ctx.id().db, now);
  if (!who) return ctx.id().errors.error_response(req, who.error());
  if (!*who) {
    // OIDC Core §3.1.2.6: prompt=none must not show any page.
    if (r.prompt_none) return redirect_error(ctx, r, "login_required", "no one is signed in");
    return http::Response::redirect(sign_in_url(params, now, false));
  }
  if (oidc::needs_reauthentication(r, (*who)->login.auth_time, now)) {
    if (r.prompt_none) return redirect_error(ctx, r, "login_required", "sign-in is too old");
    return http::Response::redirect(sign_in_url(params, now, true));
  }
  if (r.acr_min && (*who)->account.loa < *r.acr_min) {
    // OpenID Connect Core Error Code unmet_authentication_requirements 1.0.
    if (r.prompt_none) {
      return redirect_error(ctx, r, "unmet_authentication_requirements",
                            "the account's level of assurance is too low");
    }
    web::View view{web::View::type::object};
    view.set("client", client->name);
    view.set("required", std::to_string(static_cast<int>(*r.acr_min)));
    view.set("current", std::to_string(static_cast<int>((*who)->account.loa)));
    const oidc::AuthorizationError e{true, "unmet_authentication_requirements",
                                     "the account's level of assurance is too low", r.redirect_uri,
                                     r.state};
    view.set("back", oidc::error_redirect(e, ctx.issuer()));
    return ctx.id().renderer.render_page(req, "oidc/level", view,
                                         {.title_key = "oidc.level.title", .status = 403});
  }
  return Ready{std::move(r), std::move(*client), std::move(**who)};
}

// Issues the code (in `sql`'s transaction) and answers with the redirect to the client.
Result<std::string> issue_code(const OidcContext& ctx, soci::session& sql, const Ready& ready) {
  const auto& r = ready.request;
  NewGrant grant{.client_id = ready.client.client_id,
                 .account_id = ready.who.account.id,
                 .login_id = ready.who.login.id,
                 .redirect_uri = r.redirect_uri,
                 .scope = oidc::join_scopes(r.scopes),
                 .nonce = r.nonce,
                 .code_challenge = r.code_challenge,
                 .auth_time = ready.who.login.auth_time,
                 .acr = acr(ready.who.account.loa),
                 .amr = ready.who.login.amr};
  auto issued = AuthorizationCodeStore::create(sql, grant, ctx.now(), ctx.code_lifetime);
  if (!issued) return fail(issued.error());
  std::vector<std::pair<std::string, std::string>> params{{"code", issued->code}};
  if (r.state) params.emplace_back("state", *r.state);
  params.emplace_back("iss", ctx.issuer());
  return oidc::redirect_with(r.redirect_uri, params);
}

http::Response authorize(const OidcContext& ctx, http::Request& req, bool post) {
  const auto& params = post ? req.form() : req.query();
  if (!params) return error_page(ctx, req, "oidc.error.malformed");
  auto prepared = prepare(ctx, req, *params);
  if (auto* res = std::get_if<http::Response>(&prepared)) return std::move(*res);
  auto& ready = std::get<Ready>(prepared);
  const auto& r = ready.request;

  auto consent = ConsentStore(ctx.id().db).find(ready.who.account.id, ready.client.client_id);
  if (!consent) return ctx.id().errors.error_response(req, consent.error());
  const bool covered = consent->has_value() && oidc::is_subset(r.scopes, **consent);
  if (!covered || r.prompt_consent) {
    if (r.prompt_none) return redirect_error(ctx, r, "consent_required", "consent is needed");
    return http::Response::redirect(std::string(oidc::kConsentPath) + "?" +
                                    oidc::to_query(*params, r.auth_after));
  }
  std::string location;
  const Status done = ctx.id().db.transaction([&](soci::session& sql) -> Status {
    auto url = issue_code(ctx, sql, ready);
    if (!url) return fail(url.error());
    location = std::move(*url);
    return {};
  });
  if (!done) return ctx.id().errors.error_response(req, done.error());
  return http::Response::redirect(location);
}

// GET /llave/autorizar: what the client asks to know, in plain words, and two buttons.
http::Response consent_page(const OidcContext& ctx, http::Request& req) {
  const auto& params = req.query();
  if (!params) return error_page(ctx, req, "oidc.error.malformed");
  auto prepared = prepare(ctx, req, *params);
  if (auto* res = std::get_if<http::Response>(&prepared)) return std::move(*res);
  auto& ready = std::get<Ready>(prepared);
  web::View view{web::View::type::object};
  view.set("csrf", req.csrf_token);
  view.set("client", ready.client.name);
  web::View scopes{web::View::type::list};
  for (const auto& s : ready.request.scopes) {
    web::View item{web::View::type::object};
    item.set("text", std::string(ctx.id().renderer.text(req.locale, "oidc.scope." + s)));
    scopes.push_back(item);
  }
  view.set("scopes", scopes);
  web::View fields{web::View::type::list};
  for (const auto& [name, value] : params->fields()) {
    if (name == "_csrf" || name == "decision") continue;
    web::View f{web::View::type::object};
    f.set("name", name);
    f.set("value", value);
    fields.push_back(f);
  }
  view.set("fields", fields);
  auto res =
      ctx.id().renderer.render_page(req, "oidc/consent", view, {.title_key = "oidc.consent.title"});
  if (const auto csp = csp_allowing_form_target(ready.request.redirect_uri); !csp.empty()) {
    res.headers.set("Content-Security-Policy", csp);
  }
  res.headers.set("Cache-Control", "no-store");
  return res;
}

// POST /llave/autorizar (CSRF-checked): allow → consent remembered, code issued; deny →
// access_denied on the redirect URI.
http::Response consent_submit(const OidcContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return error_page(ctx, req, "oidc.error.malformed");
  auto prepared = prepare(ctx, req, *form);
  if (auto* res = std::get_if<http::Response>(&prepared)) return std::move(*res);
  auto& ready = std::get<Ready>(prepared);
  const auto decision = form->get_or("decision", "");
  if (decision != "allow") {
    return redirect_error(ctx, ready.request, "access_denied", "the resident said no");
  }
  std::string location;
  const Status done = ctx.id().db.transaction([&](soci::session& sql) -> Status {
    const std::int64_t now = ctx.now();
    if (Status s = ConsentStore::grant(sql, ready.who.account.id, ready.client.client_id,
                                       ready.request.scopes, now);
        !s) {
      return s;
    }
    auto url = issue_code(ctx, sql, ready);
    if (!url) return fail(url.error());
    location = std::move(*url);
    boost::json::object detail;
    detail["client_id"] = ready.client.client_id;
    detail["scope"] = oidc::join_scopes(ready.request.scopes);
    auto appended = AuditLog::append(
        sql, AuditEvent{.account_id = ready.who.account.id,
                        .actor_kind = ActorKind::kResident,
                        .actor_id = std::to_string(ready.who.account.id),
                        .action = "consent.granted",
                        .detail = boost::json::serialize(detail),
                        .ip = req.remote_addr.empty() ? std::nullopt
                                                      : std::optional<std::string>(req.remote_addr),
                        .created_at = now});
    if (!appended) return fail(appended.error());
    return {};
  });
  if (!done) return ctx.id().errors.error_response(req, done.error());
  return http::Response::redirect(location);
}

}  // namespace

void add_authorize_routes(http::Router& router, Ctx ctx) {
  router.get(std::string(oidc::kAuthorizePath),
             [ctx](http::Request& req) { return authorize(*ctx, req, false); });
  // OIDC Core §3.1.2.1: the endpoint MUST support POST too. Relying parties post here from
  // their own pages, without our CSRF token; nothing changes before the consent step, which
  // is CSRF-checked.
  router.post(std::string(oidc::kAuthorizePath),
              [ctx](http::Request& req) { return authorize(*ctx, req, true); },
              {.csrf_exempt = true});
  router.get(std::string(oidc::kConsentPath),
             [ctx](http::Request& req) { return consent_page(*ctx, req); });
  router.post(std::string(oidc::kConsentPath),
              [ctx](http::Request& req) { return consent_submit(*ctx, req); });
}

}  // namespace zocalo::identity::oidc_routes
