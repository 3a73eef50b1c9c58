#include "portal/store/agency_store.hpp"

namespace zocalo::portal {

Result<std::vector<Agency>> AgencyStore::list() {
  std::vector<Agency> agencies;
  const Status status = db_.read([&](soci::session& sql) -> Status {
    Agency row;
    long long id = 0;
    std::string area_code;
    soci::indicator area_indicator = soci::i_null;
    soci::statement st =
        (sql.prepare << "SELECT ag.id, ag.code, ag.name_es, ag.name_en, ag.kind, ar.code "
                        "FROM agencies ag LEFT JOIN areas ar ON ar.id = ag.area_id "
                        "ORDER BY ag.code",
         soci::into(id), soci::into(row.code), soci::into(row.name_es), soci::into(row.name_en),
         soci::into(row.kind), soci::into(area_code, area_indicator));
    st.execute();
    while (st.fetch()) {
      row.id = id;
      row.area_code = area_indicator == soci::i_ok ? std::optional(area_code) : std::nullopt;
      agencies.push_back(row);
    }
    return {};
  });
  if (!status) return fail(status.error());
  return agencies;
}

void AgencyStore::upsert(soci::session& sql, const Agency& agency) {
  const std::string area_code = agency.area_code.value_or("");
  soci::indicator area_indicator = agency.area_code ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO agencies (code, name_es, name_en, kind, area_id) "
         "VALUES (:code, :name_es, :name_en, :kind, "
         "(SELECT id FROM areas WHERE code = :area_code)) "
         "ON CONFLICT (code) DO UPDATE SET name_es = excluded.name_es, "
         "name_en = excluded.name_en, kind = excluded.kind, area_id = excluded.area_id",
      soci::use(agency.code), soci::use(agency.name_es), soci::use(agency.name_en),
      soci::use(agency.kind), soci::use(area_code, area_indicator);
}

}  // namespace zocalo::portal
