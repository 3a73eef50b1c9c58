#include "identity/store/login_session_store.hpp"

#include "platform/core/crypto.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::identity {
namespace {

constexpr const char* kColumns =
    "id, account_id, auth_time, amr, user_agent, ip, created_at, last_seen_at, idle_timeout, "
    "expires_at, revoked_at";
constexpr int kMaxListed = 100;
constexpr std::int64_t kTouchEvery = 60;  // seconds between last_seen_at writes
constexpr std::size_t kMaxIpBytes = 64;
constexpr std::size_t kMaxAmrBytes = 100;

struct LoginRow {
  LoginSession login;
  long long revoked_at = 0;
  soci::indicator revoked_i = soci::i_null;

  void exchange(soci::statement& st) {
    st.exchange(soci::into(login.id));
    st.exchange(soci::into(login.account_id));
    st.exchange(soci::into(login.auth_time));
    st.exchange(soci::into(login.amr));
    st.exchange(soci::into(login.user_agent));
    st.exchange(soci::into(login.ip));
    st.exchange(soci::into(login.created_at));
    st.exchange(soci::into(login.last_seen_at));
    st.exchange(soci::into(login.idle_timeout));
    st.exchange(soci::into(login.expires_at));
    st.exchange(soci::into(revoked_at, revoked_i));
  }
  LoginSession get() const {
    LoginSession out = login;
    if (revoked_i == soci::i_ok) out.revoked_at = revoked_at;
    return out;
  }
};

// Runs a SELECT of kColumns with `bind` adding the uses; appends each row.
void select_logins(soci::session& sql, const std::string& where,
                   const std::function<void(soci::statement&)>& bind,
                   std::vector<LoginSession>& out) {
  LoginRow row;
  soci::statement st(sql);
  row.exchange(st);
  bind(st);
  st.alloc();
  st.prepare(std::string("SELECT ") + kColumns + " FROM login_sessions WHERE " + where);
  st.define_and_bind();
  if (!st.execute(true)) return;
  do {
    out.push_back(row.get());
  } while (st.fetch());
}

// The condition alive() checks, in SQL. Named :alive_end and :alive_idle, both bound to now,
// because SOCI's PostgreSQL backend binds a name once even when the text repeats it.
constexpr const char* kAlive =
    "revoked_at IS NULL AND expires_at > :alive_end AND last_seen_at + idle_timeout > "
    ":alive_idle";

void bind_alive(soci::statement& st, const std::int64_t& now) {
  st.exchange(soci::use(now, "alive_end"));
  st.exchange(soci::use(now, "alive_idle"));
}

}  // namespace

Result<LoginSession> LoginSessionStore::create(soci::session& sql, const NewLoginSession& login,
                                               std::int64_t now) {
  if (login.amr.empty() || login.amr.size() > kMaxAmrBytes || !utf8::is_valid(login.amr)) {
    return fail(Error::invalid("identity.login.invalid", "amr must be 1..100 bytes"));
  }
  if (login.idle_timeout <= 0 || login.lifetime <= 0) {
    return fail(Error::invalid("identity.login.invalid", "login timeouts must be positive"));
  }
  LoginSession out;
  out.id = crypto::random_token(32);
  out.account_id = login.account_id;
  out.auth_time = now;
  out.amr = login.amr;
  out.user_agent = utf8::truncate(login.user_agent, kMaxUserAgentBytes);
  out.ip = utf8::truncate(login.ip, kMaxIpBytes);
  out.created_at = now;
  out.last_seen_at = now;
  out.idle_timeout = login.idle_timeout;
  out.expires_at = now + login.lifetime;
  sql << "INSERT INTO login_sessions (id, account_id, auth_time, amr, user_agent, ip, "
         "created_at, last_seen_at, idle_timeout, expires_at) VALUES (:id, :account, :auth, "
         ":amr, :ua, :ip, :created, :seen, :idle, :expires)",
      soci::use(out.id), soci::use(out.account_id), soci::use(out.auth_time), soci::use(out.amr),
      soci::use(out.user_agent), soci::use(out.ip), soci::use(out.created_at),
      soci::use(out.last_seen_at), soci::use(out.idle_timeout), soci::use(out.expires_at);
  return out;
}

Result<std::optional<LoginSession>> LoginSessionStore::find_alive(std::string_view id,
                                                                  std::int64_t now) {
  std::optional<LoginSession> found;
  // Ids are 43 characters; anything else cannot be one, and costs no query.
  if (id.size() != 43) return found;
  const std::string key(id);
  const Status st = db_.read([&](soci::session& sql) -> Status {
    std::vector<LoginSession> rows;
    select_logins(
        sql, "id = :id", [&](soci::statement& s) { s.exchange(soci::use(key)); }, rows);
    if (!rows.empty() && rows.front().alive(now)) found = std::move(rows.front());
    return {};
  });
  if (!st) return fail(st.error());
  return found;
}

Status LoginSessionStore::touch(const LoginSession& login, std::int64_t now) {
  if (now < login.last_seen_at + kTouchEvery) return {};
  return db_.transaction([&](soci::session& sql) -> Status {
    sql << "UPDATE login_sessions SET last_seen_at = :now WHERE id = :id AND last_seen_at < "
           ":before",
        soci::use(now, "now"), soci::use(login.id, "id"), soci::use(now, "before");
    return {};
  });
}

Status LoginSessionStore::reauthenticated(soci::session& sql, std::string_view id,
                                          std::string_view amr, std::int64_t now) {
  if (amr.empty() || amr.size() > kMaxAmrBytes) {
    return fail(Error::invalid("identity.login.invalid", "amr must be 1..100 bytes"));
  }
  const std::string key(id), methods(amr);
  soci::statement st =
      (sql.prepare << "UPDATE login_sessions SET auth_time = :auth, amr = :amr, last_seen_at = "
                      ":seen WHERE id = :id AND revoked_at IS NULL",
       soci::use(now, "auth"), soci::use(methods, "amr"), soci::use(now, "seen"),
       soci::use(key, "id"));
  st.execute(true);
  if (st.get_affected_rows() == 0) {
    return fail(Error::not_found("no alive login to reauthenticate"));
  }
  return {};
}

Result<std::vector<LoginSession>> LoginSessionStore::list_alive(long long account_id,
                                                                std::int64_t now) {
  std::vector<LoginSession> out;
  const Status st = db_.read([&](soci::session& sql) -> Status {
    select_logins(
        sql,
        std::string("account_id = :account AND ") + kAlive +
            " ORDER BY last_seen_at DESC, created_at DESC LIMIT " + std::to_string(kMaxListed),
        [&](soci::statement& s) {
          s.exchange(soci::use(account_id, "account"));
          bind_alive(s, now);
        },
        out);
    return {};
  });
  if (!st) return fail(st.error());
  return out;
}

Status LoginSessionStore::revoke(soci::session& sql, long long account_id, std::string_view id,
                                 std::int64_t now) {
  const std::string key(id);
  soci::statement st(sql);
  st.exchange(soci::use(now, "now"));
  st.exchange(soci::use(key, "id"));
  st.exchange(soci::use(account_id, "account"));
  bind_alive(st, now);
  st.alloc();
  st.prepare(std::string("UPDATE login_sessions SET revoked_at = :now WHERE id = :id AND "
                         "account_id = :account AND ") +
             kAlive);
  st.define_and_bind();
  st.execute(true);
  if (st.get_affected_rows() == 0) {
    return fail(Error::not_found("no alive login of this account with that id"));
  }
  return {};
}

Result<int> LoginSessionStore::revoke_all(soci::session& sql, long long account_id,
                                          std::optional<std::string_view> keep, std::int64_t now) {
  const std::string kept(keep.value_or(""));
  soci::statement st(sql);
  st.exchange(soci::use(now, "now"));
  st.exchange(soci::use(account_id, "account"));
  st.exchange(soci::use(kept, "keep"));
  bind_alive(st, now);
  st.alloc();
  st.prepare(std::string("UPDATE login_sessions SET revoked_at = :now WHERE account_id = "
                         ":account AND id <> :keep AND ") +
             kAlive);
  st.define_and_bind();
  st.execute(true);
  return static_cast<int>(st.get_affected_rows());
}

Result<int> LoginSessionStore::purge_dead(std::int64_t now, std::int64_t retention) {
  int removed = 0;
  const std::int64_t before = now - retention;
  const Status st = db_.transaction([&](soci::session& sql) -> Status {
    soci::statement del =
        (sql.prepare << "DELETE FROM login_sessions WHERE expires_at < :b1 OR revoked_at < :b2 "
                        "OR last_seen_at + idle_timeout < :b3",
         soci::use(before, "b1"), soci::use(before, "b2"), soci::use(before, "b3"));
    del.execute(true);
    removed = static_cast<int>(del.get_affected_rows());
    return {};
  });
  if (!st) return fail(st.error());
  return removed;
}

}  // namespace zocalo::identity
