#include "requests/store/routing_store.hpp"

#include "platform/core/text.hpp"
#include "platform/db/kept_statement.hpp"

namespace zocalo::requests {

Status RoutingStore::put(const std::vector<RoutingRule>& rules, const db::AlsoInTransaction& also) {
  return db_.transaction([&](soci::session& sql) -> Status {
    for (const RoutingRule& rule : rules) {
      if (rule.service_code.empty() || rule.area_code.empty()) {
        return fail(Error::invalid("requests.routing.invalid", "empty service or area code"));
      }
      long long agencies = 0;
      sql << "SELECT COUNT(*) FROM agencies WHERE code = :code", soci::use(rule.agency_code),
          soci::into(agencies);
      if (agencies == 0) {
        return fail(Error::invalid("requests.routing.invalid",
                                   "unknown agency " + text::quote_for_log(rule.agency_code)));
      }
      sql << "INSERT INTO routing_rules (service_code, area_code, agency_code) "
             "VALUES (:service_code, :area_code, :agency_code) "
             "ON CONFLICT (service_code, area_code) DO UPDATE SET agency_code = "
             "excluded.agency_code",
          soci::use(rule.service_code), soci::use(rule.area_code), soci::use(rule.agency_code);
    }
    return db::run_also(sql, also);
  });
}

Status RoutingStore::remove(const std::string& service_code, const std::string& area_code,
                            const db::AlsoInTransaction& also) {
  return db_.transaction([&](soci::session& sql) -> Status {
    long long found = 0;
    sql << "SELECT COUNT(*) FROM routing_rules WHERE service_code = :s AND area_code = :a",
        soci::use(service_code), soci::use(area_code), soci::into(found);
    if (found == 0) {
      Error e = Error::not_found("no rule for this service and area");
      e.user_key = "requests.routing.not_found";
      return fail(std::move(e));
    }
    sql << "DELETE FROM routing_rules WHERE service_code = :s AND area_code = :a",
        soci::use(service_code), soci::use(area_code);
    return db::run_also(sql, also);
  });
}

Result<std::vector<RoutingRule>> RoutingStore::list() {
  std::vector<RoutingRule> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    RoutingRule row;
    soci::statement st =
        (sql.prepare << "SELECT service_code, area_code, agency_code FROM routing_rules "
                        "ORDER BY service_code, area_code",
         soci::into(row.service_code), soci::into(row.area_code), soci::into(row.agency_code));
    st.execute();
    while (st.fetch()) out.push_back(row);
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

namespace {

// Intake runs it for every request. At most four rules match (the unique key); the order puts
// the most specific first.
struct RouteStatement {
  static constexpr std::string_view kSql =
      "SELECT code, name_es, name_en FROM agencies WHERE code = COALESCE(("
      "SELECT agency_code FROM routing_rules "
      "WHERE service_code IN (:service_code, '*') AND area_code IN (:area_code, '*') "
      "ORDER BY CASE WHEN service_code = '*' THEN 1 ELSE 0 END, "
      "CASE WHEN area_code = '*' THEN 1 ELSE 0 END LIMIT 1), :fallback)";
  std::string service_code, area_code, fallback;
  RoutedAgency agency;
  void bind(soci::statement& st) {
    st.exchange(soci::use(service_code));
    st.exchange(soci::use(area_code));
    st.exchange(soci::use(fallback));
    st.exchange(soci::into(agency.code));
    st.exchange(soci::into(agency.name_es));
    st.exchange(soci::into(agency.name_en));
  }
};

}  // namespace

std::optional<RoutedAgency> RoutingStore::route(soci::session& sql, const std::string& service_code,
                                                const std::string& area_code,
                                                const std::string& fallback) {
  auto route = db::kept<RouteStatement>(sql);
  route->values.service_code = service_code;
  route->values.area_code = area_code;
  route->values.fallback = fallback;
  if (!route->run()) return std::nullopt;
  return route->values.agency;
}

}  // namespace zocalo::requests
