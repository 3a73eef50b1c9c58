// The provider's endpoints in process: the real router, stores, templates and keys on both
// databases, requests dispatched as the server would (without its middleware: the session
// lives in a map, and CSRF is the middleware's business, tested there).
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>

#include "db_fixture.hpp"
#include "identity/identity.hpp"
#include "identity/jose/jwt.hpp"
#include "identity/oidc/pkce.hpp"
#include "identity/oidc/tokens.hpp"
#include "identity/resident.hpp"
#include "identity/routes/oidc_backchannel.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/client_store.hpp"
#include "identity/store/consent_store.hpp"
#include "identity/store/signing_key_store.hpp"
#include "identity/store/staff_role_store.hpp"
#include "platform/core/assets.hpp"
#include "platform/core/crypto.hpp"
#include "platform/http/form.hpp"
#include "platform/http/gzip.hpp"
#include "platform/jobs/job_queue.hpp"

namespace zocalo::identity {
namespace {

constexpr const char* kIssuer = "https://llave.test";
constexpr const char* kRedirect = "https://predial.test/cb";
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

std::string str(const boost::json::value& v) {
  return v.is_string() ? std::string(v.as_string()) : boost::json::serialize(v);
}

std::string location(const http::Response& res) {
  return std::string(res.headers.get("Location").value_or(""));
}

// The site's layout, error pages and static files with the provider's own templates and
// catalogs (and Mi Llave's navigation, which the connected-services page includes): these tests
// exercise the provider, not every other module's pages.
Result<std::unique_ptr<web::Renderer>> provider_renderer() {
  std::vector<assets::File> files;
  for (const auto& f : assets::all()) {
    const std::string_view p = f.path;
    const bool top_catalog = p.starts_with("locale/") && p.find('/', 7) == std::string_view::npos;
    if (p.starts_with("static/") || p.starts_with("templates/layout/") ||
        p.starts_with("templates/errors/") || p.starts_with("templates/oidc/") ||
        p == "templates/mi_llave/_nav.mustache" || top_catalog || p.starts_with("locale/oidc/") ||
        p.starts_with("locale/mi_llave/")) {
      files.push_back(f);
    }
  }
  return web::Renderer::load(files);
}

class MapSessions : public http::SessionBackend {
 public:
  std::optional<http::SessionValues> load(const std::string& id) override {
    auto it = data_.find(id);
    if (it == data_.end()) return std::nullopt;
    return it->second;
  }
  void save(const std::string& id, const http::SessionValues& v) override { data_[id] = v; }
  void destroy(const std::string& id) override { data_.erase(id); }

 private:
  std::map<std::string, http::SessionValues> data_;
};

class OidcRoutesTest : public zocalo::testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto renderer = provider_renderer();
    ASSERT_TRUE(renderer) << renderer.error().detail;
    renderer_ = std::move(*renderer);
    errors_ = std::make_unique<web::ErrorPages>(*renderer_);
    auto kek = std::make_shared<const KeyEncryption>(crypto::random_bytes(32));
    ASSERT_TRUE(SigningKeyStore(db(), *kek).ensure_keys(now_, 3600));
    IdentityOptions options;
    options.key_encryption = kek;
    options.issuer = kIssuer;
    options.password_hashing = Argon2idParams::production();
    options.clock = [this] { return now_; };
    ASSERT_TRUE(register_routes(router_, db(), *renderer_, *errors_, options));
    router_.finalize();
    ClientStore clients(db());
    auto web = clients.add({.client_id = "web",
                            .name = "Predial",
                            .redirect_uris = {kRedirect},
                            .scopes = {"openid", "profile", "email", "offline_access"}},
                           ClientActor{}, now_);
    ASSERT_TRUE(web) << web.error().detail;
    secret_ = *web->secret;
    ASSERT_TRUE(clients.add({.client_id = "backend",
                             .name = "Back end",
                             .scopes = {"requests.read"},
                             .grant_types = {"client_credentials"},
                             .secret = "backend-secret-0123456789"},
                            ClientActor{}, now_));
    NewAccount a;
    a.email = "ana@example.mx";
    a.given_name = "Ana";
    a.family_name = "López";
    auto account = AccountStore(db()).create(a, now_);
    ASSERT_TRUE(account);
    ASSERT_TRUE(db().transaction([&](soci::session& sql) {
      return AccountStore::set_email_verified(sql, account->id, now_);
    }));
    account_ = *AccountStore(db()).find_by_id(account->id).value();
  }

  http::Response send(http::Method method, const std::string& target, std::string body = "",
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::Request req;
    req.method = method;
    req.target = target;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.raw_query = target.substr(q + 1);
    req.body = std::move(body);
    req.remote_addr = "127.0.0.1";
    req.csrf_token = "csrf";
    if (method == http::Method::kPost) {
      req.headers.add("Content-Type", "application/x-www-form-urlencoded");
    }
    for (auto& [k, v] : headers) req.headers.add(k, v);
    req.session = http::Session(session_id_, session_id_.empty(), &sessions_);
    auto res = router_.dispatch(req);
    req.session.commit();
    session_id_ = req.session.id();
    return res;
  }
  http::Response get(const std::string& target) { return send(http::Method::kGet, target); }
  http::Response post(const std::string& target, const std::string& body,
                      std::vector<std::pair<std::string, std::string>> headers = {}) {
    return send(http::Method::kPost, target, body, std::move(headers));
  }

  void sign_in(std::int64_t at) {
    http::Request req;
    session_id_ = crypto::random_token(16);
    req.session = http::Session(session_id_, true, &sessions_);
    ASSERT_TRUE(start_login(req, db(), account_, "pwd", {}, at));
    req.session.commit();
    session_id_ = req.session.id();
  }

  static std::string authorize_url(const std::string& extra = "") {
    return "/oidc/authorize?client_id=web&redirect_uri=" + http::percent_encode(kRedirect) +
           "&response_type=code&scope=openid%20email%20offline_access&state=s1&nonce=n1"
           "&code_challenge=" +
           oidc::s256_challenge(kVerifier) + "&code_challenge_method=S256" + extra;
  }
  static std::string param(const std::string& url, const std::string& name) {
    const auto q = url.find('?');
    auto parsed = http::parse_urlencoded(url.substr(q + 1));
    return parsed ? std::string(parsed->get_or(name, "")) : "";
  }
  static boost::json::object json(const http::Response& res) {
    return boost::json::parse(res.body).as_object();
  }
  std::string basic() const { return "Basic " + crypto::base64url_encode("web:" + secret_); }
  std::string basic_std() const;

  // Signs in, consents and returns the code.
  std::string code_for(const std::string& extra = "") {
    sign_in(now_);
    auto res = get(authorize_url(extra));
    EXPECT_EQ(res.status, 303);
    const std::string consent(res.headers.get("Location").value_or(""));
    EXPECT_TRUE(consent.starts_with("/llave/autorizar?")) << consent;
    auto page = get(consent);
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Predial"), std::string::npos);
    auto decided = post("/llave/autorizar",
                        consent.substr(consent.find('?') + 1) + "&decision=allow&_csrf=csrf");
    EXPECT_EQ(decided.status, 303);
    const std::string back(decided.headers.get("Location").value_or(""));
    EXPECT_TRUE(back.starts_with(std::string(kRedirect) + "?code=")) << back;
    EXPECT_EQ(param(back, "state"), "s1");
    EXPECT_EQ(param(back, "iss"), kIssuer);
    return param(back, "code");
  }
  http::Response exchange(const std::string& code, const std::string& verifier = kVerifier) {
    return post("/oidc/token",
                "grant_type=authorization_code&code=" + code + "&redirect_uri=" +
                    http::percent_encode(kRedirect) + "&code_verifier=" + verifier,
                {{"Authorization", basic_std()}});
  }

  std::int64_t now_ = 1'800'000'000;
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::ErrorPages> errors_;
  http::Router router_;
  MapSessions sessions_;
  std::string session_id_;
  std::string secret_;
  Account account_;
};

// RFC 4648 §4 (standard) base64 for the Basic header.
std::string OidcRoutesTest::basic_std() const {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = "web:" + secret_;
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return "Basic " + out;
}

TEST_P(OidcRoutesTest, DiscoveryNamesTheIssuerExactly) {
  auto res = get("/.well-known/openid-configuration");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(str(json(res).at("issuer")), kIssuer);
  EXPECT_EQ(str(json(res).at("authorization_endpoint")), std::string(kIssuer) + "/oidc/authorize");
}

TEST_P(OidcRoutesTest, UnknownClientOrRedirectGetsAPageNeverARedirect) {
  auto unknown =
      get("/oidc/authorize?client_id=nobody&redirect_uri=https%3A%2F%2Fx.test%2F"
          "&response_type=code&scope=openid");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_FALSE(unknown.headers.get("Location"));
  auto evil =
      get("/oidc/authorize?client_id=web&redirect_uri=https%3A%2F%2Fevil.test%2Fcb"
          "&response_type=code&scope=openid");
  EXPECT_EQ(evil.status, 400);
  EXPECT_FALSE(evil.headers.get("Location"));
  // The page may echo the request (the language switch links to it), but never links out.
  EXPECT_EQ(evil.body.find("href=\"https://evil.test"), std::string::npos);
}

TEST_P(OidcRoutesTest, WithoutASessionSignInOrLoginRequired) {
  auto none = get(authorize_url("&prompt=none"));
  ASSERT_EQ(none.status, 303);
  const std::string to(none.headers.get("Location").value_or(""));
  EXPECT_TRUE(to.starts_with(kRedirect));
  EXPECT_EQ(param(to, "error"), "login_required");
  EXPECT_EQ(param(to, "state"), "s1");

  auto res = get(authorize_url());
  ASSERT_EQ(res.status, 303);
  const std::string sign_in(res.headers.get("Location").value_or(""));
  EXPECT_TRUE(sign_in.starts_with("/llave/entrar?siguiente=%2Foidc%2Fauthorize%3F")) << sign_in;
  EXPECT_TRUE(is_local_path(param(sign_in, "siguiente")));
}

TEST_P(OidcRoutesTest, CodeFlowIssuesVerifiableTokens) {
  const std::string code = code_for();
  auto res = exchange(code);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.headers.get("Cache-Control"), "no-store");
  const auto body = json(res);
  const std::string id_token(body.at("id_token").as_string());
  const std::string access(body.at("access_token").as_string());
  EXPECT_TRUE(body.contains("refresh_token"));

  // Verify with the JWKS the provider publishes, as a relying party would.
  auto jwks = json(get("/.well-known/jwks.json"));
  jose::KeyLookup lookup = [&](std::string_view kid) -> std::optional<jose::SigningKey> {
    for (const auto& k : jwks.at("keys").as_array()) {
      if (k.as_object().at("kid").as_string() == kid) {
        auto key = jose::SigningKey::from_public_jwk(k.as_object());
        if (key) return *key;
      }
    }
    return std::nullopt;
  };
  jose::VerifyOptions options;
  options.now = now_;
  options.issuer = kIssuer;
  options.audience = "web";
  auto claims = jose::verify_jwt(id_token, lookup, options);
  ASSERT_TRUE(claims) << claims.error().detail;
  EXPECT_EQ(str(claims->at("sub")), account_.subject);
  EXPECT_EQ(str(claims->at("nonce")), "n1");
  EXPECT_EQ(str(claims->at("acr")), "urn:zocalo:loa:1");

  auto info =
      send(http::Method::kGet, "/oidc/userinfo", "", {{"Authorization", "Bearer " + access}});
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(str(json(info).at("email")), "ana@example.mx");
  EXPECT_FALSE(json(info).contains("name"));  // profile was not asked for

  // Reuse: refused, and the first access token is no longer active.
  auto again = exchange(code);
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(str(json(again).at("error")), "invalid_grant");
  auto introspected = post("/oidc/introspect", "token=" + access, {{"Authorization", basic_std()}});
  ASSERT_EQ(introspected.status, 200);
  EXPECT_FALSE(json(introspected).at("active").as_bool());
  auto denied =
      send(http::Method::kGet, "/oidc/userinfo", "", {{"Authorization", "Bearer " + access}});
  EXPECT_EQ(denied.status, 401);
  EXPECT_NE(denied.headers.get("WWW-Authenticate").value_or("").find("invalid_token"),
            std::string::npos);
}

TEST_P(OidcRoutesTest, PkceMismatchDoesNotBurnTheCode) {
  const std::string code = code_for();
  auto wrong = exchange(code, std::string(43, 'a'));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(str(json(wrong).at("error")), "invalid_grant");
  EXPECT_EQ(exchange(code).status, 200);
}

TEST_P(OidcRoutesTest, ExpiredCodeIsRefused) {
  const std::string code = code_for();
  now_ += 61;
  EXPECT_EQ(str(json(exchange(code)).at("error")), "invalid_grant");
}

TEST_P(OidcRoutesTest, ClientAuthenticationAndClientCredentials) {
  auto wrong =
      post("/oidc/token", "grant_type=client_credentials&client_id=backend&client_secret=x");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(str(json(wrong).at("error")), "invalid_client");
  EXPECT_TRUE(wrong.headers.get("WWW-Authenticate"));
  auto ok = post(
      "/oidc/token",
      "grant_type=client_credentials&client_id=backend&client_secret=backend-secret-0123456789");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(str(json(ok).at("scope")), "requests.read");
  EXPECT_FALSE(json(ok).contains("refresh_token"));
  auto wider = post("/oidc/token",
                    "grant_type=client_credentials&scope=openid&client_id=backend&"
                    "client_secret=backend-secret-0123456789");
  EXPECT_EQ(str(json(wider).at("error")), "invalid_scope");
  // A client_credentials token names no resident: userinfo refuses it.
  const std::string access(json(ok).at("access_token").as_string());
  EXPECT_EQ(send(http::Method::kGet, "/oidc/userinfo", "", {{"Authorization", "Bearer " + access}})
                .status,
            403);
  auto unsupported =
      post("/oidc/token",
           "grant_type=password&client_id=backend&client_secret=backend-secret-0123456789");
  EXPECT_EQ(str(json(unsupported).at("error")), "unsupported_grant_type");
}

TEST_P(OidcRoutesTest, MaxAgeAndPromptLoginAskForThePasswordAgain) {
  sign_in(now_ - 3600);
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return ConsentStore::grant(sql, account_.id, "web", {"openid", "email", "offline_access"},
                               now_);
  }));
  auto res = get(authorize_url("&max_age=60"));
  ASSERT_EQ(res.status, 303);
  const std::string to(res.headers.get("Location").value_or(""));
  EXPECT_TRUE(to.starts_with("/llave/entrar?")) << to;
  EXPECT_NE(to.find("reautenticar=1"), std::string::npos);
  EXPECT_EQ(param(location(get(authorize_url("&max_age=60&prompt=none"))), "error"),
            "login_required");
  // Remembered consent and a fresh enough sign-in: straight back with a code.
  auto fresh = get(authorize_url("&max_age=7200"));
  EXPECT_TRUE(location(fresh).starts_with(std::string(kRedirect) + "?code="));
}

TEST_P(OidcRoutesTest, AcrAboveTheAccountsLevelIsExplainedOrRefused) {
  sign_in(now_);
  auto none = get(authorize_url("&acr_values=urn%3Azocalo%3Aloa%3A3&prompt=none"));
  EXPECT_EQ(param(location(none), "error"), "unmet_authentication_requirements");
  auto page = get(authorize_url("&acr_values=urn%3Azocalo%3Aloa%3A3"));
  EXPECT_EQ(page.status, 403);
  EXPECT_NE(page.body.find("unmet_authentication_requirements"), std::string::npos);
}

TEST_P(OidcRoutesTest, DenyingConsentAnswersAccessDenied) {
  sign_in(now_);
  auto res = get(authorize_url());
  const std::string consent(res.headers.get("Location").value_or(""));
  auto decided = post("/llave/autorizar", consent.substr(consent.find('?') + 1) + "&decision=deny");
  EXPECT_EQ(param(location(decided), "error"), "access_denied");
}

TEST_P(OidcRoutesTest, LogoutAsksThenEndsTheLoginAndQueuesBackChannelTokens) {
  ASSERT_TRUE(ClientStore(db()).add({.client_id = "bc",
                                     .name = "Back-channel RP",
                                     .redirect_uris = {kRedirect},
                                     .post_logout_redirect_uris = {"https://predial.test/bye"},
                                     .backchannel_logout_uri = "https://predial.test/bc"},
                                    ClientActor{}, now_));
  sign_in(now_);
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return ConsentStore::grant(sql, account_.id, "bc", {"openid"}, now_);
  }));
  auto code = get("/oidc/authorize?client_id=bc&redirect_uri=" + http::percent_encode(kRedirect) +
                  "&response_type=code&scope=openid");
  ASSERT_TRUE(location(code).starts_with(std::string(kRedirect) + "?code=")) << location(code);

  // A bad post_logout_redirect_uri gets a page, not a redirect.
  auto bad = get("/oidc/logout?client_id=bc&post_logout_redirect_uri=https%3A%2F%2Fevil.test%2F");
  EXPECT_EQ(bad.status, 400);
  EXPECT_FALSE(bad.headers.get("Location"));
  // GET only asks.
  auto page = get("/oidc/logout?client_id=bc&post_logout_redirect_uri=" +
                  http::percent_encode("https://predial.test/bye") + "&state=st");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("/oidc/logout/confirmar"), std::string::npos);
  EXPECT_NE(page.headers.get("Content-Security-Policy").value_or("").find("https://predial.test"),
            std::string::npos);
  auto done = post("/oidc/logout/confirmar", "client_id=bc&post_logout_redirect_uri=" +
                                                 http::percent_encode("https://predial.test/bye") +
                                                 "&state=st&_csrf=csrf");
  ASSERT_EQ(done.status, 303);
  EXPECT_EQ(location(done), "https://predial.test/bye?state=st");
  EXPECT_EQ(param(location(get(authorize_url("&prompt=none"))), "error"), "login_required");

  // One job for the client that registered a back-channel URI, carrying a verifiable token.
  std::string payload;
  const std::string kind(kBackchannelLogoutJob);
  ASSERT_TRUE(db().read([&](soci::session& sql) -> Status {
    sql << "SELECT payload FROM jobs WHERE kind = :k", soci::use(kind), soci::into(payload);
    return {};
  }));
  ASSERT_FALSE(payload.empty());
  const auto job = boost::json::parse(payload).as_object();
  EXPECT_EQ(str(job.at("uri")), "https://predial.test/bc");
  auto jwks = json(get("/.well-known/jwks.json"));
  jose::KeyLookup lookup = [&](std::string_view kid) -> std::optional<jose::SigningKey> {
    for (const auto& k : jwks.at("keys").as_array()) {
      if (k.as_object().at("kid").as_string() == kid) {
        if (auto key = jose::SigningKey::from_public_jwk(k.as_object())) return *key;
      }
    }
    return std::nullopt;
  };
  jose::VerifyOptions options;
  options.now = now_;
  options.issuer = kIssuer;
  options.audience = "bc";
  options.typ = "logout+jwt";
  auto claims = jose::verify_jwt(str(job.at("logout_token")), lookup, options);
  ASSERT_TRUE(claims) << claims.error().detail;
  EXPECT_EQ(str(claims->at("sub")), account_.subject);
  EXPECT_TRUE(claims->at("events").as_object().contains(oidc::kBackchannelLogoutEvent));
  EXPECT_FALSE(claims->contains("nonce"));
}

TEST_P(OidcRoutesTest, ConnectedServicesListAndRevoke) {
  const std::string code = code_for();
  const auto tokens = json(exchange(code));
  const std::string refresh(tokens.at("refresh_token").as_string());
  auto page = get("/mi-llave/servicios");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Predial"), std::string::npos);
  auto revoked = post("/mi-llave/servicios/revocar", "client_id=web&_csrf=csrf");
  ASSERT_EQ(revoked.status, 303);
  EXPECT_FALSE(ConsentStore(db()).find(account_.id, "web")->has_value());
  auto introspected =
      post("/oidc/introspect", "token=" + refresh, {{"Authorization", basic_std()}});
  EXPECT_FALSE(json(introspected).at("active").as_bool());
  EXPECT_EQ(post("/mi-llave/servicios/revocar", "client_id=web").status, 404);
}

TEST_P(OidcRoutesTest, OnlyAdministratorsManageClients) {
  sign_in(now_);
  EXPECT_EQ(get("/admin/clientes").status, 403);
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return StaffRoleStore::grant(sql, account_.id, RoleGrant{Role::kAdmin, std::nullopt},
                                 account_.id, now_);
  }));
  auto list = get("/admin/clientes");
  ASSERT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("Predial"), std::string::npos);
  auto added = post("/admin/clientes",
                    "name=Licencias&type=confidential&grant=authorization_code&redirect_uris=" +
                        http::percent_encode("https://licencias.test/cb"));
  ASSERT_EQ(added.status, 200);
  EXPECT_NE(added.body.find("client_secret"), std::string::npos);
  EXPECT_EQ(added.headers.get("Cache-Control"), "no-store");
  auto bad = post("/admin/clientes", "name=X&redirect_uris=http%3A%2F%2Fplain.test%2Fcb");
  EXPECT_EQ(bad.status, 400);
  auto removed = post("/admin/clientes/web/eliminar", "_csrf=csrf");
  EXPECT_EQ(removed.status, 303);
  EXPECT_FALSE(ClientStore(db()).find("web")->has_value());
}

TEST(OidcPagesTest, EveryTemplateRendersInBothLanguagesWithinTheBudget) {
  auto renderer = provider_renderer();
  ASSERT_TRUE(renderer) << renderer.error().detail;
  web::View view{web::View::type::object};
  for (const char* text : {"csrf", "message", "client", "client_id", "uri", "state", "required",
                           "current", "back", "flash", "error"}) {
    view.set(text, std::string(40, 'x'));
  }
  web::View list{web::View::type::list};
  for (int i = 0; i < 10; ++i) {
    web::View item{web::View::type::object};
    for (const char* text : {"name", "value", "text", "client_id", "when", "type", "grants",
                             "scopes", "redirect_uris", "created"}) {
      item.set(text, std::string(60, 'y'));
    }
    list.push_back(item);
  }
  view.set("scopes", list);
  view.set("fields", list);
  view.set("clients", list);
  web::View consents{web::View::type::list};
  web::View consent{web::View::type::object};
  consent.set("name", "Predial");
  consent.set("scopes", list);
  consents.push_back(consent);
  view.set("consents", consents);
  view.set("any", true);
  web::View added{web::View::type::object};
  added.set("client_id", "id");
  added.set("secret", "secret");
  view.set("added", added);
  for (const char* name :
       {"error", "consent", "level", "logout", "logged_out", "services", "admin_clients"}) {
    for (const char* locale : {"es-MX", "en"}) {
      SCOPED_TRACE(std::string(name) + " " + locale);
      http::Request req;
      req.locale = locale;
      const auto res = (*renderer)->render_page(req, std::string("oidc/") + name, view,
                                                {.title_key = "oidc.error.title"});
      EXPECT_EQ(res.status, 200);
      EXPECT_EQ(res.body.find("<script"), std::string::npos);
      EXPECT_EQ(res.body.find("[[oidc."), std::string::npos) << "a catalog key was not found";
      EXPECT_LE(http::gzip_compress(res.body).size(), 14'600u);
    }
  }
}

ZOCALO_INSTANTIATE_DB_TEST(OidcRoutesTest);

}  // namespace
}  // namespace zocalo::identity
