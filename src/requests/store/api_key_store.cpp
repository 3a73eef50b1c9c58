#include "requests/store/api_key_store.hpp"

#include "platform/db/kept_statement.hpp"
#include "requests/model/api_key.hpp"

namespace zocalo::requests {
namespace {

struct KeyRow {
  ApiKeyRecord record;
  long long revoked_at = 0;
  soci::indicator revoked_ind = soci::i_null;

  ApiKeyRecord done() const {
    ApiKeyRecord r = record;
    if (revoked_ind == soci::i_ok) r.revoked_at = revoked_at;
    return r;
  }
};

bool name_exists(soci::session& sql, const std::string& name) {
  long long count = 0;
  sql << "SELECT COUNT(*) FROM open311_api_keys WHERE name = :name", soci::use(name),
      soci::into(count);
  return count > 0;
}

long long insert_key(soci::session& sql, const std::string& name, const std::string& hash,
                     std::int64_t now) {
  long long id = 0;
  long long created_at = now;
  sql << "INSERT INTO open311_api_keys (name, key_hash, created_at) "
         "VALUES (:name, :key_hash, :created_at) RETURNING id",
      soci::use(name), soci::use(hash), soci::use(created_at), soci::into(id);
  return id;
}

}  // namespace

Result<IssuedApiKey> ApiKeyStore::add(const std::string& name, std::int64_t now) {
  if (Status s = check_api_key_name(name); !s) return fail(s.error());
  IssuedApiKey issued;
  issued.key = generate_api_key();
  issued.record.name = name;
  issued.record.created_at = now;
  const Status done = db_.transaction([&](soci::session& sql) -> Status {
    if (name_exists(sql, name)) {
      return fail(Error::conflict("requests.api_key.name_taken", "key name in use: " + name));
    }
    issued.record.id = insert_key(sql, name, api_key_hash(issued.key), now);
    return {};
  });
  if (!done) return fail(done.error());
  return issued;
}

Status ApiKeyStore::add_fixed(const std::string& name, const std::string& key, std::int64_t now) {
  if (Status s = check_api_key_name(name); !s) return s;
  return db_.transaction([&](soci::session& sql) -> Status {
    if (!name_exists(sql, name)) insert_key(sql, name, api_key_hash(key), now);
    return {};
  });
}

Result<std::vector<ApiKeyRecord>> ApiKeyStore::list() {
  std::vector<ApiKeyRecord> out;
  const Status done = db_.read([&](soci::session& sql) -> Status {
    KeyRow row;
    soci::statement st =
        (sql.prepare << "SELECT id, name, created_at, revoked_at FROM open311_api_keys "
                        "ORDER BY id",
         soci::into(row.record.id), soci::into(row.record.name), soci::into(row.record.created_at),
         soci::into(row.revoked_at, row.revoked_ind));
    st.execute();
    while (st.fetch()) out.push_back(row.done());
    return {};
  });
  if (!done) return fail(done.error());
  return out;
}

Status ApiKeyStore::revoke(long long id, std::int64_t now) {
  return db_.transaction([&](soci::session& sql) -> Status {
    long long count = 0;
    sql << "SELECT COUNT(*) FROM open311_api_keys WHERE id = :id", soci::use(id), soci::into(count);
    if (count == 0) return fail(Error::not_found("no API key with id " + std::to_string(id)));
    long long revoked_at = now;
    sql << "UPDATE open311_api_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL",
        soci::use(revoked_at), soci::use(id);
    return {};
  });
}

namespace {

// Every Open311 POST starts here: kept prepared (platform/db/kept_statement.hpp).
struct FindActiveKey {
  static constexpr std::string_view kSql =
      "SELECT id, name, created_at FROM open311_api_keys "
      "WHERE key_hash = :hash AND revoked_at IS NULL";
  std::string hash;
  ApiKeyRecord record;
  void bind(soci::statement& st) {
    st.exchange(soci::use(hash));
    st.exchange(soci::into(record.id));
    st.exchange(soci::into(record.name));
    st.exchange(soci::into(record.created_at));
  }
};

}  // namespace

Result<std::optional<ApiKeyRecord>> ApiKeyStore::authenticate(const std::string& key) {
  std::optional<ApiKeyRecord> found;
  if (key.empty() || key.size() > kApiKeyMaxBytes) return found;
  // The hash is looked up, never the key compared: the lookup's timing says nothing useful
  // about a key whose SHA-256 nobody can invert.
  const std::string hash = api_key_hash(key);
  const Status done = db_.read([&](soci::session& sql) -> Status {
    auto lookup = db::kept<FindActiveKey>(sql);
    lookup->values.hash = hash;
    if (lookup->run()) found = lookup->values.record;
    return {};
  });
  if (!done) return fail(done.error());
  return found;
}

}  // namespace zocalo::requests
