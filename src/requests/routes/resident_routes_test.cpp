// The resident's pages through the router as src/app wires it, on a demo-seeded database of
// each dialect: the form with JavaScript off (every step a plain GET or POST), errors next to
// their fields with nothing stored, duplicates offered, the public page without personal data,
// following, "my requests", the list's filters, and the reporter's reopen.
#include "requests/routes/resident_routes.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "db_fixture.hpp"
#include "identity/resident.hpp"
#include "identity/store/account_store.hpp"
#include "platform/core/crypto.hpp"
#include "platform/core/time.hpp"
#include "platform/http/form.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/locale.hpp"
#include "platform/web/renderer.hpp"
#include "platform/web/session_store.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/requests.hpp"
#include "requests/store/area_locator.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/request_store.hpp"

namespace zocalo::requests {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

class ResidentRoutesTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    auto loaded = web::Renderer::load();
    ASSERT_TRUE(loaded) << loaded.error().detail;
    renderer_ = std::move(*loaded);
    errors_ = std::make_unique<web::ErrorPages>(*renderer_);
    sessions_ = std::make_unique<web::DbSessionStore>(db());
    router_ = std::make_unique<http::Router>();
    router_->use(web::locale_middleware(renderer_->locales()));
    router_->set_fallback(errors_->fallback());
    RequestsOptions options;
    options.base_url = "https://311.example.mx";
    options.contact = "ADIP";
    options.renderer = renderer_.get();
    ASSERT_TRUE(register_routes(*router_, db(), *errors_, options));
    router_->finalize();
  }

  http::Response send(http::Method method, const std::string& target, const Fields& fields = {},
                      const std::string& session = "") {
    http::Request req;
    req.method = method;
    req.target = target;
    const auto q = target.find('?');
    req.path = target.substr(0, q);
    req.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
    req.session = session.empty() ? http::Session(crypto::random_token(32), true, sessions_.get())
                                  : http::Session(session, false, sessions_.get());
    if (method == http::Method::kPost) {
      req.headers.set("Content-Type", "application/x-www-form-urlencoded");
      for (const auto& [name, value] : fields) {
        if (!req.body.empty()) req.body += '&';
        req.body += http::percent_encode(name) + "=" + http::percent_encode(value);
      }
    }
    http::Response res = router_->dispatch(req);
    req.session.commit();
    last_session_ = req.session.id();
    return res;
  }
  http::Response get(const std::string& target, const std::string& session = "") {
    return send(http::Method::kGet, target, {}, session);
  }
  http::Response post(const std::string& target, const Fields& fields,
                      const std::string& session = "") {
    return send(http::Method::kPost, target, fields, session);
  }

  long long stored() {
    long long n = 0;
    db().with_session(
        [&](soci::session& sql) { sql << "SELECT COUNT(*) FROM service_requests", soci::into(n); });
    return n;
  }

  // A browser session signed in as a new resident.
  std::string signed_in_session(const std::string& email) {
    identity::NewAccount a;
    a.email = email;
    a.given_name = "Ana";
    auto account = identity::AccountStore(db()).create(a, time::now_unix());
    EXPECT_TRUE(account);
    http::Request req;
    req.remote_addr = "198.51.100.4";
    req.session = http::Session(crypto::random_token(32), true, sessions_.get());
    EXPECT_TRUE(identity::start_login(req, db(), *account, "pwd", {}, time::now_unix()));
    req.session.commit();
    return req.session.id();
  }

  static std::string folio_from(const http::Response& res) {
    const std::string location(res.headers.get("Location").value_or(""));
    return location.substr(location.rfind('/') + 1);
  }

  Fields pothole(const std::string& lat, const std::string& lon) {
    return {{"servicio", "bache"},
            {"lat", lat},
            {"lon", lon},
            {"descripcion", "Bache grande frente al número 10"},
            {"attribute[ubicacion]", "arroyo"},
            {"correo", "vecina@example.org"}};
  }

  std::string last_session_;

 private:
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::ErrorPages> errors_;
  std::unique_ptr<web::DbSessionStore> sessions_;
  std::unique_ptr<http::Router> router_;
};

TEST_P(ResidentRoutesTest, TheFormAsksForTheServiceThenItsQuestions) {
  const http::Response first = get("/reportes/nuevo");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_NE(first.body.find("<optgroup"), std::string::npos);
  EXPECT_NE(first.body.find("value=\"bache\""), std::string::npos);
  EXPECT_EQ(first.body.find("<script"), std::string::npos);
  const http::Response second = get("/reportes/nuevo?servicio=tiradero-clandestino");
  ASSERT_EQ(second.status, 200);
  EXPECT_NE(second.body.find("name=\"attribute[residuos][]\""), std::string::npos);
  EXPECT_NE(second.body.find("type=\"checkbox\""), std::string::npos);
  EXPECT_NE(second.body.find("name=\"alcaldia\""), std::string::npos);
  EXPECT_NE(second.body.find("Iztapalapa"), std::string::npos);
  EXPECT_EQ(get("/reportes/nuevo?servicio=no-existe").status, 404);
}

TEST_P(ResidentRoutesTest, AnAnonymousReportIsFiledAndItsPageShowsNoPersonalData) {
  const http::Response res = post("/reportes/nuevo", pothole("19.4326", "-99.1332"));
  ASSERT_EQ(res.status, 303) << res.body;
  const std::string folio = folio_from(res);
  ASSERT_EQ(folio.size(), 8u);
  EXPECT_EQ(stored(), 1);
  const http::Response page = get("/reportes/" + folio, last_session_);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find(folio.substr(0, 4) + "-" + folio.substr(4)), std::string::npos);
  EXPECT_NE(page.body.find("role=\"status\""), std::string::npos);  // "we received it"
  EXPECT_NE(page.body.find("Cuauhtémoc"), std::string::npos);
  EXPECT_EQ(page.body.find("vecina@example.org"), std::string::npos);
  // Nothing the request lacks is announced: no agency note yet, no empty history text.
  EXPECT_EQ(page.body.find("Nota de la dependencia"), std::string::npos);
  EXPECT_EQ(page.body.find("Recibido:"), std::string::npos);
  // The folio is read as typed: lower case and with its dash.
  std::string typed = folio.substr(0, 4) + "-" + folio.substr(4);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(get("/reportes/" + typed).status, 200);
  EXPECT_EQ(get("/reportes/ZZZZZZZZ").status, 404);
}

TEST_P(ResidentRoutesTest, HostileInputIsRefusedNextToItsFieldAndNothingIsStored) {
  Fields long_text = pothole("19.4326", "-99.1332");
  long_text[3].second = std::string(4'001, 'a');
  Fields bad_choice = pothole("19.4326", "-99.1332");
  bad_choice[4].second = "en-la-luna";
  const std::vector<Fields> cases = {
      long_text,
      bad_choice,
      pothole("95", "-99.1332"),
      pothole("19.4326", "1e3"),
      pothole("NaN", "-99.1332"),
      pothole("25.6866", "-100.3161"),  // Monterrey: outside the city
      {{"servicio", "bache"}, {"descripcion", "sin lugar"}, {"attribute[ubicacion]", "arroyo"}},
      {{"servicio", "no-existe"}, {"descripcion", "x"}},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const http::Response res = post("/reportes/nuevo", cases[i]);
    EXPECT_EQ(res.status, 400) << i;
    EXPECT_NE(res.body.find("class=\"alert\""), std::string::npos) << i;
  }
  Fields markup = pothole("19.4326", "-99.1332");
  markup[3].second = std::string(4'001, 'a');
  markup[5].second = "<script>alert(1)</script>@x.mx";
  markup.push_back({"nombre", "<b>Ana</b>"});
  markup.push_back({"direccion", "Calle '); DROP TABLE service_requests;-- <img src=x>"});
  const http::Response res = post("/reportes/nuevo", markup);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(res.body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(res.body.find("<img src=x>"), std::string::npos);
  EXPECT_NE(res.body.find("&lt;img src=x&gt;"), std::string::npos);  // input kept, escaped
  EXPECT_NE(res.body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_EQ(stored(), 0);
}

TEST_P(ResidentRoutesTest, AnAddressWithAnAlcaldiaIsEnoughAndMarkupIsShownEscaped) {
  const http::Response res = post("/reportes/nuevo", {{"servicio", "banqueta-danada"},
                                                      {"alcaldia", "09007"},
                                                      {"direccion", "Av. Tláhuac 100 <b>"},
                                                      {"descripcion", "<i>rota</i>"}});
  ASSERT_EQ(res.status, 303) << res.body;
  const http::Response page = get("/reportes/" + folio_from(res));
  EXPECT_NE(page.body.find("Av. Tláhuac 100 &lt;b&gt;, Iztapalapa"), std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("&lt;i&gt;rota&lt;/i&gt;"), std::string::npos);
}

TEST_P(ResidentRoutesTest, DuplicatesAreOfferedAndASignedInResidentFollowsOne) {
  const http::Response first = post("/reportes/nuevo", pothole("19.4326", "-99.1332"));
  ASSERT_EQ(first.status, 303);
  const std::string folio = folio_from(first);
  // 20 m north: offered, nothing stored yet.
  const http::Response offered = post("/reportes/nuevo", pothole("19.43278", "-99.1332"));
  ASSERT_EQ(offered.status, 200) << offered.body;
  EXPECT_NE(offered.body.find("/reportes/" + folio), std::string::npos);
  EXPECT_NE(offered.body.find("name=\"confirmar\" value=\"1\""), std::string::npos);
  EXPECT_EQ(stored(), 1);
  Fields anyway = pothole("19.43278", "-99.1332");
  anyway.push_back({"confirmar", "1"});
  EXPECT_EQ(post("/reportes/nuevo", anyway).status, 303);
  EXPECT_EQ(stored(), 2);

  const std::string session = signed_in_session("ana@example.mx");
  EXPECT_EQ(post("/reportes/" + folio + "/seguir", {}).status, 303);  // to sign in
  const http::Response follow = post("/reportes/" + folio + "/seguir", {}, session);
  ASSERT_EQ(follow.status, 303);
  EXPECT_EQ(follow.headers.get("Location").value_or(""), "/reportes/" + folio);
  const http::Response mine = get("/reportes/mios", session);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_NE(mine.body.find("/reportes/" + folio), std::string::npos);
  EXPECT_EQ(get("/reportes/mios").status, 303);

  // A signed-in resident's report is linked to the account and listed as theirs.
  const http::Response own = post("/reportes/nuevo",
                                  {{"servicio", "banqueta-danada"},
                                   {"alcaldia", "09007"},
                                   {"direccion", "Ermita 5"},
                                   {"descripcion", "Rota"}},
                                  session);
  ASSERT_EQ(own.status, 303);
  EXPECT_NE(get("/reportes/mios", session).body.find("/reportes/" + folio_from(own)),
            std::string::npos);
}

TEST_P(ResidentRoutesTest, TheReporterReopensAClosedRequest) {
  const std::string session = signed_in_session("ana@example.mx");
  const http::Response res = post("/reportes/nuevo",
                                  {{"servicio", "banqueta-danada"},
                                   {"alcaldia", "09007"},
                                   {"direccion", "Ermita 5"},
                                   {"descripcion", "Rota"}},
                                  session);
  ASSERT_EQ(res.status, 303);
  const std::string folio = folio_from(res);
  EXPECT_EQ(post("/reportes/" + folio + "/reabrir", {}, session).status, 409);  // still open
  AreaLocator areas(db());
  ASSERT_TRUE(RequestStore(db(), areas)
                  .add_update({.folio = folio,
                               .status = RequestStatus::kFixed,
                               .actor = StatusActor::kStaff,
                               .actor_name = "staff:1",
                               .now = time::now_unix()}));
  const http::Response page = get("/reportes/" + folio, session);
  EXPECT_NE(page.body.find("/reportes/" + folio + "/reabrir"), std::string::npos);
  EXPECT_EQ(get("/reportes/" + folio).body.find("/reabrir"), std::string::npos);  // stranger
  EXPECT_EQ(post("/reportes/" + folio + "/reabrir", {}).status, 403);
  const http::Response reopened =
      post("/reportes/" + folio + "/reabrir", {{"nota", "Sigue rota"}}, session);
  ASSERT_EQ(reopened.status, 303) << reopened.body;
  const http::Response after = get("/reportes/" + folio, session);
  EXPECT_NE(after.body.find("Sigue rota"), std::string::npos);
  EXPECT_NE(after.body.find("Reabierto"), std::string::npos);
}

TEST_P(ResidentRoutesTest, ThePublicListFiltersAndRefusesUnknownValues) {
  ASSERT_EQ(post("/reportes/nuevo", pothole("19.4326", "-99.1332")).status, 303);
  ASSERT_EQ(post("/reportes/nuevo", {{"servicio", "banqueta-danada"},
                                     {"alcaldia", "09007"},
                                     {"direccion", "Ermita 5"},
                                     {"descripcion", "Rota"}})
                .status,
            303);
  const http::Response all = get("/reportes");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.body.find("vecina@example.org"), std::string::npos);
  const http::Response iztapalapa = get("/reportes?alcaldia=09007&estado=open");
  ASSERT_EQ(iztapalapa.status, 200);
  EXPECT_NE(iztapalapa.body.find("Ermita 5"), std::string::npos);
  EXPECT_EQ(iztapalapa.body.find("Cuauhtémoc ·"), std::string::npos);
  for (const char* bad :
       {"/reportes?estado=perdido", "/reportes?servicio=%3Cx%3E", "/reportes?alcaldia=99999",
        "/reportes?pagina=0", "/reportes?pagina=abc"}) {
    EXPECT_EQ(get(bad).status, 400) << bad;
  }
}

ZOCALO_INSTANTIATE_DB_TEST(ResidentRoutesTest);

}  // namespace
}  // namespace zocalo::requests
