#include "identity/routes/admin_agencies.hpp"

#include <soci/soci.h>

namespace zocalo::identity {

Result<std::vector<AgencyChoice>> list_agency_choices(db::Database& db) {
  std::vector<AgencyChoice> out;
  const Status st = db.read([&](soci::session& sql) -> Status {
    AgencyChoice row;
    const int limit = kMaxAgencyChoices;
    soci::statement select =
        (sql.prepare << "SELECT id, name_es, name_en FROM agencies ORDER BY name_es, id LIMIT :n",
         soci::use(limit), soci::into(row.id), soci::into(row.name_es), soci::into(row.name_en));
    select.execute();
    while (select.fetch()) out.push_back(row);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

}  // namespace zocalo::identity
