#include "requests/store/area_store.hpp"

#include <map>
#include <set>

#include "requests/store/area_locator.hpp"

namespace zocalo::requests {

Result<AreaImportResult> AreaStore::import(const std::vector<ImportedArea>& areas, bool replace,
                                           const db::AlsoInTransaction& also) {
  if (areas.empty()) return fail(Error::invalid("requests.areas.invalid", "no areas to import"));
  AreaImportResult result;
  const Status done = db_.transaction([&](soci::session& sql) -> Status {
    result = {};
    std::set<std::string> incoming;
    for (const ImportedArea& a : areas) {
      incoming.insert(a.code);
      // kind: the table's CHECK allows 'alcaldia' only (the one kind of area so far).
      sql << "INSERT INTO areas (code, name, kind, geojson, min_lon, min_lat, max_lon, max_lat) "
             "VALUES (:code, :name, 'alcaldia', :geojson, :min_lon, :min_lat, :max_lon, "
             ":max_lat) "
             "ON CONFLICT (code) DO UPDATE SET name = excluded.name, "
             "geojson = excluded.geojson, min_lon = excluded.min_lon, min_lat = excluded.min_lat, "
             "max_lon = excluded.max_lon, max_lat = excluded.max_lat",
          soci::use(a.code), soci::use(a.name), soci::use(a.geometry), soci::use(a.bounds.min_lon),
          soci::use(a.bounds.min_lat), soci::use(a.bounds.max_lon), soci::use(a.bounds.max_lat);
      ++result.written;
    }
    if (!replace) return db::run_also(sql, also);
    std::vector<std::string> stale;
    {
      std::string code;
      soci::statement st =
          (sql.prepare << "SELECT code FROM areas ORDER BY code", soci::into(code));
      st.execute();
      while (st.fetch()) {
        if (!incoming.contains(code)) stale.push_back(code);
      }
    }
    std::string blocked;
    for (const std::string& code : stale) {
      long long rules = 0;
      long long agencies = 0;
      sql << "SELECT COUNT(*) FROM routing_rules WHERE area_code = :code", soci::use(code),
          soci::into(rules);
      sql << "SELECT COUNT(*) FROM agencies a JOIN areas r ON r.id = a.area_id "
             "WHERE r.code = :code",
          soci::use(code), soci::into(agencies);
      if (rules == 0 && agencies == 0) continue;
      if (!blocked.empty()) blocked += "; ";
      blocked += code + " (";
      if (rules > 0) blocked += std::to_string(rules) + " routing rule(s)";
      if (rules > 0 && agencies > 0) blocked += ", ";
      if (agencies > 0) blocked += std::to_string(agencies) + " agency(ies)";
      blocked += ")";
    }
    if (!blocked.empty()) {
      return fail(Error::conflict("requests.areas.in_use",
                                  "--replace would remove areas that are still in use: " + blocked +
                                      ". Remove or change those rules first."));
    }
    for (const std::string& code : stale) {
      sql << "DELETE FROM areas WHERE code = :code", soci::use(code);
    }
    result.removed = std::move(stale);
    return db::run_also(sql, also);
  });
  if (!done) return fail(done.error());
  AreaLocator::changed();
  return result;
}

Result<std::vector<AreaSummary>> AreaStore::list() {
  std::vector<AreaSummary> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    std::map<std::string, long long> rules;
    {
      std::string code;
      long long n = 0;
      soci::statement st = (sql.prepare << "SELECT area_code, COUNT(*) FROM routing_rules "
                                           "GROUP BY area_code",
                            soci::into(code), soci::into(n));
      st.execute();
      while (st.fetch()) rules[code] = n;
    }
    std::string code;
    std::string name;
    std::string geojson;
    soci::statement st = (sql.prepare << "SELECT code, name, geojson FROM areas ORDER BY code",
                          soci::into(code), soci::into(name), soci::into(geojson));
    st.execute();
    while (st.fetch()) {
      const auto it = rules.find(code);
      out.push_back({code, name, count_positions(geojson), it == rules.end() ? 0 : it->second});
    }
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

}  // namespace zocalo::requests
