// The staff inbox and the operator console through the real router with the middleware the
// server runs (locale, database-backed sessions, CSRF), on both databases. Staff sign in through
// identity::start_login, as the sign-in page does.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "identity/resident.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/staff_role_store.hpp"
#include "platform/core/time.hpp"
#include "platform/http/gzip.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/model/folio.hpp"
#include "requests/requests.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/inbox_store.hpp"
#include "requests/store/request_store.hpp"
#include "requests/store/service_store.hpp"
#include "web_fixture.hpp"

namespace zocalo::requests {
namespace {

constexpr GeoPoint kZocalo{-99.1332, 19.4326};  // Cuauhtémoc 09015

using testing::Browser;
using testing::contains;
using testing::location;

class StaffPagesTest : public testing::WebTest {
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
    locator_ = std::make_unique<AreaLocator>(db());
    auto agencies = InboxStore(db()).agencies();
    ASSERT_TRUE(agencies);
    for (const auto& a : *agencies) agency_ids_[a.code] = a.id;
  }

  identity::Account account(const std::string& email, const std::string& given,
                            const std::string& family) {
    identity::NewAccount n;
    n.email = email;
    n.given_name = given;
    n.family_name = family;
    n.phone = std::nullopt;
    identity::Account out;
    const Status st = db().transaction([&](soci::session& sql) -> Status {
      auto a = identity::AccountStore::create(sql, n, time::now_unix());
      if (!a) return fail(a.error());
      if (auto s = identity::AccountStore::set_email_verified(sql, a->id, time::now_unix()); !s) {
        return s;
      }
      out = *a;
      return {};
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

  std::string file(const std::string& code, const std::string& description = "Descripción") {
    auto service = ServiceStore(db()).find(code);
    EXPECT_TRUE(service && *service);
    NewServiceRequest r;
    r.service_code = code;
    r.point = kZocalo;
    r.description = description;
    r.contact.email = "vecina@example.org";
    r.contact.first_name = "Rosa";
    r.contact.phone = "5512345678";
    r.channel = "web";
    r.requested_at = time::now_unix() - 3600;
    auto created = RequestStore(db(), *locator_).create(r, **service);
    EXPECT_TRUE(created);
    return created ? created->folio : "";
  }

  StaffRequest load(const std::string& folio) {
    auto found = InboxStore(db()).find(folio);
    EXPECT_TRUE(found && *found);
    return found && *found ? **found : StaffRequest{};
  }

  std::unique_ptr<AreaLocator> locator_;
  std::map<std::string, long long> agency_ids_;
};

TEST_P(StaffPagesTest, SignedOutBrowsersAreSentToSignIn) {
  Browser nobody;
  for (const char* path : {"/atencion", "/atencion/0000000Z", "/operador"}) {
    const http::Response res = get(nobody, path);
    EXPECT_EQ(res.status, 303) << path;
    EXPECT_TRUE(location(res).starts_with("/llave/entrar?siguiente=")) << path;
  }
}

TEST_P(StaffPagesTest, ResidentsWithoutStaffRolesGet403) {
  Browser resident = sign_in(account("vecina@example.mx", "Rosa", "López"));
  const std::string folio = file("bache");
  EXPECT_EQ(get(resident, "/atencion").status, 403);
  EXPECT_EQ(get(resident, "/atencion/" + folio).status, 403);
  EXPECT_EQ(get(resident, "/operador").status, 403);
  // An operator is not agency staff, and agency staff are not operators.
  const auto op = account("op@example.mx", "Olga", "Ruiz");
  grant(op.id, identity::Role::kOperator);
  Browser operator_browser = sign_in(op);
  EXPECT_EQ(get(operator_browser, "/atencion").status, 403);
  EXPECT_EQ(get(operator_browser, "/operador").status, 200);
  const auto staff = account("staff@example.mx", "Ana", "Pérez");
  grant(staff.id, identity::Role::kAgencyStaff, agency_ids_.at("sobse"));
  Browser staff_browser = sign_in(staff);
  EXPECT_EQ(get(staff_browser, "/operador").status, 403);
}

TEST_P(StaffPagesTest, StaffSeeAndChangeOnlyTheirAgencysRequests) {
  const std::string pothole = file("bache", "Descripción única");  // sobse
  const std::string leak = file("fuga-de-agua");                   // sacmex
  const auto staff = account("staff@example.mx", "Ana", "Pérez");
  grant(staff.id, identity::Role::kAgencyStaff, agency_ids_.at("sobse"));
  Browser b = sign_in(staff);

  const http::Response inbox = get(b, "/atencion");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_TRUE(contains(inbox.body, "/atencion/" + pothole));
  EXPECT_FALSE(contains(inbox.body, "/atencion/" + leak));

  const http::Response mine = get(b, "/atencion/" + pothole);
  ASSERT_EQ(mine.status, 200);
  // The description shows once: the first update (no note) does not repeat it.
  const auto first = mine.body.find("Descripción única");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(mine.body.find("Descripción única", first + 1), std::string::npos);
  EXPECT_TRUE(contains(mine.body, "vecina@example.org"));  // staff see the reporter
  EXPECT_TRUE(contains(mine.body, "5512345678"));
  EXPECT_EQ(get(b, "/atencion/" + leak).status, 403);
  // Changing agency B's request is refused and changes nothing.
  const http::Response refused = post(b, "/atencion/" + pothole, "/atencion/" + leak + "/estado",
                                      {{"estado", "fixed"}, {"nota", ""}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(load(leak).status, RequestStatus::kOpen);
  EXPECT_EQ(load(leak).updates.size(), 1u);
}

TEST_P(StaffPagesTest, StaffMoveARequestThroughItsStatusesWithNotes) {
  const std::string folio = file("bache");
  const auto staff = account("staff@example.mx", "Ana", "Pérez");
  grant(staff.id, identity::Role::kAgencyStaff, agency_ids_.at("sobse"));
  Browser b = sign_in(staff);
  const std::string page = "/atencion/" + folio;

  http::Response res = post(b, page, page + "/asignar", {{"a", "yo"}});
  ASSERT_EQ(res.status, 303);
  EXPECT_EQ(location(res), page);
  StaffRequest r = load(folio);
  EXPECT_EQ(r.status, RequestStatus::kAcknowledged);
  ASSERT_TRUE(r.assignee_account_id);
  EXPECT_EQ(*r.assignee_account_id, staff.id);
  const http::Response after = get(b, page);
  EXPECT_TRUE(contains(after.body, "Ana Pérez"));
  EXPECT_TRUE(contains(after.body, "Asignación guardada."));

  res = post(b, page, page + "/estado",
             {{"estado", "in_progress"}, {"nota", "Cuadrilla <b>en camino</b>"}});
  ASSERT_EQ(res.status, 303);
  res = post(b, page, page + "/nota", {{"nota", "Llevar <script>alert(1)</script>"}});
  ASSERT_EQ(res.status, 303);
  const http::Response shown = get(b, page);
  EXPECT_FALSE(contains(shown.body, "<script>alert(1)"));
  EXPECT_TRUE(contains(shown.body, "&lt;script&gt;"));
  EXPECT_TRUE(contains(shown.body, "Cuadrilla &lt;b&gt;en camino"));

  res = post(b, page, page + "/estado", {{"estado", "fixed"}, {"nota", "Bache tapado"}});
  ASSERT_EQ(res.status, 303);
  r = load(folio);
  EXPECT_EQ(r.status, RequestStatus::kFixed);
  EXPECT_EQ(r.status_notes, "Bache tapado");
  // acknowledged (public) + assigned (internal) + in progress + internal note + fixed
  EXPECT_EQ(r.updates.size(), 6u);
  EXPECT_FALSE(r.updates[4].is_public);

  // A transition the model refuses: the page again with the reason, 409, nothing changed.
  const http::Response refused =
      post(b, page, page + "/estado", {{"estado", "in_progress"}, {"nota", ""}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_TRUE(contains(refused.body, "no es posible"));
  EXPECT_EQ(load(folio).updates.size(), 6u);
  // Bad input: 400, nothing changed.
  EXPECT_EQ(post(b, page, page + "/estado", {{"estado", "'; DROP TABLE x"}}).status, 400);
  EXPECT_EQ(post(b, page, page + "/nota", {{"nota", std::string(2001, 'a')}}).status, 400);
  EXPECT_EQ(post(b, page, page + "/nota", {{"nota", ""}}).status, 400);
  EXPECT_EQ(post(b, page, page + "/asignar", {{"a", "correo"}, {"correo", "nadie@x.mx"}}).status,
            400);
  EXPECT_EQ(load(folio).updates.size(), 6u);
  // Without the CSRF token nothing happens.
  EXPECT_EQ(send(b, http::Method::kPost, page + "/nota", "nota=hola").status, 403);
  EXPECT_EQ(load(folio).updates.size(), 6u);
}

TEST_P(StaffPagesTest, InboxFiltersCountsAndBadFilters) {
  const std::string a = file("bache");
  const std::string b = file("luminaria-apagada");
  const auto admin = account("admin@example.mx", "Adela", "Soto");
  grant(admin.id, identity::Role::kAdmin);
  Browser browser = sign_in(admin);
  const http::Response all = get(browser, "/atencion?estado=todas");
  ASSERT_EQ(all.status, 200);
  EXPECT_TRUE(contains(all.body, a) && contains(all.body, b));
  const http::Response one = get(browser, "/atencion?servicio=bache&orden=vencimiento");
  ASSERT_EQ(one.status, 200);
  EXPECT_TRUE(contains(one.body, a));
  EXPECT_FALSE(contains(one.body, "/atencion/" + b));
  EXPECT_EQ(get(browser, "/atencion?estado=reopened").status, 200);
  EXPECT_EQ(get(browser, "/atencion?vencidas=1&alcaldia=09015").status, 200);
  for (const char* bad :
       {"/atencion?estado=nope", "/atencion?orden=x", "/atencion?pagina=0", "/atencion?pagina=abc",
        "/atencion?servicio=%3Cb%3E", "/atencion?vencidas=2"}) {
    EXPECT_EQ(get(browser, bad).status, 400) << bad;
  }
  // Every page of the inbox fits the first round trip.
  EXPECT_LE(http::gzip_compress(all.body).size(), 14u * 1024);
  EXPECT_EQ(get(browser, "/atencion/NOTAFOLIO").status, 404);
}

TEST_P(StaffPagesTest, AdminsMergeDuplicatesAndRerouteNotOurs) {
  const std::string parent = file("bache");
  const std::string child = file("bache");
  const std::string wrong = file("bache", "Es una fuga de agua");
  const auto admin = account("admin@example.mx", "Adela", "Soto");
  grant(admin.id, identity::Role::kAdmin);
  Browser b = sign_in(admin);
  const std::string page = "/atencion/" + child;
  auto shown = parse_folio(parent);
  ASSERT_TRUE(shown);
  http::Response res =
      post(b, page, page + "/duplicado", {{"padre", shown->display()}, {"nota", "Ya reportado"}});
  ASSERT_EQ(res.status, 303);
  EXPECT_EQ(load(child).status, RequestStatus::kDuplicate);
  EXPECT_EQ(load(child).parent_folio, parent);

  const std::string wpage = "/atencion/" + wrong;
  res = post(b, wpage, wpage + "/reencauzar", {{"dependencia", "sacmex"}, {"nota", "Es de agua"}});
  ASSERT_EQ(res.status, 303);
  EXPECT_EQ(load(wrong).agency_code, "sacmex");
  EXPECT_EQ(load(wrong).status, RequestStatus::kOpen);
  EXPECT_EQ(post(b, wpage, wpage + "/reencauzar", {{"dependencia", "nope"}}).status, 400);

  // Agency staff cannot reroute (they mark it not ours; an admin moves it).
  const auto staff = account("staff@example.mx", "Ana", "Pérez");
  grant(staff.id, identity::Role::kAgencyStaff, agency_ids_.at("sacmex"));
  Browser s = sign_in(staff);
  EXPECT_EQ(post(s, wpage, wpage + "/reencauzar", {{"dependencia", "sobse"}}).status, 403);
  EXPECT_EQ(load(wrong).agency_code, "sacmex");
}

TEST_P(StaffPagesTest, OperatorFindsTheCallerFilesOnTheirBehalfAndReadsTheFolio) {
  const auto op = account("op@example.mx", "Olga", "Ruiz");
  grant(op.id, identity::Role::kOperator);
  const auto caller = account("rosa.lopez@example.mx", "Rosa", "López");
  Browser b = sign_in(op);

  const http::Response search = get(b, "/operador?q=rosa.lopez");
  ASSERT_EQ(search.status, 200);
  EXPECT_TRUE(contains(search.body, "/operador?cuenta=" + std::to_string(caller.id)));
  EXPECT_EQ(get(b, "/operador?q=r").status, 200);  // too short: a message, not a failure

  const std::string form =
      "/operador?cuenta=" + std::to_string(caller.id) + "&servicio=luminaria-apagada";
  const http::Response page = get(b, form);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(contains(page.body, "attribute[cuantas]"));
  EXPECT_LE(http::gzip_compress(page.body).size(), 14u * 1024);

  // A value not in the list, a description too long, no location: 400, nothing stored.
  const auto count = [&] {
    auto rows = InboxStore(db()).list({.all_agencies = true, .page_size = 100, .now = 1});
    return rows ? rows->total : -1;
  };
  const long long before = count();
  const std::vector<std::pair<std::string, std::string>> good = {
      {"servicio", "luminaria-apagada"},
      {"cuenta", std::to_string(caller.id)},
      {"alcaldia", "09015"},
      {"calle", "Av. Juárez 10, Centro"},
      {"descripcion", "Poste apagado frente al museo"},
      {"attribute[cuantas]", "2-5"}};
  auto with = [&](const std::string& name, const std::string& value) {
    auto fields = good;
    for (auto& [k, v] : fields)
      if (k == name) v = value;
    return fields;
  };
  EXPECT_EQ(post(b, form, "/operador/reportes", with("attribute[cuantas]", "mil")).status, 400);
  EXPECT_EQ(post(b, form, "/operador/reportes", with("descripcion", std::string(4001, 'x'))).status,
            400);
  EXPECT_EQ(post(b, form, "/operador/reportes", with("calle", "")).status, 400);
  EXPECT_EQ(post(b, form, "/operador/reportes", with("servicio", "nope")).status, 400);
  EXPECT_EQ(count(), before);

  const http::Response filed = post(b, form, "/operador/reportes", good);
  ASSERT_EQ(filed.status, 303);
  const std::string target = location(filed);
  ASSERT_TRUE(target.starts_with("/operador/folio/"));
  const std::string folio = target.substr(16);
  const StaffRequest r = load(folio);
  EXPECT_EQ(r.channel, "phone");
  EXPECT_EQ(r.account_id, std::to_string(caller.id));
  EXPECT_EQ(r.email, "rosa.lopez@example.mx");
  EXPECT_EQ(r.area_code, "09015");
  EXPECT_EQ(r.agency_code, "sobse");
  EXPECT_TRUE(contains(r.address_string, "Av. Juárez 10"));

  const http::Response confirmation = get(b, target);
  ASSERT_EQ(confirmation.status, 200);
  auto shown = parse_folio(folio);
  ASSERT_TRUE(shown);
  EXPECT_TRUE(contains(confirmation.body, shown->display()));
  for (const char c : folio) {
    if (c >= 'A' && c <= 'Z') {
      EXPECT_TRUE(contains(confirmation.body, std::string(1, c) + " de ")) << c;
    }
  }
  // The caller's open requests now list it.
  EXPECT_TRUE(
      contains(get(b, "/operador?cuenta=" + std::to_string(caller.id)).body, shown->display()));

  // The agency opens it and sees who reported it.
  const auto staff = account("obras@example.mx", "Omar", "Díaz");
  grant(staff.id, identity::Role::kAgencyStaff, agency_ids_.at("sobse"));
  Browser agency = sign_in(staff);
  const http::Response opened = get(agency, "/atencion/" + folio);
  ASSERT_EQ(opened.status, 200);
  EXPECT_TRUE(contains(opened.body, "rosa.lopez@example.mx"));

  // Every look at the caller's data is in their audit log, by whom and what for (principle 5).
  auto rows = identity::AuditLog(db()).list_for_account(caller.id, 100);
  ASSERT_TRUE(rows);
  std::map<std::string, std::set<std::string>> readers;  // purpose -> actor ids
  for (const identity::AuditRecord& row : *rows) {
    if (row.event.action != "data.viewed") continue;
    EXPECT_EQ(row.event.actor_kind, identity::ActorKind::kStaff);
    readers[row.event.detail].insert(row.event.actor_id);
  }
  const std::set<std::string> by_operator = {std::to_string(op.id)};
  EXPECT_EQ(readers[R"({"purpose":"311.caller_search"})"], by_operator);
  EXPECT_EQ(readers[R"({"purpose":"311.caller_opened"})"], by_operator);
  EXPECT_EQ(readers[R"({"purpose":"311.report_for_caller"})"], by_operator);
  EXPECT_EQ(readers[R"({"purpose":"311.request_reporter"})"],
            std::set<std::string>{std::to_string(staff.id)});
  EXPECT_EQ(readers.size(), 4u);
}

TEST_P(StaffPagesTest, OperatorFilesForAnUnregisteredCallerByPoint) {
  const auto op = account("op@example.mx", "Olga", "Ruiz");
  grant(op.id, identity::Role::kOperator);
  Browser b = sign_in(op);
  const std::string form = "/operador?servicio=bache";
  std::vector<std::pair<std::string, std::string>> fields = {{"servicio", "bache"},
                                                             {"lat", "19.4326"},
                                                             {"long", "-99.1332"},
                                                             {"descripcion", "Bache"},
                                                             {"nombre", "Juan"},
                                                             {"telefono", "55 8765 4321"},
                                                             {"correo", "juan@example.org"},
                                                             {"attribute[ubicacion]", "arroyo"}};
  const http::Response filed = post(b, form, "/operador/reportes", fields);
  ASSERT_EQ(filed.status, 303) << filed.body.substr(0, 2000);
  const StaffRequest r = load(location(filed).substr(16));
  EXPECT_EQ(r.phone, "55 8765 4321");
  EXPECT_EQ(r.account_id, "");
  EXPECT_EQ(r.area_code, "09015");
  // Their requests by the phone they gave.
  EXPECT_TRUE(contains(get(b, "/operador?telefono=55%208765%204321").body, r.folio.substr(0, 4)));
  // Outside the city, bad coordinates, a hostile name: refused.
  fields[1].second = "25.6866";
  fields[2].second = "-100.3161";
  EXPECT_EQ(post(b, form, "/operador/reportes", fields).status, 400);
  fields[1].second = "1e3";
  EXPECT_EQ(post(b, form, "/operador/reportes", fields).status, 400);
  fields[1].second = "19.4326";
  fields[2].second = "-99.1332";
  fields[4].second = "<script>";
  EXPECT_EQ(post(b, form, "/operador/reportes", fields).status, 400);
}

TEST_P(StaffPagesTest, PagesAreInBothLanguagesAndEveryPhoneticHintExists) {
  const auto admin = account("admin@example.mx", "Adela", "Soto");
  grant(admin.id, identity::Role::kAdmin);
  Browser b = sign_in(admin);
  b.language = "en";
  const http::Response inbox = get(b, "/atencion");
  ASSERT_EQ(inbox.status, 200);
  EXPECT_TRUE(contains(inbox.body, "Service inbox"));
  EXPECT_TRUE(contains(get(b, "/operador").body, "311 operator console"));
  for (const char c : kFolioAlphabet) {
    if (c < 'A' || c > 'Z') continue;
    for (const char* locale : {"es-MX", "en"}) {
      EXPECT_TRUE(renderer_->find_text(
          locale, std::string("operador.phonetic.") + static_cast<char>(c - 'A' + 'a')))
          << c;
    }
  }
}

TEST_P(StaffPagesTest, AssignToAColleagueOfTheRequestsAgencyOnly) {
  const std::string folio = file("bache");  // sobse
  const auto staff = account("staff@example.mx", "Ana", "Pérez");
  const auto colleague = account("colega@example.mx", "Berta", "Núñez");
  const auto outsider = account("agua@example.mx", "Carlos", "Ortiz");
  const auto resident = account("vecino@example.mx", "Dario", "Vela");
  grant(staff.id, identity::Role::kAgencyStaff, agency_ids_.at("sobse"));
  grant(colleague.id, identity::Role::kAgencyStaff, agency_ids_.at("sobse"));
  grant(outsider.id, identity::Role::kAgencyStaff, agency_ids_.at("sacmex"));
  Browser b = sign_in(staff);
  const std::string page = "/atencion/" + folio;

  // The select offers me, nobody and the colleague, never staff of another agency.
  const http::Response shown = get(b, page);
  ASSERT_EQ(shown.status, 200);
  EXPECT_TRUE(
      contains(shown.body, "<option value=\"" + std::to_string(colleague.id) + "\">Berta Núñez"));
  EXPECT_FALSE(contains(shown.body, "Carlos Ortiz"));
  EXPECT_FALSE(contains(shown.body, "<option value=\"" + std::to_string(staff.id) + "\""));

  // Another agency's staff, a plain resident, an unknown id: 400, nothing changed.
  for (const long long id : {outsider.id, resident.id, 999'999LL}) {
    const http::Response refused = post(b, page, page + "/asignar", {{"a", std::to_string(id)}});
    EXPECT_EQ(refused.status, 400) << id;
    EXPECT_TRUE(contains(refused.body, "trabaja en la dependencia")) << id;
  }
  EXPECT_EQ(post(b, page, page + "/asignar", {{"a", "-1"}}).status, 400);
  EXPECT_FALSE(load(folio).assignee_account_id);
  EXPECT_EQ(load(folio).updates.size(), 1u);

  const http::Response done =
      post(b, page, page + "/asignar", {{"a", std::to_string(colleague.id)}});
  ASSERT_EQ(done.status, 303);
  const StaffRequest r = load(folio);
  ASSERT_TRUE(r.assignee_account_id);
  EXPECT_EQ(*r.assignee_account_id, colleague.id);
  EXPECT_EQ(r.status, RequestStatus::kAcknowledged);
  EXPECT_TRUE(contains(get(b, page).body, "Berta Núñez"));
}

ZOCALO_INSTANTIATE_DB_TEST(StaffPagesTest);

}  // namespace
}  // namespace zocalo::requests
