#include "platform/db/settings_store.hpp"

#include "platform/core/crypto.hpp"

namespace zocalo::db {

Result<std::optional<std::string>> SettingsStore::get(const std::string& key) {
  std::optional<std::string> out;
  Status st = db_.read([&](soci::session& sql) -> Status {
    std::string value;
    soci::indicator ind = soci::i_null;
    sql << "SELECT value FROM settings WHERE key = :key", soci::use(key), soci::into(value, ind);
    if (sql.got_data() && ind == soci::i_ok) out = std::move(value);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

Status SettingsStore::set(const std::string& key, const std::string& value) {
  return db_.transaction([&](soci::session& sql) -> Status {
    sql << "INSERT INTO settings (key, value) VALUES (:key, :value) "
           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        soci::use(key), soci::use(value);
    return {};
  });
}

Result<std::string> SettingsStore::get_or_create_secret(const std::string& name,
                                                        std::size_t bytes) {
  const std::string key = "secret." + name;
  const std::string candidate = crypto::base64url_encode(crypto::random_bytes(bytes));
  std::string stored;
  Status st = db_.transaction([&](soci::session& sql) -> Status {
    // DO NOTHING, then read: whichever node inserted first, every node reads the same row.
    sql << "INSERT INTO settings (key, value) VALUES (:key, :value) ON CONFLICT (key) DO NOTHING",
        soci::use(key), soci::use(candidate);
    sql << "SELECT value FROM settings WHERE key = :key", soci::use(key), soci::into(stored);
    return {};
  });
  if (!st) return fail(st.error());
  auto raw = crypto::base64url_decode(stored);
  if (!raw || raw->size() != bytes) {
    return fail(Error::internal("settings " + key + " is not " + std::to_string(bytes) +
                                " bytes of base64url"));
  }
  return *raw;
}

}  // namespace zocalo::db
