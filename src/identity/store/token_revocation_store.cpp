#include "identity/store/token_revocation_store.hpp"

#include <string>

namespace zocalo::identity {

Status TokenRevocationStore::revoke(soci::session& sql, std::string_view jti,
                                    std::int64_t expires_at, std::int64_t now) {
  if (jti.empty() || jti.size() > 200) return fail(Error::invalid("error.invalid_token", "jti"));
  const std::string id(jti);
  const long long expires = expires_at, at = now;
  sql << "INSERT INTO oidc_revoked_tokens (jti, expires_at, revoked_at) VALUES (:jti, :exp, :at) "
         "ON CONFLICT (jti) DO NOTHING",
      soci::use(id), soci::use(expires), soci::use(at);
  return {};
}

Result<bool> TokenRevocationStore::is_revoked(soci::session& sql, std::string_view jti) {
  const std::string id(jti);
  int n = 0;
  sql << "SELECT COUNT(*) FROM oidc_revoked_tokens WHERE jti = :jti", soci::use(id), soci::into(n);
  return n > 0;
}

Result<bool> TokenRevocationStore::is_revoked(std::string_view jti) {
  bool out = false;
  const Status s = db_.read([&](soci::session& sql) -> Status {
    auto r = is_revoked(sql, jti);
    if (!r) return fail(r.error());
    out = *r;
    return {};
  });
  if (!s) return fail(s.error());
  return out;
}

Result<long long> TokenRevocationStore::purge_expired(std::int64_t now) {
  long long n = 0;
  const Status s = db_.transaction([&](soci::session& sql) -> Status {
    const long long at = now;
    soci::statement st =
        (sql.prepare << "DELETE FROM oidc_revoked_tokens WHERE expires_at < :now", soci::use(at));
    st.execute(true);
    n = st.get_affected_rows();
    return {};
  });
  if (!s) return fail(s.error());
  return n;
}

}  // namespace zocalo::identity
