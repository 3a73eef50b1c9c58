#include "identity/store/demo_accounts.hpp"

#include <optional>
#include <string>
#include <vector>

#include "identity/model/audit_event.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/staff_role_store.hpp"

namespace zocalo::identity {
namespace {

struct DemoPerson {
  const char* email;
  const char* password;
  const char* given_name;
  const char* family_name;
  const char* curp;  // validated (level 2) when set
  const char* birth_date;
  std::vector<Role> roles;
  const char* agency_code = nullptr;  // agency staff: the agency (portal's `agencies.code`)
};

// The id of the agency `code`, or nullopt when the demo has no such agency (the portal's demo
// seed creates them first; a database without them gets no agency staff).
Result<std::optional<long long>> agency_id(db::Database& db, const char* code) {
  std::optional<long long> out;
  const std::string wanted(code);
  const Status st = db.read([&](soci::session& sql) -> Status {
    long long id = 0;
    sql << "SELECT id FROM agencies WHERE code = :code", soci::use(wanted), soci::into(id);
    if (sql.got_data()) out = id;
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

Status seed_one(db::Database& db, const PasswordHasher& hasher, const DemoPerson& person,
                std::int64_t now) {
  AccountStore accounts(db);
  auto existing = accounts.find_by_email(person.email);
  if (!existing) return fail(existing.error());
  if (*existing) return {};
  std::optional<long long> agency;
  if (person.agency_code) {
    auto found = agency_id(db, person.agency_code);
    if (!found) return fail(found.error());
    if (!*found) return {};
    agency = *found;
  }
  auto hash = hasher.hash(person.password);
  if (!hash) return fail(hash.error());
  NewAccount account;
  account.email = person.email;
  account.given_name = person.given_name;
  account.family_name = person.family_name;
  if (person.curp) account.curp = person.curp;
  if (person.birth_date) account.birth_date = person.birth_date;
  account.password_hash = *hash;
  return db.transaction([&](soci::session& sql) -> Status {
    auto created = AccountStore::create(sql, account, now);
    if (!created) return fail(created.error());
    if (Status s = AccountStore::set_email_verified(sql, created->id, now); !s) return s;
    if (person.curp) {
      if (Status s = AccountStore::set_curp_validated(sql, created->id, person.curp, now); !s) {
        return s;
      }
    }
    for (const Role role : person.roles) {
      const std::optional<long long> scope = is_agency_scoped(role) ? agency : std::nullopt;
      if (Status s = StaffRoleStore::grant(sql, created->id, {role, scope}, 0, now); !s) {
        return s;
      }
    }
    AuditEvent event;
    event.account_id = created->id;
    event.actor_kind = ActorKind::kSystem;
    event.action = "demo.seeded";
    event.created_at = now;
    auto logged = AuditLog::append(sql, event);
    if (!logged) return fail(logged.error());
    return {};
  });
}

}  // namespace

Status seed_demo_accounts(db::Database& db, const PasswordHasher& hasher, std::int64_t now) {
  const std::vector<DemoPerson> people = {
      {"residente@demo.zocalo.mx",
       "Llave-Demo-2026",
       "Ana",
       "Gómez Martínez",
       "GOMA900517MDFMRN03",
       "1990-05-17",
       {}},
      {"admin@demo.zocalo.mx",
       "Admin-Demo-2026",
       "Jorge",
       "López Pérez",
       "LOPJ850101HDFPRR06",
       "1985-01-01",
       {Role::kAdmin, Role::kVerifier}},
      {"operador@demo.zocalo.mx",
       "Operador-Demo-2026",
       "Alejandra",
       "Hernández García",
       nullptr,
       nullptr,
       {Role::kOperator}},
      // Agency staff (issue 4, item 6): two at the water system, so that a request can be
      // handed to a colleague, and one at the alcaldía Cuauhtémoc, which receives street
      // lighting, potholes and everything else not routed to a city agency there
      // (requests/store/demo_requests.cpp).
      {"agua@demo.zocalo.mx",
       "Agua-Demo-2026",
       "Rosa",
       "Martínez Ruiz",
       nullptr,
       nullptr,
       {Role::kAgencyStaff},
       "sacmex"},
      {"fugas@demo.zocalo.mx",
       "Fugas-Demo-2026",
       "Luis",
       "Ramírez Torres",
       nullptr,
       nullptr,
       {Role::kAgencyStaff},
       "sacmex"},
      {"cuauhtemoc@demo.zocalo.mx",
       "Cuauhtemoc-Demo-2026",
       "Carmen",
       "Flores Sánchez",
       nullptr,
       nullptr,
       {Role::kAgencyStaff},
       "alcaldia-09015"},
  };
  for (const auto& person : people) {
    if (Status s = seed_one(db, hasher, person, now); !s) return s;
  }
  return {};
}

}  // namespace zocalo::identity
