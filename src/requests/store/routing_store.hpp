#pragma once
// SQL for routing_rules (migrations/*/0010_requests.sql): which agency answers a service in an
// area. '*' is a wildcard; the most specific rule wins: (service, area), (service, '*'),
// ('*', area), ('*', '*'); with no rule the service's own agency answers.
#include <optional>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/also_in_transaction.hpp"
#include "platform/db/database.hpp"

namespace zocalo::requests {

inline constexpr const char* kAnyCode = "*";

struct RoutingRule {
  std::string service_code;  // or "*"
  std::string area_code;     // or "*"
  std::string agency_code;
  friend bool operator==(const RoutingRule&, const RoutingRule&) = default;
};

struct RoutedAgency {
  std::string code;
  std::string name_es;
  std::string name_en;
};

class RoutingStore {
 public:
  explicit RoutingStore(db::Database& db) : db_(db) {}

  // Upserts every rule by (service_code, area_code) in one transaction, all or nothing; an
  // agency that does not exist fails with "requests.routing.invalid". In both, `also` runs last
  // in the same transaction.
  Status put(const std::vector<RoutingRule>& rules, const db::AlsoInTransaction& also = {});
  // Deletes the rule for (service_code, area_code); "requests.routing.not_found" (kNotFound)
  // when there is none.
  Status remove(const std::string& service_code, const std::string& area_code,
                const db::AlsoInTransaction& also = {});
  // Every rule, ordered by service_code, area_code.
  Result<std::vector<RoutingRule>> list();

  // Inside a transaction: the agency for `service_code` in `area_code` (empty when the request
  // has no point: only area '*' rules apply), or `fallback` when no rule matches, with its
  // names; nullopt when that agency does not exist. One statement: intake runs it for every
  // request.
  static std::optional<RoutedAgency> route(soci::session& sql, const std::string& service_code,
                                           const std::string& area_code,
                                           const std::string& fallback);

 private:
  db::Database& db_;
};

}  // namespace zocalo::requests
