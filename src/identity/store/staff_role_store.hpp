#pragma once
// SQL for staff roles (migrations/*/0007_identity_logins.sql). Staff are residents' accounts
// with roles: the city's officials sign in with the same Llave. Every module authorises staff
// work through these roles (identity/resident.hpp's StaffRoles), never through its own tables.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/model/staff_role.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

class StaffRoleStore {
 public:
  explicit StaffRoleStore(db::Database& db) : db_(db) {}

  // Grants `grant` to the account in the caller's transaction (with its audit entry).
  // identity.role.invalid when an agency-scoped role has no agency or another role has one;
  // kNotFound identity.account.not_found for an unknown account or agency; granting a role the
  // account already holds (same agency) succeeds and changes nothing.
  static Status grant(soci::session& sql, long long account_id, const RoleGrant& grant,
                      long long granted_by, std::int64_t now);
  // Removes it; kNotFound when the account does not hold it.
  static Status revoke(soci::session& sql, long long account_id, const RoleGrant& grant);

  static Result<StaffRoles> roles_of(soci::session& sql, long long account_id);
  Result<StaffRoles> roles_of(long long account_id);

  // Accounts holding `role` (for an agency when given), by account id, at most 1,000.
  Result<std::vector<long long>> holders(Role role, std::optional<long long> agency_id);

 private:
  db::Database& db_;
};

}  // namespace zocalo::identity
