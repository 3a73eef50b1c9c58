#include "identity/store/staff_role_store.hpp"

namespace zocalo::identity {
namespace {

constexpr int kMaxHolders = 1000;

Status check_scope(const RoleGrant& grant) {
  if (is_agency_scoped(grant.role) != grant.agency_id.has_value()) {
    return fail(Error::invalid("identity.role.invalid",
                               std::string(to_string(grant.role)) +
                                   (grant.agency_id ? " takes no agency" : " needs an agency")));
  }
  return {};
}

bool exists(soci::session& sql, const char* table, long long id) {
  int found = 0;
  sql << "SELECT count(*) FROM " << table << " WHERE id = :id", soci::use(id), soci::into(found);
  return found > 0;
}

// The row of `grant` for the account, if held; agency 0 stands for "none" as in the index.
std::optional<long long> held(soci::session& sql, long long account_id, const RoleGrant& grant) {
  const std::string role(to_string(grant.role));
  const long long agency = grant.agency_id.value_or(0);
  long long id = 0;
  soci::indicator ind = soci::i_null;
  sql << "SELECT id FROM staff_roles WHERE account_id = :account AND role = :role AND "
         "coalesce(agency_id, 0) = :agency",
      soci::use(account_id), soci::use(role), soci::use(agency), soci::into(id, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return id;
}

}  // namespace

Status StaffRoleStore::grant(soci::session& sql, long long account_id, const RoleGrant& grant,
                             long long granted_by, std::int64_t now) {
  if (Status s = check_scope(grant); !s) return s;
  if (!exists(sql, "accounts", account_id)) {
    return fail(Error::not_found("no account " + std::to_string(account_id)));
  }
  if (grant.agency_id && !exists(sql, "agencies", *grant.agency_id)) {
    return fail(Error::not_found("no agency " + std::to_string(*grant.agency_id)));
  }
  if (held(sql, account_id, grant)) return {};
  const std::string role(to_string(grant.role));
  soci::indicator agency_i = grant.agency_id ? soci::i_ok : soci::i_null;
  const long long agency = grant.agency_id.value_or(0);
  const long long at = now;
  sql << "INSERT INTO staff_roles (account_id, role, agency_id, granted_by, granted_at) "
         "VALUES (:account, :role, :agency, :by, :at)",
      soci::use(account_id), soci::use(role), soci::use(agency, agency_i), soci::use(granted_by),
      soci::use(at);
  return {};
}

Status StaffRoleStore::revoke(soci::session& sql, long long account_id, const RoleGrant& grant) {
  if (Status s = check_scope(grant); !s) return s;
  const auto id = held(sql, account_id, grant);
  if (!id) return fail(Error::not_found("account does not hold that role"));
  sql << "DELETE FROM staff_roles WHERE id = :id", soci::use(*id);
  return {};
}

Result<StaffRoles> StaffRoleStore::roles_of(soci::session& sql, long long account_id) {
  StaffRoles out;
  std::string role;
  long long agency = 0;
  soci::indicator agency_i = soci::i_null;
  soci::statement st = (sql.prepare << "SELECT role, agency_id FROM staff_roles WHERE account_id "
                                       "= :account ORDER BY role, agency_id",
                        soci::use(account_id), soci::into(role), soci::into(agency, agency_i));
  if (!st.execute(true)) return out;
  do {
    const auto parsed = parse_role(role);
    if (!parsed) return fail(Error::internal("staff_roles holds unknown role " + role));
    RoleGrant grant{*parsed, std::nullopt};
    if (agency_i == soci::i_ok) grant.agency_id = agency;
    out.grants.push_back(grant);
  } while (st.fetch());
  return out;
}

Result<StaffRoles> StaffRoleStore::roles_of(long long account_id) {
  Result<StaffRoles> out = StaffRoles{};
  const Status st = db_.read([&](soci::session& sql) -> Status {
    out = roles_of(sql, account_id);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

Result<std::vector<long long>> StaffRoleStore::holders(Role role,
                                                       std::optional<long long> agency_id) {
  std::vector<long long> out;
  const std::string name(to_string(role));
  const long long agency = agency_id.value_or(0);
  const int want_agency = agency_id ? 1 : 0;
  const Status st = db_.read([&](soci::session& sql) -> Status {
    long long account = 0;
    soci::statement q =
        (sql.prepare << "SELECT DISTINCT account_id FROM staff_roles WHERE role = :role AND (:any "
                        "= 0 OR agency_id = :agency) ORDER BY account_id LIMIT " +
                            std::to_string(kMaxHolders),
         soci::use(name), soci::use(want_agency), soci::use(agency), soci::into(account));
    if (!q.execute(true)) return {};
    do {
      out.push_back(account);
    } while (q.fetch());
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

}  // namespace zocalo::identity
