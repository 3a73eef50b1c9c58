#include "requests/store/export_store.hpp"

#include <algorithm>
#include <cmath>

namespace zocalo::requests {
namespace {

// The public page's rounding of a private request's point (resident_request_store.cpp):
// about 100 m, enough to find the street, not the door.
double blur(double degrees) {
  return std::round(degrees * 1000.0) / 1000.0;
}

}  // namespace

Result<ExportPage> ExportStore::page(std::int64_t since, std::int64_t until, int page,
                                     int page_rows) {
  const long long size = std::clamp(page_rows, 1, kExportPageRows);
  const long long offset = static_cast<long long>(std::max(page, 1) - 1) * size;
  long long limit = size + 1;  // one more tells whether another page follows
  long long from = since, to = until;
  ExportPage out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    ExportRow r;
    long long requested = 0, updated = 0, expected = 0, closed = 0;
    double lat = 0, lon = 0;
    int is_private = 0;
    soci::indicator expected_ind = soci::i_null, closed_ind = soci::i_null, lat_ind = soci::i_null,
                    lon_ind = soci::i_null;
    // Column list written out by hand: personal columns (email, first_name, last_name, phone,
    // device_id, account_id) must never appear here.
    soci::statement st =
        (sql.prepare << "SELECT r.id, r.folio, r.service_code, COALESCE(s.name_es, ''), "
                        "r.status, COALESCE(r.area_code, ''), COALESCE(ar.name, ''), "
                        "r.agency_code, COALESCE(ag.name_es, ''), r.requested_at, r.updated_at, "
                        "r.expected_at, r.closed_at, r.channel, r.lat, r.lon, r.description, "
                        "r.private FROM service_requests r "
                        "LEFT JOIN services s ON s.code = r.service_code "
                        "LEFT JOIN areas ar ON ar.code = r.area_code "
                        "LEFT JOIN agencies ag ON ag.code = r.agency_code "
                        "WHERE r.requested_at >= :since AND r.requested_at < :until "
                        "ORDER BY r.requested_at, r.id LIMIT :limit OFFSET :offset",
         soci::use(from, "since"), soci::use(to, "until"), soci::use(limit, "limit"),
         soci::use(offset, "offset"), soci::into(r.id), soci::into(r.folio),
         soci::into(r.service_code), soci::into(r.service_name), soci::into(r.status),
         soci::into(r.area_code), soci::into(r.area_name), soci::into(r.agency_code),
         soci::into(r.agency_name), soci::into(requested), soci::into(updated),
         soci::into(expected, expected_ind), soci::into(closed, closed_ind), soci::into(r.channel),
         soci::into(lat, lat_ind), soci::into(lon, lon_ind), soci::into(r.description),
         soci::into(is_private));
    st.execute();
    while (st.fetch()) {
      ExportRow row = r;
      row.requested_at = requested;
      row.updated_at = updated;
      row.expected_at =
          expected_ind == soci::i_ok ? std::optional<std::int64_t>(expected) : std::nullopt;
      row.closed_at = closed_ind == soci::i_ok ? std::optional<std::int64_t>(closed) : std::nullopt;
      row.is_private = is_private != 0;
      if (lat_ind == soci::i_ok && lon_ind == soci::i_ok) {
        row.point = row.is_private ? GeoPoint{blur(lon), blur(lat)} : GeoPoint{lon, lat};
      }
      if (row.is_private) row.description.clear();
      out.rows.push_back(std::move(row));
    }
    return {};
  });
  if (!done) return fail(done.error());
  if (out.rows.size() > static_cast<std::size_t>(size)) {
    out.rows.resize(static_cast<std::size_t>(size));
    out.has_more = true;
  }
  return out;
}

}  // namespace zocalo::requests
