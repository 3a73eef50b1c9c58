// RP-Initiated Logout 1.0 (/oidc/logout) and the Back-Channel Logout 1.0 fan-out. A relying
// party sends the resident here; we ask before signing them out (§2: the OP SHOULD ask), so
// that a link on any site cannot sign residents out behind their back.
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>

#include "identity/jose/jwt.hpp"
#include "identity/oidc/authorization_request.hpp"
#include "identity/oidc/discovery.hpp"
#include "identity/oidc/tokens.hpp"
#include "identity/resident.hpp"
#include "identity/routes/oidc_backchannel.hpp"
#include "identity/routes/oidc_common.hpp"
#include "identity/store/authorization_code_store.hpp"
#include "identity/store/client_store.hpp"
#include "platform/core/crypto.hpp"
#include "platform/jobs/job_queue.hpp"

namespace zocalo::identity::oidc_routes {
namespace {

constexpr std::string_view kConfirmPath = "/oidc/logout/confirmar";

struct LogoutRequest {
  std::optional<oidc::Client> client;
  std::optional<std::string> post_logout_redirect_uri;
  std::optional<std::string> state;
};

// The claims of an id_token_hint, unverified, only to learn which key time and audience to
// verify it with: an expired hint is still a fine hint (§2), so it is verified as of its iat.
std::optional<boost::json::object> peek_claims(std::string_view token) {
  if (token.size() > 16 * 1024) return std::nullopt;
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  if (first == std::string_view::npos || second == std::string_view::npos) return std::nullopt;
  const auto payload = crypto::base64url_decode(token.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  boost::system::error_code ec;
  auto v = boost::json::parse(*payload, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

// Checks the request; an answer (an error page) when it cannot be honoured.
std::variant<LogoutRequest, http::Response> read_request(const OidcContext& ctx, http::Request& req,
                                                         const http::FormData& params) {
  LogoutRequest out;
  std::optional<std::string> client_id;
  if (const auto c = params.get("client_id"); c && !c->empty()) client_id = std::string(*c);
  if (const auto hint = params.get("id_token_hint"); hint && !hint->empty()) {
    const auto peeked = peek_claims(*hint);
    const auto aud = peeked ? string_claim(*peeked, "aud") : std::nullopt;
    const auto iat = peeked ? int_claim(*peeked, "iat") : std::nullopt;
    if (!aud || !iat) return error_page(ctx, req, "oidc.error.logout");
    auto keys = ctx.id().keys->get();
    if (!keys) return ctx.id().errors.error_response(req, keys.error());
    jose::VerifyOptions options;
    options.now = *iat;
    options.issuer = ctx.issuer();
    options.audience = *aud;
    if (!jose::verify_jwt(*hint, (*keys)->lookup_at(ctx.now()), options)) {
      return error_page(ctx, req, "oidc.error.logout");
    }
    if (client_id && *client_id != *aud) return error_page(ctx, req, "oidc.error.logout");
    client_id = *aud;
  }
  if (client_id) {
    auto found = ctx.id().clients->find(*client_id);
    if (!found) return ctx.id().errors.error_response(req, found.error());
    if (!found->has_value()) return error_page(ctx, req, "oidc.error.logout");
    out.client = std::move(**found);
  }
  if (const auto uri = params.get("post_logout_redirect_uri"); uri && !uri->empty()) {
    // §3: only a URI registered for the client, compared exactly; without a known client no
    // redirect at all.
    if (!out.client || !out.client->has_post_logout_redirect_uri(*uri)) {
      return error_page(ctx, req, "oidc.error.logout");
    }
    out.post_logout_redirect_uri = std::string(*uri);
  }
  if (const auto state = params.get("state"); state && !state->empty()) {
    if (state->size() > oidc::kMaxStateBytes) return error_page(ctx, req, "oidc.error.logout");
    out.state = std::string(*state);
  }
  if (const auto ui = params.get("ui_locales")) {
    if (ui->starts_with("en")) req.locale = "en";
    if (ui->starts_with("es")) req.locale = "es-MX";
  }
  return out;
}

http::Response finished(const OidcContext& ctx, http::Request& req, const LogoutRequest& r) {
  if (r.post_logout_redirect_uri) {
    std::vector<std::pair<std::string, std::string>> params;
    if (r.state) params.emplace_back("state", *r.state);
    return http::Response::redirect(oidc::redirect_with(*r.post_logout_redirect_uri, params));
  }
  return ctx.id().renderer.render_page(req, "oidc/logged_out", web::View{web::View::type::object},
                                       {.title_key = "oidc.logout.done_title"});
}

http::Response logout_page(const OidcContext& ctx, http::Request& req, bool post) {
  const auto& params = post ? req.form() : req.query();
  if (!params) return error_page(ctx, req, "oidc.error.malformed");
  auto read = read_request(ctx, req, *params);
  if (auto* res = std::get_if<http::Response>(&read)) return std::move(*res);
  const auto& r = std::get<LogoutRequest>(read);
  auto who = signed_in(req, ctx.id().db, ctx.now());
  if (!who) return ctx.id().errors.error_response(req, who.error());
  if (!*who) return finished(ctx, req, r);  // nobody to sign out here
  web::View view{web::View::type::object};
  view.set("csrf", req.csrf_token);
  if (r.client) {
    view.set("client", r.client->name);
    view.set("client_id", r.client->client_id);
  }
  if (r.post_logout_redirect_uri) view.set("uri", *r.post_logout_redirect_uri);
  if (r.state) view.set("state", *r.state);
  auto res =
      ctx.id().renderer.render_page(req, "oidc/logout", view, {.title_key = "oidc.logout.title"});
  if (r.post_logout_redirect_uri) {
    res.headers.set("Content-Security-Policy",
                    csp_allowing_form_target(*r.post_logout_redirect_uri));
  }
  res.headers.set("Cache-Control", "no-store");
  return res;
}

// Signs a logout token for every client of this login that asked for one and queues it.
Status queue_backchannel(const OidcContext& ctx, soci::session& sql, const SignedIn& who) {
  auto grants = AuthorizationCodeStore::for_login(sql, who.login.id);
  if (!grants) return fail(grants.error());
  std::set<std::string> done;
  const std::int64_t now = ctx.now();
  for (const auto& g : *grants) {
    if (!done.insert(g.client_id).second) continue;
    auto client = ClientStore::find(sql, g.client_id);
    if (!client) return fail(client.error());
    if (!client->has_value() || !(*client)->backchannel_logout_uri) continue;
    auto token = sign(ctx,
                      oidc::logout_token_claims(ctx.issuer(), g.client_id, who.account.subject,
                                                oidc::session_id_for(who.login.id),
                                                crypto::random_token(16), now),
                      "logout+jwt");
    if (!token) return fail(token.error());
    boost::json::object payload;
    payload["uri"] = *(*client)->backchannel_logout_uri;
    payload["logout_token"] = *token;
    payload["client_id"] = g.client_id;
    auto queued = jobs::JobQueue::enqueue(sql, kBackchannelLogoutJob,
                                          boost::json::serialize(payload), {.max_attempts = 5});
    if (!queued) return fail(queued.error());
  }
  return {};
}

// POST /oidc/logout/confirmar (CSRF-checked).
http::Response logout_confirm(const OidcContext& ctx, http::Request& req) {
  const auto& form = req.form();
  if (!form) return error_page(ctx, req, "oidc.error.malformed");
  auto read = read_request(ctx, req, *form);
  if (auto* res = std::get_if<http::Response>(&read)) return std::move(*res);
  const auto& r = std::get<LogoutRequest>(read);
  auto who = signed_in(req, ctx.id().db, ctx.now());
  if (!who) return ctx.id().errors.error_response(req, who.error());
  if (*who) {
    const Status queued = ctx.id().db.transaction(
        [&](soci::session& sql) -> Status { return queue_backchannel(ctx, sql, **who); });
    if (!queued) return ctx.id().errors.error_response(req, queued.error());
    if (Status ended = end_login(req, ctx.id().db, ctx.now()); !ended) {
      return ctx.id().errors.error_response(req, ended.error());
    }
  }
  return finished(ctx, req, r);
}

}  // namespace

void add_logout_routes(http::Router& router, Ctx ctx) {
  router.get(std::string(oidc::kLogoutPath),
             [ctx](http::Request& req) { return logout_page(*ctx, req, false); });
  // RP-Initiated Logout §2: POST too, from the relying party's own page (so without our CSRF
  // token); it only shows the confirmation.
  router.post(std::string(oidc::kLogoutPath),
              [ctx](http::Request& req) { return logout_page(*ctx, req, true); },
              {.csrf_exempt = true, .max_body_bytes = 32 * 1024});
  router.post(std::string(kConfirmPath),
              [ctx](http::Request& req) { return logout_confirm(*ctx, req); });
}

}  // namespace zocalo::identity::oidc_routes
