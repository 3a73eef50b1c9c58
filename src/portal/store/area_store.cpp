#include "portal/store/area_store.hpp"

namespace zocalo::portal {

Result<std::vector<Area>> AreaStore::list(std::string_view kind) {
  std::vector<Area> areas;
  const Status status = db_.read([&](soci::session& sql) -> Status {
    const std::string kind_value(kind);
    Area row;
    long long id = 0;
    soci::statement st =
        (sql.prepare << "SELECT id, code, name, kind, min_lon, min_lat, max_lon, max_lat "
                        "FROM areas WHERE kind = :kind ORDER BY code",
         soci::into(id), soci::into(row.code), soci::into(row.name), soci::into(row.kind),
         soci::into(row.bounds.min_lon), soci::into(row.bounds.min_lat),
         soci::into(row.bounds.max_lon), soci::into(row.bounds.max_lat), soci::use(kind_value));
    st.execute();
    while (st.fetch()) {
      row.id = id;
      areas.push_back(row);
    }
    return {};
  });
  if (!status) return fail(status.error());
  return areas;
}

void AreaStore::upsert(soci::session& sql, const Area& area, const std::string& geojson) {
  sql << "INSERT INTO areas (code, name, kind, geojson, min_lon, min_lat, max_lon, max_lat) "
         "VALUES (:code, :name, :kind, :geojson, :min_lon, :min_lat, :max_lon, :max_lat) "
         "ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
         "geojson = excluded.geojson, min_lon = excluded.min_lon, min_lat = excluded.min_lat, "
         "max_lon = excluded.max_lon, max_lat = excluded.max_lat",
      soci::use(area.code), soci::use(area.name), soci::use(area.kind), soci::use(geojson),
      soci::use(area.bounds.min_lon), soci::use(area.bounds.min_lat),
      soci::use(area.bounds.max_lon), soci::use(area.bounds.max_lat);
}

}  // namespace zocalo::portal
