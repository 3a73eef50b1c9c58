// Mi Llave and the staff account pages, through the real router with the middleware the server
// runs (locale, database-backed sessions, CSRF), on both databases. Residents sign in through
// identity::start_login, as the sign-in page does after every factor passed; each "browser"
// keeps its cookies between requests.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <regex>
#include <string>

#include "identity/identity.hpp"
#include "identity/resident.hpp"
#include "identity/routes/mi_llave_views.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/signing_key_store.hpp"
#include "identity/store/staff_role_store.hpp"
#include "platform/core/crypto.hpp"
#include "platform/core/log.hpp"
#include "platform/http/gzip.hpp"
#include "web_fixture.hpp"

namespace zocalo::identity {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;  // 2026-09-21
constexpr const char* kFirefoxWindows =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
constexpr const char* kSafariIphone =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
// Valid CURPs (check digits computed by model/curp's rule).
constexpr const char* kCurpAna = "GOLA900517MDFNPN02";

using testing::Browser;
using testing::contains;
using testing::csrf_of;
using testing::kChromeAndroid;
using testing::location;

class MiLlavePagesTest : public testing::WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(SigningKeyStore(db(), *kek_).ensure_keys(kNow, 3600));
    IdentityOptions o;
    o.key_encryption = kek_;
    o.issuer = "http://127.0.0.1";
    o.password_hashing = Argon2idParams{.opslimit = 1, .memlimit = 8192};
    o.clock = [this] { return now_; };
    auto st = register_routes(router_, db(), *renderer_, *errors_, std::move(o));
    ASSERT_TRUE(st) << st.error().detail;
    router_.finalize();
    ASSERT_TRUE(db().transaction([](soci::session& sql) -> Status {
      sql << "INSERT INTO agencies (code, name_es, name_en, kind) VALUES "
             "('sobse', 'Secretaría de Obras', 'Public Works', 'city')";
      return {};
    }));
  }

  Account make_account(const std::string& email, const std::string& given,
                       const std::string& family, int level,
                       std::optional<std::string> curp = std::nullopt,
                       std::optional<std::string> phone = std::nullopt) {
    NewAccount n;
    n.email = email;
    n.phone = phone;
    n.given_name = given;
    n.family_name = family;
    n.curp = curp;
    Account out;
    const Status st = db().transaction([&](soci::session& sql) -> Status {
      auto a = AccountStore::create(sql, n, now_);
      if (!a) return fail(a.error());
      if (level >= 1) {
        if (auto s = AccountStore::set_email_verified(sql, a->id, now_); !s) return s;
      }
      if (level >= 2) {
        if (auto s = AccountStore::set_curp_validated(sql, a->id, *curp, now_); !s) return s;
      }
      out = *a;
      return {};
    });
    EXPECT_TRUE(st) << st.error().detail;
    return *AccountStore(db()).find_by_id(out.id).value();
  }

  void grant(long long account_id, Role role, std::optional<long long> agency = std::nullopt) {
    const Status st = db().transaction([&](soci::session& sql) -> Status {
      return StaffRoleStore::grant(sql, account_id, RoleGrant{role, agency}, account_id, now_);
    });
    ASSERT_TRUE(st) << st.error().detail;
  }

  // A browser signed in as `account`, as the sign-in page leaves it.
  Browser sign_in(const Account& account, const std::string& user_agent = kChromeAndroid) {
    return browser_with_session(
        [&](http::Request& req) {
          auto login = start_login(req, db(), account, "pwd", NewLoginSession{}, now_);
          EXPECT_TRUE(login) << login.error().detail;
        },
        user_agent);
  }

  Account reload(long long id) { return *AccountStore(db()).find_by_id(id).value(); }

  std::vector<AuditRecord> audit(long long id) {
    return AuditLog(db()).list_for_account(id, 100).value();
  }

  std::int64_t now_ = kNow;
  std::shared_ptr<const KeyEncryption> kek_ =
      std::make_shared<const KeyEncryption>(crypto::random_bytes(32));
};

TEST_P(MiLlavePagesTest, SignedOutBrowsersAreSentToSignInWithTheirWayBack) {
  Browser anon;
  for (const std::string path : {"/mi-llave", "/mi-llave/sesiones", "/mi-llave/actividad",
                                 "/admin/cuentas", "/admin/cuentas/1"}) {
    const auto res = get(anon, path);
    EXPECT_EQ(res.status, 303) << path;
    EXPECT_EQ(location(res), "/llave/entrar?siguiente=" + http::percent_encode(path)) << path;
  }
}

TEST_P(MiLlavePagesTest, ProfileShowsDetailsVerifiedMarksLevelAndLinks) {
  const Account ana =
      make_account("ana@example.mx", "Ana", "González López", 2, kCurpAna, "+525512345678");
  Browser b = sign_in(ana);
  const auto res = get(b, "/mi-llave");
  ASSERT_EQ(res.status, 200);
  EXPECT_TRUE(contains(res.body, "<html lang=\"es-MX\">"));
  EXPECT_TRUE(contains(res.body, "Ana González López"));
  EXPECT_TRUE(contains(res.body, kCurpAna));
  EXPECT_TRUE(contains(res.body, "ana@example.mx · <strong>Verificado</strong>"));
  EXPECT_TRUE(contains(res.body, "+525512345678 · Sin verificar"));
  EXPECT_TRUE(contains(res.body, "<strong>Nivel 2.</strong>"));
  for (const char* link : {"/mi-llave/seguridad", "/mi-llave/sesiones", "/mi-llave/actividad",
                           "/mi-llave/servicios"}) {
    EXPECT_TRUE(contains(res.body, std::string("href=\"") + link + "\"")) << link;
  }
  // Names are bound to the validated CURP: the form has no name fields.
  EXPECT_FALSE(contains(res.body, "name=\"given_name\""));
  b.language = "en";
  const auto en = get(b, "/mi-llave");
  EXPECT_TRUE(contains(en.body, "<html lang=\"en\">"));
  EXPECT_TRUE(contains(en.body, "The city confirmed your CURP"));
}

TEST_P(MiLlavePagesTest, ProfileEditStoresAnOidcAddressAndIsAudited) {
  const Account a = make_account("luis@example.mx", "Luis", "Pérez", 1);
  Browser b = sign_in(a);
  const auto res = post(b, "/mi-llave", "/mi-llave",
                        {{"given_name", " Luis Alberto "},
                         {"family_name", "Pérez Núñez"},
                         {"birth_date", "1988-02-29"},
                         {"street", "Av. Álvaro Obregón 120"},
                         {"colonia", "Roma Norte"},
                         {"municipality", "Cuauhtémoc"},
                         {"postal_code", "06700"},
                         {"state", "Ciudad de México"}});
  ASSERT_EQ(res.status, 303) << res.body;
  EXPECT_EQ(location(res), "/mi-llave#guardado");
  const Account after = reload(a.id);
  EXPECT_EQ(after.given_name, "Luis Alberto");
  EXPECT_EQ(after.family_name, "Pérez Núñez");
  EXPECT_EQ(after.birth_date, "1988-02-29");
  ASSERT_TRUE(after.address);
  const auto address = boost::json::parse(*after.address).as_object();
  EXPECT_EQ(address.at("street_address").as_string(), "Av. Álvaro Obregón 120\nRoma Norte");
  EXPECT_EQ(address.at("locality").as_string(), "Cuauhtémoc");
  EXPECT_EQ(address.at("postal_code").as_string(), "06700");
  EXPECT_EQ(address.at("region").as_string(), "Ciudad de México");
  EXPECT_EQ(address.at("country").as_string(), "MX");
  // The search index follows the new name.
  auto found = AccountStore(db()).search("luis alberto perez n", 10);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 1u);
  const auto rows = audit(a.id);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows.front().event.action, "profile.updated");
  EXPECT_EQ(rows.front().event.detail, R"({"fields":["name","birth_date","address"]})");
  const auto page = get(b, "/mi-llave");
  EXPECT_TRUE(contains(page.body, "Guardamos tus datos."));
  EXPECT_TRUE(contains(page.body, "value=\"Roma Norte\""));
  EXPECT_TRUE(contains(page.body, "06700 Cuauhtémoc, Ciudad de México"));
  EXPECT_FALSE(contains(get(b, "/mi-llave").body, "Guardamos tus datos."));  // shown once
}

TEST_P(MiLlavePagesTest, SignUpsFreeTextAddressIsOfferedForCorrection) {
  NewAccount n;
  n.email = "memo@example.mx";
  n.given_name = "Memo";
  n.family_name = "Ríos";
  n.address = R"({"formatted":"Calle Moneda 1\nCentro\nCDMX"})";
  auto created = AccountStore(db()).create(n, now_);
  ASSERT_TRUE(created) << created.error().detail;
  Browser b = sign_in(*created);
  const auto page = get(b, "/mi-llave");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "id=\"street\" name=\"street\" value=\"Calle Moneda 1\""));
  EXPECT_TRUE(contains(page.body, "id=\"colonia\" name=\"colonia\" value=\"Centro CDMX\""));
  EXPECT_TRUE(contains(page.body, "Calle Moneda 1<br>Centro CDMX<br>"));
}

TEST_P(MiLlavePagesTest, ProfileEditRejectsBadInputWithAClearMessageAndChangesNothing) {
  const Account a = make_account("eva@example.mx", "Eva", "Ruiz", 1);
  Browser b = sign_in(a);
  const std::map<std::string, std::pair<std::map<std::string, std::string>, std::string>> cases = {
      {"postal", {{{"postal_code", "0670"}}, "exactamente 5 números"}},
      {"future", {{{"birth_date", "2030-01-01"}}, "fecha real y pasada"}},
      {"impossible", {{{"birth_date", "1990-02-30"}}, "fecha real y pasada"}},
      {"empty name", {{{"given_name", "  "}}, "Escribe tu nombre"}},
      {"newline", {{{"street", "Calle 1\nDROP"}}, "sin saltos de línea"}}};
  for (const auto& [label, c] : cases) {
    std::map<std::string, std::string> fields{{"given_name", "Eva"}, {"family_name", "Ruiz"}};
    for (const auto& [k, v] : c.first) fields[k] = v;
    const auto res = post(b, "/mi-llave", "/mi-llave", {fields.begin(), fields.end()});
    EXPECT_EQ(res.status, 400) << label;
    EXPECT_TRUE(contains(res.body, c.second)) << label;
    EXPECT_TRUE(contains(res.body, "aria-invalid=\"true\"")) << label;
  }
  const Account after = reload(a.id);
  EXPECT_EQ(after.updated_at, a.updated_at);
  EXPECT_FALSE(after.birth_date);
  for (const auto& row : audit(a.id)) EXPECT_NE(row.event.action, "profile.updated");
}

TEST_P(MiLlavePagesTest, BirthDateMustMatchTheCurp) {
  const Account a = make_account("ana@example.mx", "Ana", "González López", 1, kCurpAna);
  Browser b = sign_in(a);
  auto res = post(
      b, "/mi-llave", "/mi-llave",
      {{"given_name", "Ana"}, {"family_name", "González López"}, {"birth_date", "1990-05-18"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_TRUE(contains(res.body, "no coincide con la de tu CURP"));
  res = post(
      b, "/mi-llave", "/mi-llave",
      {{"given_name", "Ana"}, {"family_name", "González López"}, {"birth_date", "1990-05-17"}});
  EXPECT_EQ(res.status, 303);
  EXPECT_EQ(reload(a.id).birth_date, "1990-05-17");
}

TEST_P(MiLlavePagesTest, NameChangeIsRefusedOnceTheCurpIsValidated) {
  const Account a = make_account("ana@example.mx", "Ana", "González López", 2, kCurpAna);
  Browser b = sign_in(a);
  auto res = post(b, "/mi-llave", "/mi-llave",
                  {{"given_name", "Anita"}, {"family_name", "González López"}});
  EXPECT_EQ(res.status, 409);
  EXPECT_TRUE(contains(res.body, "No puedes cambiar tu nombre"));
  EXPECT_EQ(reload(a.id).given_name, "Ana");
  // The rest of the profile still saves (the form sends no names at this level).
  res = post(b, "/mi-llave", "/mi-llave", {{"postal_code", "03100"}});
  EXPECT_EQ(res.status, 303);
  EXPECT_TRUE(contains(*reload(a.id).address, "03100"));
  EXPECT_EQ(reload(a.id).given_name, "Ana");
  // The store keeps the rule too, whatever the page does.
  const Status st = db().transaction([&](soci::session& sql) -> Status {
    return AccountStore::update_profile(sql, a.id, "Otra", "Persona", std::nullopt, std::nullopt,
                                        now_);
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().user_key, "identity.profile.name_locked");
}

TEST_P(MiLlavePagesTest, PostsWithoutTheCsrfTokenAreRejected) {
  const Account a = make_account("eva@example.mx", "Eva", "Ruiz", 2, kCurpAna);
  const Account staff = make_account("admin@cdmx.gob.mx", "Sara", "Admin", 1);
  grant(staff.id, Role::kAdmin);
  Browser b = sign_in(a);
  Browser other = sign_in(a, kFirefoxWindows);
  Browser s = sign_in(staff);
  const std::string id = std::to_string(a.id);
  EXPECT_EQ(send(b, http::Method::kPost, "/mi-llave",
                 "given_name=Eva&family_name=Ruiz&"
                 "postal_code=01000")
                .status,
            403);
  EXPECT_EQ(send(b, http::Method::kPost, "/mi-llave/sesiones/cerrar-otras", "").status, 403);
  EXPECT_EQ(
      send(s, http::Method::kPost, "/admin/cuentas/" + id + "/nivel-3", "documento=ine").status,
      403);
  EXPECT_EQ(send(s, http::Method::kPost, "/admin/cuentas/" + id + "/roles", "rol=admin").status,
            403);
  // A token from another browser's session does not count either.
  const std::string foreign = csrf_of(get(s, "/mi-llave").body);
  EXPECT_EQ(
      send(b, http::Method::kPost, "/mi-llave/sesiones/cerrar-otras", "_csrf=" + foreign).status,
      403);
  EXPECT_FALSE(reload(a.id).address);
  EXPECT_EQ(reload(a.id).loa, LevelOfAssurance::kCurpValidated);
  EXPECT_EQ(get(other, "/mi-llave").status, 200);  // still signed in
  EXPECT_TRUE(StaffRoleStore(db()).roles_of(a.id)->empty());
}

TEST_P(MiLlavePagesTest, SessionsPageNamesDevicesAndSignsOneOut) {
  const Account a = make_account("eva@example.mx", "Eva", "Ruiz", 1);
  Browser phone = sign_in(a, kChromeAndroid);
  now_ += 60;
  Browser laptop = sign_in(a, kFirefoxWindows);
  const auto page = get(phone, "/mi-llave/sesiones");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "Chrome en Android · este dispositivo"));
  EXPECT_TRUE(contains(page.body, "Firefox en Windows"));
  EXPECT_TRUE(contains(page.body, "201.141.3.9"));
  EXPECT_TRUE(contains(page.body, "action=\"/llave/salir\""));
  // Login ids are bearer secrets: never in the page.
  const auto logins = LoginSessionStore(db()).list_alive(a.id, now_).value();
  ASSERT_EQ(logins.size(), 2u);
  for (const auto& login : logins) {
    EXPECT_FALSE(contains(page.body, login.id));
  }
  std::smatch m;
  const std::regex handle_re("name=\"sesion\" value=\"([0-9a-f]{16})\"");
  ASSERT_TRUE(std::regex_search(page.body, m, handle_re));
  const auto res =
      post(phone, "/mi-llave/sesiones", "/mi-llave/sesiones/cerrar", {{"sesion", m[1].str()}});
  ASSERT_EQ(res.status, 303);
  EXPECT_EQ(location(res), "/mi-llave/sesiones");
  EXPECT_TRUE(contains(get(phone, "/mi-llave/sesiones").body, "Cerramos la sesión en ese"));
  EXPECT_EQ(get(phone, "/mi-llave").status, 200);
  const auto signed_out = get(laptop, "/mi-llave");
  EXPECT_EQ(signed_out.status, 303);
  EXPECT_TRUE(location(signed_out).starts_with("/llave/entrar"));
  const auto rows = audit(a.id);
  EXPECT_EQ(rows.front().event.action, "sessions.revoked");
  // An unknown or stale handle changes nothing.
  EXPECT_EQ(post(phone, "/mi-llave/sesiones", "/mi-llave/sesiones/cerrar",
                 {{"sesion", "0123456789abcdef"}})
                .status,
            404);
  EXPECT_EQ(audit(a.id).size(), rows.size());
}

TEST_P(MiLlavePagesTest, SignOutEverywhereElseKeepsThisDevice) {
  const Account a = make_account("eva@example.mx", "Eva", "Ruiz", 1);
  Browser here = sign_in(a, kSafariIphone);
  Browser b2 = sign_in(a, kFirefoxWindows);
  Browser b3 = sign_in(a, kChromeAndroid);
  const auto res = post(here, "/mi-llave/sesiones", "/mi-llave/sesiones/cerrar-otras", {});
  ASSERT_EQ(res.status, 303);
  const auto page = get(here, "/mi-llave/sesiones");
  EXPECT_TRUE(contains(page.body, "Safari en iPhone · este dispositivo"));
  EXPECT_TRUE(contains(page.body, "otros dispositivos: 2."));
  EXPECT_FALSE(contains(page.body, "Firefox"));
  EXPECT_EQ(get(b2, "/mi-llave").status, 303);
  EXPECT_EQ(get(b3, "/mi-llave").status, 303);
  EXPECT_EQ(get(here, "/mi-llave").status, 200);
  EXPECT_EQ(audit(a.id).front().event.detail, R"({"count":2,"scope":"others"})");
}

TEST_P(MiLlavePagesTest, ActivityPagesThroughTheLogNewestFirst) {
  const Account a = make_account("eva@example.mx", "Eva", "Ruiz", 1);
  Browser b = sign_in(a);
  for (int i = 0; i < 30; ++i) {
    now_ += 10;
    sign_in(a, kFirefoxWindows);
  }
  const auto first = get(b, "/mi-llave/actividad");
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(contains(first.body, "Inicio de sesión con contraseña"));
  EXPECT_TRUE(contains(first.body, "desde la IP 201.141.3.9"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(first.body, m,
                                std::regex("href=\"(/mi-llave/actividad\\?antes=[0-9]+)\"")));
  const auto second = get(b, m[1].str());
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(contains(second.body, "Creación de tu cuenta") ||
              contains(second.body, "Confirmaste tu correo") ||
              contains(second.body, "Inicio de sesión"));
  EXPECT_FALSE(contains(second.body, "antes="));  // 31 sign-ins + nothing else: two pages
  EXPECT_EQ(get(b, "/mi-llave/actividad?antes=abc").status, 400);
  EXPECT_EQ(get(b, "/mi-llave/actividad?antes=-1").status, 400);
}

TEST_P(MiLlavePagesTest, ResidentsSeeEveryStaffReadOfTheirDataInWords) {
  const Account eva = make_account("eva@example.mx", "Eva", "Ruiz", 1);
  const Account op = make_account("olga@cdmx.gob.mx", "Olga", "Operadora", 1);
  http::Request at_console;
  at_console.remote_addr = "10.1.2.3";
  ASSERT_TRUE(find_resident(at_console, db(),
                            {.staff_account_id = op.id, .purpose = "311.caller_opened"}, eva.id));
  ASSERT_TRUE(find_resident(at_console, db(),
                            {.staff_account_id = op.id, .purpose = "tramites.revision"}, eva.id));
  Browser b = sign_in(eva);
  const auto page = get(b, "/mi-llave/actividad");
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(
      contains(page.body, "Locatel 311: una persona operadora abrió tus datos de contacto"));
  EXPECT_TRUE(
      contains(page.body, "Personal de la ciudad vio tus datos de contacto (tramites.revision)"));
  EXPECT_TRUE(contains(page.body, "Personal de la ciudad: Olga Operadora"));
  EXPECT_TRUE(contains(page.body, "desde la IP 10.1.2.3"));
  b.language = "en";
  const auto english = get(b, "/mi-llave/actividad");
  EXPECT_TRUE(contains(english.body, "Locatel 311: an operator opened your contact details"));
  EXPECT_TRUE(contains(english.body, "City staff saw your contact details (tramites.revision)"));
}

TEST_P(MiLlavePagesTest, StaffPagesAreForbiddenToResidentsAndAgencyStaff) {
  const Account resident = make_account("eva@example.mx", "Eva", "Ruiz", 1);
  const Account agency = make_account("obras@cdmx.gob.mx", "Raúl", "Obras", 1);
  grant(agency.id, Role::kAgencyStaff, 1);
  for (const Account* who : {&resident, &agency}) {
    Browser b = sign_in(*who);
    EXPECT_EQ(get(b, "/admin/cuentas").status, 403);
    EXPECT_EQ(get(b, "/admin/cuentas/" + std::to_string(resident.id)).status, 403);
    EXPECT_FALSE(contains(get(b, "/mi-llave").body, "href=\"/admin/cuentas\""));
  }
}

TEST_P(MiLlavePagesTest, SearchFindsByCurpEmailPhoneAndNamePrefix) {
  const Account ana =
      make_account("ana@example.mx", "Ana", "González López", 2, kCurpAna, "+525512345678");
  make_account("beto@example.mx", "Alberto", "Núñez", 1);
  const Account op = make_account("op@cdmx.gob.mx", "Olga", "Operadora", 1);
  grant(op.id, Role::kOperator);
  Browser b = sign_in(op);
  const std::string link = "href=\"/admin/cuentas/" + std::to_string(ana.id) + "\"";
  for (const std::string q :
       {"GOLA90", "gola9", "ana@ex", "+52551234", "525512", "ana gon", "Ana González"}) {
    const auto res = get(b, "/admin/cuentas?q=" + http::percent_encode(q));
    ASSERT_EQ(res.status, 200) << q;
    EXPECT_TRUE(contains(res.body, link)) << q;
  }
  const auto nunez = get(b, "/admin/cuentas?q=alberto%20nu");
  EXPECT_TRUE(contains(nunez.body, "Alberto Núñez"));
  EXPECT_FALSE(contains(nunez.body, link));
  const auto none = get(b, "/admin/cuentas?q=zzzz");
  EXPECT_TRUE(contains(none.body, "Ninguna cuenta empieza así"));
  const auto short_q = get(b, "/admin/cuentas?q=a");
  EXPECT_EQ(short_q.status, 400);
  EXPECT_TRUE(contains(short_q.body, "al menos 2 caracteres"));
  EXPECT_TRUE(contains(get(b, "/mi-llave").body, "href=\"/admin/cuentas\""));
  // Operators look people up but record nothing.
  const auto detail = get(b, "/admin/cuentas/" + std::to_string(ana.id));
  ASSERT_EQ(detail.status, 200);
  EXPECT_TRUE(contains(detail.body, "ana@example.mx"));
  EXPECT_FALSE(contains(detail.body, "/nivel-3\""));
  EXPECT_FALSE(contains(detail.body, "/roles\""));
  EXPECT_EQ(post(b, "/mi-llave", "/admin/cuentas/" + std::to_string(ana.id) + "/nivel-3",
                 {{"documento", "ine"}})
                .status,
            403);
  EXPECT_EQ(get(b, "/admin/cuentas/999999").status, 404);
  EXPECT_EQ(get(b, "/admin/cuentas/abc").status, 404);
}

TEST_P(MiLlavePagesTest, VerifierRecordsLevelThreeOnlyOverLevelTwoAndNeverForThemself) {
  const Account low = make_account("low@example.mx", "Lalo", "Bajo", 1);
  const Account ana = make_account("ana@example.mx", "Ana", "González López", 2, kCurpAna);
  const Account v = make_account("vero@cdmx.gob.mx", "Verónica", "Verificadora", 1);
  grant(v.id, Role::kVerifier);
  Browser b = sign_in(v);
  const std::string low_url = "/admin/cuentas/" + std::to_string(low.id);
  const std::string ana_url = "/admin/cuentas/" + std::to_string(ana.id);

  EXPECT_TRUE(contains(get(b, low_url).body, "primero la cuenta necesita el nivel 2"));
  auto res = post(b, "/mi-llave", low_url + "/nivel-3", {{"documento", "ine"}});
  EXPECT_EQ(res.status, 409);
  EXPECT_TRUE(contains(res.body, "primero hay que confirmar su CURP"));
  EXPECT_EQ(reload(low.id).loa, LevelOfAssurance::kContactVerified);

  res = post(b, ana_url, ana_url + "/nivel-3", {{"documento", "numero-123"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_TRUE(contains(res.body, "Elige el tipo de documento"));

  const std::string self_url = "/admin/cuentas/" + std::to_string(v.id);
  EXPECT_TRUE(contains(get(b, self_url).body, "No puedes verificar tu propia identidad"));
  EXPECT_EQ(post(b, "/mi-llave", self_url + "/nivel-3", {{"documento", "ine"}}).status, 409);

  res = post(b, ana_url, ana_url + "/nivel-3", {{"documento", "pasaporte"}});
  ASSERT_EQ(res.status, 303) << res.body;
  const Account after = reload(ana.id);
  EXPECT_EQ(after.loa, LevelOfAssurance::kInPerson);
  EXPECT_EQ(after.loa3_verified_by, v.id);
  EXPECT_EQ(after.loa3_document, "pasaporte");
  const auto detail = get(b, ana_url);
  EXPECT_TRUE(contains(detail.body, "La cuenta subió al nivel 3."));
  EXPECT_TRUE(contains(detail.body, "Verificada en persona por Verónica Verificadora"));
  const auto row = audit(ana.id).front();
  EXPECT_EQ(row.event.action, "loa.raised");
  EXPECT_EQ(row.event.actor_kind, ActorKind::kStaff);
  EXPECT_EQ(row.event.actor_id, std::to_string(v.id));
  EXPECT_EQ(post(b, "/mi-llave", ana_url + "/nivel-3", {{"documento", "ine"}}).status, 409);

  // The resident sees who did it, in both languages.
  Browser resident = sign_in(ana);
  const auto activity = get(resident, "/mi-llave/actividad");
  EXPECT_TRUE(contains(activity.body, "se revisó en persona tu pasaporte"));
  EXPECT_TRUE(contains(activity.body, "Personal de la ciudad: Verónica Verificadora"));
  resident.language = "en";
  EXPECT_TRUE(
      contains(get(resident, "/mi-llave/actividad").body, "City staff: Verónica Verificadora"));
}

TEST_P(MiLlavePagesTest, AdminConfirmsCurpForLevelTwo) {
  const Account a = make_account("luis@example.mx", "Luis", "Pérez", 1, kCurpAna);
  const Account admin = make_account("admin@cdmx.gob.mx", "Sara", "Admin", 1);
  grant(admin.id, Role::kAdmin);
  Browser b = sign_in(admin);
  const std::string url = "/admin/cuentas/" + std::to_string(a.id);
  auto res = post(b, url, url + "/nivel-2", {{"curp", "GOLA900517MDFNPN04"}});
  EXPECT_EQ(res.status, 400);
  EXPECT_TRUE(contains(res.body, "Esa CURP no es válida"));
  res = post(b, url, url + "/nivel-2", {{"curp", kCurpAna}});
  ASSERT_EQ(res.status, 303) << res.body;
  EXPECT_EQ(reload(a.id).loa, LevelOfAssurance::kCurpValidated);
  EXPECT_EQ(audit(a.id).front().event.action, "loa.raised");
  // A verifier may not: level 2 is an admin's call.
  const Account v = make_account("vero@cdmx.gob.mx", "Vero", "V", 1);
  grant(v.id, Role::kVerifier);
  const Account other =
      make_account("otro@example.mx", "Otro", "Residente", 1, "PEXL880229HDFRXS06");
  Browser vb = sign_in(v);
  const std::string other_url = "/admin/cuentas/" + std::to_string(other.id);
  EXPECT_EQ(post(vb, other_url, other_url + "/nivel-2", {{"curp", "PEXL880229HDFRXS06"}}).status,
            403);
  EXPECT_EQ(reload(other.id).loa, LevelOfAssurance::kContactVerified);
}

TEST_P(MiLlavePagesTest, AdminGrantsAndRevokesRolesAndTheResidentSeesIt) {
  const Account a = make_account("raul@cdmx.gob.mx", "Raúl", "Obras", 1);
  const Account admin = make_account("admin@cdmx.gob.mx", "Sara", "Admin", 1);
  grant(admin.id, Role::kAdmin);
  Browser b = sign_in(admin);
  const std::string url = "/admin/cuentas/" + std::to_string(a.id);
  long long agency = 0;
  ASSERT_TRUE(db().read([&](soci::session& sql) -> Status {
    sql << "SELECT id FROM agencies WHERE code = 'sobse'", soci::into(agency);
    return {};
  }));
  // Agency staff needs an agency, and a real one.
  EXPECT_EQ(post(b, url, url + "/roles", {{"rol", "agency_staff"}}).status, 400);
  EXPECT_EQ(
      post(b, url, url + "/roles", {{"rol", "agency_staff"}, {"dependencia", "99999"}}).status,
      400);
  EXPECT_EQ(post(b, url, url + "/roles", {{"rol", "jefe"}}).status, 400);
  auto res = post(b, url, url + "/roles",
                  {{"rol", "agency_staff"}, {"dependencia", std::to_string(agency)}});
  ASSERT_EQ(res.status, 303) << res.body;
  EXPECT_TRUE(StaffRoleStore(db()).roles_of(a.id)->works_for(agency));
  const auto detail = get(b, url);
  EXPECT_TRUE(contains(detail.body, "Personal de una dependencia (Secretaría de Obras)"));
  EXPECT_TRUE(contains(detail.body, "Permiso dado."));

  Browser resident = sign_in(a);
  EXPECT_TRUE(contains(get(resident, "/mi-llave/actividad").body,
                       "Se te dio el permiso de personal: Personal de una dependencia"));

  res = post(b, url, url + "/roles/quitar",
             {{"rol", "agency_staff"}, {"dependencia", std::to_string(agency)}});
  ASSERT_EQ(res.status, 303);
  EXPECT_TRUE(StaffRoleStore(db()).roles_of(a.id)->empty());
  EXPECT_EQ(audit(a.id).front().event.action, "role.revoked");
  EXPECT_EQ(post(b, url, url + "/roles/quitar",
                 {{"rol", "agency_staff"}, {"dependencia", std::to_string(agency)}})
                .status,
            409);
  // Nobody locks the city out by removing their own admin role.
  const std::string self = "/admin/cuentas/" + std::to_string(admin.id);
  EXPECT_EQ(post(b, self, self + "/roles/quitar", {{"rol", "admin"}}).status, 409);
  EXPECT_TRUE(StaffRoleStore(db()).roles_of(admin.id)->is_admin());
  // Only admins grant.
  const Account v = make_account("vero@cdmx.gob.mx", "Vero", "V", 1);
  grant(v.id, Role::kVerifier);
  Browser vb = sign_in(v);
  EXPECT_EQ(post(vb, url, url + "/roles", {{"rol", "admin"}}).status, 403);
  EXPECT_FALSE(StaffRoleStore(db()).roles_of(a.id)->is_admin());
}

TEST_P(MiLlavePagesTest, EveryPageFitsTheFirstRoundTripInBothLanguagesWithoutScript) {
  const Account ana =
      make_account("ana@example.mx", "Ana", "González López", 2, kCurpAna, "+525512345678");
  const Account admin = make_account("admin@cdmx.gob.mx", "Sara", "Admin", 1);
  grant(admin.id, Role::kAdmin);
  Browser resident = sign_in(ana);
  sign_in(ana, kFirefoxWindows);
  Browser staff = sign_in(admin);
  for (int i = 0; i < 30; ++i) sign_in(ana, kSafariIphone);
  for (const std::string lang : {"es-MX", "en"}) {
    resident.language = staff.language = lang;
    const std::vector<std::pair<Browser*, std::string>> pages = {
        {&resident, "/mi-llave"},
        {&resident, "/mi-llave/sesiones"},
        {&resident, "/mi-llave/actividad"},
        {&staff, "/admin/cuentas?q=an"},
        {&staff, "/admin/cuentas/" + std::to_string(ana.id)}};
    for (const auto& [browser, path] : pages) {
      const auto res = get(*browser, path);
      ASSERT_EQ(res.status, 200) << path;
      EXPECT_TRUE(contains(res.body, "<html lang=\"" + lang + "\">")) << path;
      EXPECT_TRUE(contains(res.body, "name=\"viewport\"")) << path;
      EXPECT_FALSE(contains(res.body, "<script")) << path;
      EXPECT_LE(http::gzip_compress(res.body).size(), 14'600u) << path << " " << lang;
    }
  }
}

TEST(MiLlaveViewsTest, UserAgentsInPlainWords) {
  using mi_llave::parse_user_agent;
  EXPECT_EQ(parse_user_agent(kChromeAndroid).browser, "Chrome");
  EXPECT_EQ(parse_user_agent(kChromeAndroid).os, "Android");
  EXPECT_EQ(parse_user_agent(kSafariIphone).browser, "Safari");
  EXPECT_EQ(parse_user_agent(kSafariIphone).os, "iPhone");
  EXPECT_EQ(parse_user_agent(kFirefoxWindows).browser, "Firefox");
  const auto edge = parse_user_agent(
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0");
  EXPECT_EQ(edge.browser, "Edge");
  const auto samsung = parse_user_agent(
      "Mozilla/5.0 (Linux; Android 13; SM-A515F) AppleWebKit/537.36 (KHTML, like Gecko) "
      "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36");
  EXPECT_EQ(samsung.browser, "Samsung Internet");
  EXPECT_EQ(parse_user_agent("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 "
                             "(KHTML, like Gecko) Version/17.5 Safari/605.1.15")
                .os,
            "Mac");
  EXPECT_TRUE(parse_user_agent("curl/8.5.0").browser.empty());
}

TEST(MiLlaveViewsTest, MexicoCityTimeIsUtcMinusSixAllYear) {
  EXPECT_EQ(mi_llave::local_time(0), "1969-12-31 18:00");
  EXPECT_EQ(mi_llave::local_time(1'790'000'000), "2026-09-21 08:13");  // no summer time
  EXPECT_EQ(mi_llave::local_date(1'767'247'200), "2026-01-01");        // 06:00 UTC
  EXPECT_EQ(mi_llave::local_date(1'767'247'199), "2025-12-31");
}

TEST(MiLlaveViewsTest, IdsAreStrictPositiveDecimals) {
  EXPECT_EQ(mi_llave::parse_id("12"), 12);
  for (const char* bad : {"", "0", "012", "-1", "+1", "1e3", "12a", "9999999999999999999"}) {
    EXPECT_FALSE(mi_llave::parse_id(bad)) << bad;
  }
  EXPECT_EQ(mi_llave::fill("{{a}} y {{a}} ({{b}})", {{"a", "x"}, {"b", "{{a}}"}}), "x y x ({{a}})");
}

ZOCALO_INSTANTIATE_DB_TEST(MiLlavePagesTest);

}  // namespace
}  // namespace zocalo::identity
