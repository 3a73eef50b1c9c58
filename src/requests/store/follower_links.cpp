#include "requests/store/follower_links.hpp"

namespace zocalo::requests {

bool FollowerLinks::is_well_formed(std::string_view token) {
  if (token.size() < 16 || token.size() > 64) return false;
  for (const char c : token) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Status FollowerLinks::remember_language(const std::string& folio, long long account_id,
                                        std::string_view locale) {
  const std::string lang = locale.starts_with("en") ? "en" : "es-MX";
  return db_.transaction([&](soci::session& sql) -> Status {
    sql << "UPDATE service_request_followers SET locale = :l WHERE account_id = :a AND "
           "request_id = (SELECT id FROM service_requests WHERE folio = :f)",
        soci::use(lang), soci::use(account_id), soci::use(folio);
    return {};
  });
}

Result<std::optional<FollowedByToken>> FollowerLinks::find(std::string_view token) {
  std::optional<FollowedByToken> out;
  if (!is_well_formed(token)) return out;
  const std::string t(token);
  const Status st = db_.read([&](soci::session& sql) -> Status {
    FollowedByToken row;
    sql << "SELECT r.folio, s.name_es, s.name_en FROM service_request_followers f "
           "JOIN service_requests r ON r.id = f.request_id "
           "JOIN services s ON s.code = r.service_code WHERE f.stop_token = :t",
        soci::use(t), soci::into(row.folio), soci::into(row.service_es), soci::into(row.service_en);
    if (sql.got_data()) out = std::move(row);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

Result<bool> FollowerLinks::stop(std::string_view token) {
  if (!is_well_formed(token)) return false;
  const std::string t(token);
  bool removed = false;
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    soci::statement del =
        (sql.prepare << "DELETE FROM service_request_followers WHERE stop_token = :t",
         soci::use(t));
    del.execute(true);
    removed = del.get_affected_rows() > 0;
    return {};
  });
  if (!st) return fail(st.error());
  return removed;
}

Result<bool> FollowerLinks::unfollow(const std::string& folio, long long account_id) {
  bool removed = false;
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    soci::statement del =
        (sql.prepare << "DELETE FROM service_request_followers WHERE account_id = :a AND "
                        "request_id = (SELECT id FROM service_requests WHERE folio = :f)",
         soci::use(account_id), soci::use(folio));
    del.execute(true);
    removed = del.get_affected_rows() > 0;
    return {};
  });
  if (!st) return fail(st.error());
  return removed;
}

}  // namespace zocalo::requests
