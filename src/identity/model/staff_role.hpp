#pragma once
// Staff roles: what an official may do. Plain data and rules; the SQL is in
// store/staff_role_store.*.
#include <optional>
#include <string_view>
#include <vector>

namespace zocalo::identity {

enum class Role {
  kAdmin,        // the platform's administrators: clients, roles, catalog, every agency
  kAgencyStaff,  // works the 311 inbox and procedures of one agency (scoped: agency_id)
  kOperator,     // call-centre operator: files requests on behalf of callers
  kVerifier,     // checks identity in person and records level of assurance 3
};

inline std::string_view to_string(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kAgencyStaff:
      return "agency_staff";
    case Role::kOperator:
      return "operator";
    case Role::kVerifier:
      return "verifier";
  }
  return "";
}

inline std::optional<Role> parse_role(std::string_view text) {
  if (text == "admin") return Role::kAdmin;
  if (text == "agency_staff") return Role::kAgencyStaff;
  if (text == "operator") return Role::kOperator;
  if (text == "verifier") return Role::kVerifier;
  return std::nullopt;
}

// Only agency staff work for one agency; the other roles are city-wide.
inline bool is_agency_scoped(Role role) {
  return role == Role::kAgencyStaff;
}

struct RoleGrant {
  Role role = Role::kAdmin;
  std::optional<long long> agency_id;  // set exactly when is_agency_scoped(role)
  bool operator==(const RoleGrant&) const = default;
};

// Everything one account may do as staff.
struct StaffRoles {
  std::vector<RoleGrant> grants;

  bool empty() const { return grants.empty(); }
  bool has(Role role) const {
    for (const auto& g : grants)
      if (g.role == role) return true;
    return false;
  }
  bool is_admin() const { return has(Role::kAdmin); }
  // Admins act for every agency; agency staff for theirs.
  bool works_for(long long agency_id) const {
    for (const auto& g : grants) {
      if (g.role == Role::kAdmin) return true;
      if (g.role == Role::kAgencyStaff && g.agency_id == agency_id) return true;
    }
    return false;
  }
  std::vector<long long> agencies() const {
    std::vector<long long> out;
    for (const auto& g : grants)
      if (g.role == Role::kAgencyStaff && g.agency_id) out.push_back(*g.agency_id);
    return out;
  }
};

}  // namespace zocalo::identity
