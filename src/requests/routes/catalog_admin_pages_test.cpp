// The 311 admin pages (/admin/servicios, /admin/areas, /admin/enrutamiento) through the real
// router with the middleware the server runs (locale, database sessions, CSRF), on both
// databases: who may see and change them, the forms with their errors, the uploads, and the
// point test answering as intake routes.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "identity/resident.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/staff_role_store.hpp"
#include "platform/core/time.hpp"
#include "platform/http/gzip.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/requests.hpp"
#include "requests/store/area_store.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/inbox_store.hpp"
#include "requests/store/request_store.hpp"
#include "requests/store/routing_store.hpp"
#include "requests/store/service_store.hpp"
#include "web_fixture.hpp"

namespace zocalo::requests {
namespace {

using testing::Browser;
using testing::contains;
using testing::Fields;
using testing::location;

std::string square_feature(const std::string& code, const std::string& name, double lon0,
                           double lat0, double lon1, double lat1) {
  auto p = [](double lon, double lat) {
    return "[" + std::to_string(lon) + "," + std::to_string(lat) + "]";
  };
  return R"({"type":"Feature","properties":{"code":")" + code + R"(","name":")" + name +
         R"("},"geometry":{"type":"Polygon","coordinates":[[)" + p(lon0, lat0) + "," +
         p(lon1, lat0) + "," + p(lon1, lat1) + "," + p(lon0, lat1) + "," + p(lon0, lat0) + "]]}}";
}

class AdminPagesTest : public testing::WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    RequestsOptions o;
    o.base_url = "http://127.0.0.1";
    o.renderer = renderer_.get();
    ASSERT_TRUE(register_routes(router_, db(), *errors_, std::move(o)));
    router_.finalize();
    auto agencies = InboxStore(db()).agencies();
    ASSERT_TRUE(agencies);
    for (const auto& a : *agencies) agency_ids_[a.code] = a.id;
  }

  http::Response upload(Browser& b, const std::string& form_page, const std::string& target,
                        const std::string& filename, const std::string& data,
                        bool replace = false) {
    Fields fields;
    if (replace) fields.emplace_back("reemplazar", "1");
    return WebTest::upload(b, form_page, target, std::move(fields), "archivo", filename, data);
  }

  identity::Account account(const std::string& email) {
    identity::NewAccount n;
    n.email = email;
    n.given_name = "Ana";
    n.family_name = "Pérez";
    identity::Account out;
    const Status st = db().transaction([&](soci::session& sql) -> Status {
      auto a = identity::AccountStore::create(sql, n, time::now_unix());
      if (!a) return fail(a.error());
      out = *a;
      return identity::AccountStore::set_email_verified(sql, a->id, time::now_unix());
    });
    EXPECT_TRUE(st) << st.error().detail;
    return *identity::AccountStore(db()).find_by_id(out.id).value();
  }
  void grant(long long account_id, identity::Role role,
             std::optional<long long> agency = std::nullopt) {
    const Status st = db().transaction([&](soci::session& sql) -> Status {
      return identity::StaffRoleStore::grant(sql, account_id, identity::RoleGrant{role, agency},
                                             account_id, time::now_unix());
    });
    ASSERT_TRUE(st) << st.error().detail;
  }
  Browser sign_in(const identity::Account& a) {
    return browser_with_session([&](http::Request& req) {
      auto login =
          identity::start_login(req, db(), a, "pwd", identity::NewLoginSession{}, time::now_unix());
      EXPECT_TRUE(login) << login.error().detail;
    });
  }
  Browser admin() {
    const auto a = account("admin@example.mx");
    grant(a.id, identity::Role::kAdmin);
    admin_id_ = std::to_string(a.id);
    return sign_in(a);
  }

  // The audit log's staff actions concerning no account (the 311 admin changes), oldest first,
  // as "action detail" after checking each was done by the admin; the chain must still verify.
  std::vector<std::string> admin_changes() {
    std::vector<std::string> out;
    const Status read = db().read([&](soci::session& sql) -> Status {
      std::string actor, action, detail;
      soci::statement st =
          (sql.prepare << "SELECT actor_id, action, detail FROM audit_log "
                          "WHERE account_id IS NULL AND actor_kind = 'staff' ORDER BY id",
           soci::into(actor), soci::into(action), soci::into(detail));
      st.execute();
      while (st.fetch()) {
        EXPECT_EQ(actor, admin_id_) << action;
        out.push_back(action + " " + detail);
      }
      return {};
    });
    EXPECT_TRUE(read);
    auto chain = identity::AuditLog(db()).verify();
    EXPECT_TRUE(chain && chain->ok);
    return out;
  }

  std::string admin_id_;
  std::map<std::string, long long> agency_ids_;
};

const char* const kPages[] = {"/admin/servicios", "/admin/areas", "/admin/enrutamiento"};

TEST_P(AdminPagesTest, SignedOutAreSentToSignInOthersGet403StaffMayOnlyLook) {
  Browser nobody;
  for (const char* path : kPages) {
    const http::Response res = get(nobody, path);
    EXPECT_EQ(res.status, 303) << path;
    EXPECT_TRUE(location(res).starts_with("/llave/entrar?siguiente=")) << path;
  }
  Browser resident = sign_in(account("vecina@example.mx"));
  const auto op = account("op@example.mx");
  grant(op.id, identity::Role::kOperator);
  Browser operator_browser = sign_in(op);
  for (const char* path : kPages) {
    EXPECT_EQ(get(resident, path).status, 403) << path;
    EXPECT_EQ(get(operator_browser, path).status, 403) << path;
  }
  const auto staff = account("staff@example.mx");
  grant(staff.id, identity::Role::kAgencyStaff, agency_ids_.at("sobse"));
  Browser staff_browser = sign_in(staff);
  for (const char* path : kPages) {
    const http::Response res = get(staff_browser, path);
    EXPECT_EQ(res.status, 200) << path;
    EXPECT_FALSE(contains(res.body, "method=\"post\"")) << path << ": no forms to change";
  }
  // Staff posting anyway (with a valid CSRF token) is refused and changes nothing.
  const http::Response refused = post(staff_browser, "/admin/servicios", "/admin/servicios/estado",
                                      {{"codigo", "bache"}, {"activo", "0"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_TRUE((*ServiceStore(db()).find("bache"))->active);
  EXPECT_EQ(post(staff_browser, "/admin/enrutamiento", "/admin/enrutamiento",
                 {{"servicio", "*"}, {"alcaldia", "*"}, {"dependencia", "sobse"}})
                .status,
            403);
  EXPECT_TRUE(RoutingStore(db()).list()->empty());
}

TEST_P(AdminPagesTest, AdminCreatesEditsAndDeactivatesAServiceWithAttributes) {
  Browser b = admin();
  const http::Response list = get(b, "/admin/servicios");
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(contains(list.body, "bache"));
  EXPECT_LE(http::gzip_compress(list.body).size(), 14u * 1024);
  const http::Response saved = post(b, "/admin/servicios", "/admin/servicios",
                                    {{"codigo", "banqueta-rota"},
                                     {"nombre_es", "Banqueta rota"},
                                     {"nombre_en", "Broken sidewalk"},
                                     {"grupo_es", "Calles"},
                                     {"palabras", "banqueta, acera, sidewalk"},
                                     {"dependencia", "sobse"},
                                     {"sla", "48"},
                                     {"tipo", "realtime"},
                                     {"orden", "5"},
                                     {"activo", "1"},
                                     {"filas", "3"},
                                     {"a0_codigo", "tamano"},
                                     {"a0_tipo", "singlevaluelist"},
                                     {"a0_requerido", "1"},
                                     {"a0_orden", "1"},
                                     {"a0_descripcion", "¿De qué tamaño?"},
                                     {"a0_valores", "chico=Chico\ngrande=Grande\n"},
                                     {"a1_codigo", ""},
                                     {"a2_codigo", "referencia"},
                                     {"a2_tipo", "string"},
                                     {"a2_descripcion", "Entre qué calles"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  auto found = ServiceStore(db()).find("banqueta-rota");
  ASSERT_TRUE(found && *found);
  const Service& s = **found;
  EXPECT_EQ(s.name.en, "Broken sidewalk");
  EXPECT_EQ(s.keywords, (std::vector<std::string>{"banqueta", "acera", "sidewalk"}));
  EXPECT_DOUBLE_EQ(s.sla_hours, 48);
  ASSERT_EQ(s.attributes.size(), 2u);
  EXPECT_EQ(s.attributes[0].code, "tamano");
  EXPECT_TRUE(s.attributes[0].required);
  ASSERT_EQ(s.attributes[0].values.size(), 2u);
  EXPECT_EQ(s.attributes[0].values[1].name, "Grande");
  EXPECT_EQ(s.attributes[1].datatype, AttributeDatatype::kString);

  // The edit form shows it again, with the flash.
  const http::Response edit = get(b, location(saved));
  ASSERT_EQ(edit.status, 200);
  EXPECT_TRUE(contains(edit.body, "value=\"tamano\""));
  EXPECT_TRUE(contains(edit.body, "chico=Chico"));

  // Deactivated, never deleted.
  ASSERT_EQ(post(b, "/admin/servicios", "/admin/servicios/estado",
                 {{"codigo", "banqueta-rota"}, {"activo", "0"}})
                .status,
            303);
  found = ServiceStore(db()).find("banqueta-rota");
  ASSERT_TRUE(found && *found);
  EXPECT_FALSE((*found)->active);

  // Each change is in the audit log with the admin who made it.
  EXPECT_EQ(admin_changes(),
            (std::vector<std::string>{R"(311.service.saved {"service":"banqueta-rota"})",
                                      R"(311.service.deactivated {"service":"banqueta-rota"})"}));
}

TEST_P(AdminPagesTest, BadServiceFormsShowErrorsNextToFieldsAndChangeNothing) {
  Browser b = admin();
  b.language = "en";
  const http::Response bad = post(b, "/admin/servicios", "/admin/servicios",
                                  {{"codigo", "no valido<script>"},
                                   {"nombre_es", "<b>Hola</b>"},
                                   {"dependencia", "no-existe"},
                                   {"sla", "NaN"},
                                   {"filas", "2"},
                                   {"a0_codigo", "lista"},
                                   {"a0_tipo", "singlevaluelist"},
                                   {"a0_descripcion", "Sin opciones"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "id=\"codigo-error\""));
  EXPECT_TRUE(contains(bad.body, "id=\"dependencia-error\""));
  EXPECT_TRUE(contains(bad.body, "id=\"sla-error\""));
  EXPECT_TRUE(contains(bad.body, "id=\"a0_valores-error\""));
  EXPECT_TRUE(contains(bad.body, "Nothing was saved"));
  EXPECT_FALSE(contains(bad.body, "<script>"));
  EXPECT_FALSE(contains(bad.body, "<b>Hola"));
  EXPECT_TRUE(contains(bad.body, "&lt;b&gt;Hola"));  // kept, escaped
  auto all = ServiceStore(db()).list(true);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 15u);
  // Without the CSRF token: refused by the middleware.
  EXPECT_EQ(send(b, http::Method::kPost, "/admin/servicios", "codigo=x&nombre_es=X").status, 403);
  EXPECT_TRUE(admin_changes().empty());
}

TEST_P(AdminPagesTest, CatalogUploadTakesTheCliFormatsAllOrNothing) {
  Browser b = admin();
  const std::string csv =
      "code,name_es,name_en,agency_code,sla_hours\n"
      "poda,Poda de árbol,Tree pruning,sobse,120\n"
      "mural,Mural dañado,Damaged mural,sobse,0\n";
  const http::Response ok =
      upload(b, "/admin/servicios", "/admin/servicios/importar", "catalogo.csv", csv);
  ASSERT_EQ(ok.status, 303) << ok.body;
  EXPECT_TRUE(*ServiceStore(db()).find("mural"));
  const std::string bad_json =
      R"([{"code":"nuevo","name":{"es":"Nuevo"},"agency_code":"sobse"},)"
      R"({"code":"nuevo","name":{"es":"Otra vez"},"agency_code":"sobse"}])";
  const http::Response refused =
      upload(b, "/admin/servicios", "/admin/servicios/importar", "catalogo.json", bad_json);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(contains(refused.body, "id=\"archivo-error\""));
  EXPECT_FALSE(*ServiceStore(db()).find("nuevo"));
  EXPECT_EQ(admin_changes(),
            (std::vector<std::string>{R"(311.catalog.imported {"services":2,"replace":false})"}));
}

TEST_P(AdminPagesTest, AreasUploadRoutingRulesAndThePointTest) {
  Browser b = admin();
  const http::Response areas = get(b, "/admin/areas");
  ASSERT_EQ(areas.status, 200);
  EXPECT_TRUE(contains(areas.body, "09015"));
  EXPECT_LE(http::gzip_compress(areas.body).size(), 14u * 1024);

  // A bow tie: refused with the reason, nothing written.
  const std::string bow_tie =
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
      R"({"code":"lazo","name":"Lazo"},"geometry":{"type":"Polygon","coordinates":)"
      R"([[[-99.5,19.0],[-99.4,19.1],[-99.4,19.0],[-99.5,19.1],[-99.5,19.0]]]}}]})";
  const http::Response refused = upload(b, "/admin/areas", "/admin/areas", "lazo.geojson", bow_tie);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(contains(refused.body, "self intersection"));
  EXPECT_EQ(AreaStore(db()).list()->size(), 16u);
  EXPECT_EQ(upload(b, "/admin/areas", "/admin/areas", "x.geojson", "{\"type\":").status, 400);

  // A new area outside the city (south-west of it), imported next to the 16.
  const std::string file = R"({"type":"FeatureCollection","features":[)" +
                           square_feature("prueba", "Zona de prueba", -99.5, 19.0, -99.4, 19.1) +
                           "]}";
  const http::Response imported = upload(b, "/admin/areas", "/admin/areas", "p.geojson", file);
  ASSERT_EQ(imported.status, 303) << imported.body;
  EXPECT_EQ(AreaStore(db()).list()->size(), 17u);

  // Before any rule: the service's own agency answers a point in the new area (at once: the
  // import told the locators).
  http::Response test = get(b, "/admin/enrutamiento?lat=19.05&lon=-99.45&servicio=bache");
  ASSERT_EQ(test.status, 200);
  EXPECT_TRUE(contains(test.body, "prueba — Zona de prueba"));
  EXPECT_TRUE(contains(test.body, "sobse —"));

  // A rule for that area sends it elsewhere.
  ASSERT_EQ(post(b, "/admin/enrutamiento", "/admin/enrutamiento",
                 {{"servicio", "bache"}, {"alcaldia", "prueba"}, {"dependencia", "sacmex"}})
                .status,
            303);
  test = get(b, "/admin/enrutamiento?lat=19.05&lon=-99.45&servicio=bache");
  EXPECT_TRUE(contains(test.body, "bache × prueba"));
  EXPECT_TRUE(contains(test.body, "sacmex —"));
  // And intake routes the same way.
  AreaLocator locator(db());
  NewServiceRequest r;
  r.service_code = "bache";
  r.point = GeoPoint{-99.45, 19.05};
  r.description = "Bache de prueba";
  r.channel = "web";
  r.requested_at = time::now_unix();
  auto created = RequestStore(db(), locator).create(r, **ServiceStore(db()).find("bache"));
  ASSERT_TRUE(created) << created.error().detail;
  EXPECT_EQ(created->area_code, "prueba");
  EXPECT_EQ(created->agency_code, "sacmex");

  // Outside every area; bad coordinates.
  test = get(b, "/admin/enrutamiento?lat=25&lon=-100&servicio=bache");
  EXPECT_EQ(test.status, 200);
  EXPECT_TRUE(contains(test.body, "fuera de todas las áreas"));
  EXPECT_EQ(get(b, "/admin/enrutamiento?lat=91&lon=-99&servicio=bache").status, 400);
  EXPECT_EQ(get(b, "/admin/enrutamiento?lat=1e3&lon=-99&servicio=bache").status, 400);
  EXPECT_EQ(get(b, "/admin/enrutamiento?lat=19&lon=-99&servicio=nada").status, 400);

  // A rule naming an unknown agency or area: 400, nothing stored.
  const http::Response bad =
      post(b, "/admin/enrutamiento", "/admin/enrutamiento",
           {{"servicio", "bache"}, {"alcaldia", "nada"}, {"dependencia", "x"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(contains(bad.body, "id=\"alcaldia-error\""));
  EXPECT_TRUE(contains(bad.body, "id=\"dependencia-error\""));
  EXPECT_EQ(RoutingStore(db()).list()->size(), 1u);

  // --replace from the page is refused while the rule names the area it would remove.
  const std::string only_16 = std::string(R"({"type":"FeatureCollection","features":[)") +
                              square_feature("otra", "Otra", -99.7, 19.0, -99.6, 19.1) + "]}";
  const http::Response in_use =
      upload(b, "/admin/areas", "/admin/areas", "o.geojson", only_16, true);
  EXPECT_EQ(in_use.status, 409);
  EXPECT_TRUE(contains(in_use.body, "prueba (1 routing rule(s))"));
  EXPECT_EQ(AreaStore(db()).list()->size(), 17u);

  // Removing the rule.
  ASSERT_EQ(post(b, "/admin/enrutamiento", "/admin/enrutamiento/quitar",
                 {{"servicio", "bache"}, {"alcaldia", "prueba"}})
                .status,
            303);
  EXPECT_TRUE(RoutingStore(db()).list()->empty());
  EXPECT_EQ(post(b, "/admin/enrutamiento", "/admin/enrutamiento/quitar",
                 {{"servicio", "bache"}, {"alcaldia", "prueba"}})
                .status,
            404);
  const http::Response page = get(b, "/admin/enrutamiento");
  EXPECT_LE(http::gzip_compress(page.body).size(), 14u * 1024);

  // What changed is in the audit log; what was refused is not.
  EXPECT_EQ(admin_changes(),
            (std::vector<std::string>{
                R"(311.areas.imported {"areas":1,"replace":false})",
                R"(311.routing.saved {"service":"bache","area":"prueba","agency":"sacmex"})",
                R"(311.routing.removed {"service":"bache","area":"prueba"})"}));
}

ZOCALO_INSTANTIATE_DB_TEST(AdminPagesTest);

}  // namespace
}  // namespace zocalo::requests
