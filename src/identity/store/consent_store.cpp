#include "identity/store/consent_store.hpp"

#include "identity/oidc/scope.hpp"

namespace zocalo::identity {
namespace {

std::vector<std::string> split(const std::string& text) {
  return oidc::parse_scopes(text).value_or(std::vector<std::string>{});
}

std::optional<std::vector<std::string>> select_scopes(soci::session& sql, long long account_id,
                                                      const std::string& client) {
  std::string scope;
  sql << "SELECT scope FROM oidc_consents WHERE account_id = :account AND client_id = :client",
      soci::use(account_id), soci::use(client), soci::into(scope);
  if (!sql.got_data()) return std::nullopt;
  return split(scope);
}

}  // namespace

Status ConsentStore::grant(soci::session& sql, long long account_id, std::string_view client_id,
                           const std::vector<std::string>& scopes, std::int64_t now) {
  const std::string client(client_id);
  std::vector<std::string> merged =
      select_scopes(sql, account_id, client).value_or(std::vector<std::string>{});
  for (const auto& s : scopes)
    if (!oidc::has_scope(merged, s)) merged.push_back(s);
  const std::string scope = oidc::join_scopes(merged);
  const long long at = now;
  sql << "INSERT INTO oidc_consents (account_id, client_id, scope, granted_at) "
         "VALUES (:account, :client, :scope, :at) ON CONFLICT (account_id, client_id) "
         "DO UPDATE SET scope = excluded.scope, granted_at = excluded.granted_at",
      soci::use(account_id), soci::use(client), soci::use(scope), soci::use(at);
  return {};
}

Result<std::optional<std::vector<std::string>>> ConsentStore::find(long long account_id,
                                                                   std::string_view client_id) {
  std::optional<std::vector<std::string>> out;
  const Status s = db_.read([&](soci::session& sql) -> Status {
    out = select_scopes(sql, account_id, std::string(client_id));
    return {};
  });
  if (!s) return fail(s.error());
  return out;
}

Result<std::vector<Consent>> ConsentStore::list_for_account(long long account_id) {
  std::vector<Consent> out;
  const Status s = db_.read([&](soci::session& sql) -> Status {
    Consent c;
    std::string scope;
    long long at = 0;
    soci::statement st =
        (sql.prepare << "SELECT c.client_id, k.name, c.scope, c.granted_at FROM oidc_consents c "
                        "JOIN oidc_clients k ON k.client_id = c.client_id "
                        "WHERE c.account_id = :account ORDER BY c.granted_at DESC LIMIT 200",
         soci::use(account_id), soci::into(c.client_id), soci::into(c.client_name),
         soci::into(scope), soci::into(at));
    if (!st.execute(true)) return {};
    do {
      Consent row = c;
      row.scopes = split(scope);
      row.granted_at = at;
      out.push_back(std::move(row));
    } while (st.fetch());
    return {};
  });
  if (!s) return fail(s.error());
  return out;
}

Result<bool> ConsentStore::revoke(soci::session& sql, long long account_id,
                                  std::string_view client_id) {
  const std::string client(client_id);
  soci::statement st =
      (sql.prepare << "DELETE FROM oidc_consents WHERE account_id = :account AND client_id = :c",
       soci::use(account_id), soci::use(client));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

}  // namespace zocalo::identity
