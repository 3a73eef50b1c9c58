#include "platform/web/session_store.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>

#include "platform/core/crypto.hpp"

namespace zocalo::web {
namespace {

std::string encode(const http::SessionValues& values) {
  boost::json::object o;
  for (const auto& [k, v] : values) o[k] = v;
  return boost::json::serialize(o);
}

http::SessionValues decode(const std::string& text) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) throw std::runtime_error("session data is not a JSON object");
  http::SessionValues out;
  for (const auto& [k, val] : v.as_object()) {
    if (!val.is_string()) throw std::runtime_error("session value is not a string");
    out.emplace(std::string(k), std::string(val.as_string()));
  }
  return out;
}

[[noreturn]] void throw_error(const Error& e) {
  throw std::runtime_error("session store: " + e.detail);
}

}  // namespace

DbSessionStore::DbSessionStore(db::Database& db, SessionStoreOptions options)
    : db_(db), options_(std::move(options)) {}

std::int64_t DbSessionStore::expiry_from(std::int64_t now, std::int64_t created_at) const {
  return std::min(now + options_.idle_timeout.count(),
                  created_at + options_.absolute_timeout.count());
}

std::optional<http::SessionValues> DbSessionStore::load(const std::string& session_id) {
  const std::string id_hash = crypto::sha256_hex(session_id);
  const std::int64_t now = options_.clock();
  std::optional<std::string> data;
  long long created_at = 0, expires_at = 0;
  Status st = db_.read([&](soci::session& sql) -> Status {
    std::string text;
    sql << "SELECT data, created_at, expires_at FROM sessions WHERE id_hash = :h",
        soci::use(id_hash), soci::into(text), soci::into(created_at), soci::into(expires_at);
    if (sql.got_data()) data = std::move(text);
    return {};
  });
  if (!st) throw_error(st.error());
  if (!data || expires_at <= now) return std::nullopt;

  const long long slid = expiry_from(now, created_at);
  if (slid - expires_at >= options_.touch_interval.count()) {
    st = db_.transaction([&](soci::session& sql) -> Status {
      sql << "UPDATE sessions SET expires_at = :e WHERE id_hash = :h", soci::use(slid),
          soci::use(id_hash);
      return {};
    });
    if (!st) throw_error(st.error());
  }
  return decode(*data);
}

void DbSessionStore::save(const std::string& session_id, const http::SessionValues& values) {
  const std::string id_hash = crypto::sha256_hex(session_id);
  const std::string data = encode(values);
  const long long now = options_.clock();
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    long long created_at = now;
    soci::indicator ind = soci::i_null;
    sql << "SELECT created_at FROM sessions WHERE id_hash = :h", soci::use(id_hash),
        soci::into(created_at, ind);
    if (!sql.got_data() || ind != soci::i_ok) created_at = now;
    const long long expires_at = expiry_from(now, created_at);
    sql << "INSERT INTO sessions (id_hash, data, created_at, expires_at) "
           "VALUES (:h, :d, :c, :e) "
           "ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, "
           "expires_at = excluded.expires_at",
        soci::use(id_hash), soci::use(data), soci::use(created_at), soci::use(expires_at);
    return {};
  });
  if (!st) throw_error(st.error());
}

void DbSessionStore::destroy(const std::string& session_id) {
  const std::string id_hash = crypto::sha256_hex(session_id);
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    sql << "DELETE FROM sessions WHERE id_hash = :h", soci::use(id_hash);
    return {};
  });
  if (!st) throw_error(st.error());
}

Result<std::size_t> DbSessionStore::purge_expired() {
  const long long now = options_.clock();
  std::size_t removed = 0;
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    soci::statement del =
        (sql.prepare << "DELETE FROM sessions WHERE expires_at <= :now", soci::use(now));
    del.execute(true);
    removed = static_cast<std::size_t>(del.get_affected_rows());
    return {};
  });
  if (!st) return fail(st.error());
  return removed;
}

}  // namespace zocalo::web
