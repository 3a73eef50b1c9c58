#include "identity/resident.hpp"

#include <algorithm>

#include "identity/store/account_store.hpp"
#include "identity/store/audit_log.hpp"
#include "identity/store/staff_role_store.hpp"
#include "platform/core/crypto.hpp"
#include "platform/core/text.hpp"
#include "platform/core/time.hpp"
#include "platform/http/form.hpp"

namespace zocalo::identity {
namespace {

constexpr std::size_t kMaxLocalPath = 2000;

// An audit event done from this HTTP request by `actor_id` (of `kind`), about `account_id`.
// An address too long for the log is left out rather than failing the action.
AuditEvent request_event(const http::Request& req, std::optional<long long> account_id,
                         ActorKind kind, long long actor_id, std::string_view action,
                         std::string detail, std::int64_t now = 0) {
  AuditEvent event;
  event.account_id = account_id;
  event.actor_kind = kind;
  event.actor_id = std::to_string(actor_id);
  event.action = std::string(action);
  event.detail = std::move(detail);
  if (!req.remote_addr.empty() && req.remote_addr.size() <= kMaxAuditIpBytes) {
    event.ip = req.remote_addr;
  }
  event.created_at = now;
  return event;
}

AuditEvent login_event(const http::Request& req, long long account_id, std::string_view action,
                       std::string detail, std::int64_t now) {
  return request_event(req, account_id, ActorKind::kResident, account_id, action, std::move(detail),
                       now);
}

// 1..48 of [a-z0-9_.]: a name the activity page can look up, never free text.
Status check_purpose(std::string_view purpose) {
  const bool ok =
      !purpose.empty() && purpose.size() <= 48 &&
      purpose.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_.") == std::string_view::npos;
  if (!ok) return fail(Error::invalid("identity.audit.invalid", "purpose"));
  return {};
}

Status append_staff_event(soci::session& sql, const http::Request& req,
                          std::optional<long long> account_id, long long staff_account_id,
                          std::string_view action, std::string detail) {
  const AuditEvent event = request_event(req, account_id, ActorKind::kStaff, staff_account_id,
                                         action, std::move(detail));
  if (auto row = AuditLog::append(sql, event); !row) return fail(row.error());
  return {};
}

Status record_reading(soci::session& sql, const http::Request& req, const StaffReader& reader,
                      long long account_id) {
  // The purpose was checked: nothing in it needs escaping.
  return append_staff_event(sql, req, account_id, reader.staff_account_id, "data.viewed",
                            "{\"purpose\":\"" + std::string(reader.purpose) + "\"}");
}

}  // namespace

Result<std::optional<SignedIn>> signed_in(http::Request& req, db::Database& db, std::int64_t now) {
  if (now == 0) now = time::now_unix();
  std::optional<SignedIn> none;
  // A browser without a session cookie has no login: no query at all.
  if (req.session.is_new() || req.session.empty_id()) return none;
  const auto id = req.session.get(kLoginSessionKey);
  if (!id) return none;
  LoginSessionStore logins(db);
  auto login = logins.find_alive(*id, now);
  if (!login) return fail(login.error());
  auto forget = [&] {
    req.session.erase(kLoginSessionKey);
    return none;
  };
  if (!*login) return forget();
  auto account = AccountStore(db).find_by_id((*login)->account_id);
  if (!account) return fail(account.error());
  if (!*account || (*account)->status != AccountStatus::kActive) return forget();
  auto roles = StaffRoleStore(db).roles_of((*login)->account_id);
  if (!roles) return fail(roles.error());
  if (Status touched = logins.touch(**login, now); !touched) return fail(touched.error());
  return std::optional<SignedIn>(
      SignedIn{std::move(**account), std::move(**login), std::move(*roles)});
}

Result<LoginSession> start_login(http::Request& req, db::Database& db, const Account& account,
                                 std::string_view amr, const NewLoginSession& limits,
                                 std::int64_t now) {
  NewLoginSession fresh = limits;
  fresh.account_id = account.id;
  fresh.amr = std::string(amr);
  fresh.user_agent = std::string(req.header("User-Agent").value_or(""));
  fresh.ip = req.remote_addr;
  LoginSession login;
  const Status st = db.transaction([&](soci::session& sql) -> Status {
    auto created = LoginSessionStore::create(sql, fresh, now);
    if (!created) return fail(created.error());
    login = std::move(*created);
    std::string detail = "{\"amr\":\"";
    text::append_json_escaped(detail, login.amr);
    detail += "\"}";
    auto logged = AuditLog::append(sql, login_event(req, account.id, "signin", detail, now));
    if (!logged) return fail(logged.error());
    return {};
  });
  if (!st) return fail(st.error());
  // Whatever the browser carried before (a form's state, an attacker's fixed id) stays behind.
  req.session.reset(crypto::random_token(32));
  req.session.set(kLoginSessionKey, login.id);
  return login;
}

Status end_login(http::Request& req, db::Database& db, std::int64_t now) {
  if (req.session.is_new() || req.session.empty_id()) return {};
  const auto id = req.session.get(kLoginSessionKey);
  if (id) {
    auto login = LoginSessionStore(db).find_alive(*id, now);
    if (!login) return fail(login.error());
    if (*login) {
      const LoginSession& alive = **login;
      const Status st = db.transaction([&](soci::session& sql) -> Status {
        if (Status s = LoginSessionStore::revoke(sql, alive.account_id, alive.id, now); !s) {
          return s;
        }
        auto logged =
            AuditLog::append(sql, login_event(req, alive.account_id, "signout", "{}", now));
        if (!logged) return fail(logged.error());
        return {};
      });
      if (!st) return st;
    }
  }
  req.session.reset(crypto::random_token(32));
  return {};
}

bool is_local_path(std::string_view target) {
  if (target.empty() || target.size() > kMaxLocalPath || target.front() != '/') return false;
  // "//host" and "/\host" are network-path references browsers resolve to another host.
  if (target.size() > 1 && (target[1] == '/' || target[1] == '\\')) return false;
  for (const char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u == 0x7f || c == '\\') return false;
  }
  return true;
}

http::Response sign_in_redirect(const http::Request& req) {
  std::string back = req.path;
  if (!req.raw_query.empty()) back += "?" + req.raw_query;
  if (!is_local_path(back)) back = "/";
  return http::Response::redirect(std::string(kSignInPath) +
                                  "?siguiente=" + http::percent_encode(back));
}

ResidentContact contact_of(const Account& account) {
  ResidentContact out;
  out.account_id = account.id;
  out.given_name = account.given_name;
  out.family_name = account.family_name;
  if (account.email_verified_at) out.email = account.email;
  if (account.phone_verified_at) out.phone = account.phone;
  out.curp = account.curp;
  out.loa = account.loa;
  return out;
}

Result<std::vector<ResidentContact>> find_residents(const http::Request& req, db::Database& db,
                                                    const StaffReader& reader,
                                                    std::string_view prefix, int limit) {
  if (Status ok = check_purpose(reader.purpose); !ok) return fail(ok.error());
  auto found = AccountStore(db).search(prefix, limit);
  if (!found) return fail(found.error());
  std::vector<ResidentContact> out;
  for (const auto& account : *found) {
    if (account.status == AccountStatus::kActive) out.push_back(contact_of(account));
  }
  if (out.empty()) return out;
  const Status recorded = db.transaction([&](soci::session& sql) -> Status {
    for (const ResidentContact& c : out) {
      if (Status row = record_reading(sql, req, reader, c.account_id); !row) return row;
    }
    return {};
  });
  if (!recorded) return fail(recorded.error());
  return out;
}

Result<std::optional<ResidentContact>> find_resident(const http::Request& req, db::Database& db,
                                                     const StaffReader& reader,
                                                     long long account_id) {
  if (Status ok = check_purpose(reader.purpose); !ok) return fail(ok.error());
  std::optional<ResidentContact> out;
  const Status read = db.transaction([&](soci::session& sql) -> Status {
    auto found = find_resident(sql, account_id);
    if (!found) return fail(found.error());
    if (!*found) return {};
    if (Status row = record_reading(sql, req, reader, account_id); !row) return row;
    out = std::move(*found);
    return {};
  });
  if (!read) return fail(read.error());
  return out;
}

Result<std::optional<ResidentContact>> find_resident(soci::session& sql, long long account_id) {
  auto found = AccountStore::find_by_id(sql, account_id);
  if (!found) return fail(found.error());
  if (!*found || (*found)->status != AccountStatus::kActive) {
    return std::optional<ResidentContact>();
  }
  return std::optional<ResidentContact>(contact_of(**found));
}

Status record_staff_action(soci::session& sql, const http::Request& req, long long staff_account_id,
                           std::string_view action, std::string detail) {
  return append_staff_event(sql, req, std::nullopt, staff_account_id, action, std::move(detail));
}

Result<std::vector<AgencyStaffMember>> find_agency_staff(db::Database& db,
                                                         std::string_view agency_code) {
  std::vector<AgencyStaffMember> out;
  if (agency_code.empty() || agency_code.size() > 64) return out;
  const std::string code(agency_code);
  // One statement for the whole list: the staff request page asks for it on every view.
  const Status read = db.read([&](soci::session& sql) -> Status {
    long long id = 0;
    std::string given, family;
    soci::statement st =
        (sql.prepare << "SELECT DISTINCT a.id, a.given_name, a.family_name FROM staff_roles r "
                        "JOIN agencies g ON g.id = r.agency_id "
                        "JOIN accounts a ON a.id = r.account_id "
                        "WHERE g.code = :code AND r.role = 'agency_staff' AND a.status = 'active' "
                        "ORDER BY a.id LIMIT 1000",
         soci::use(code), soci::into(id), soci::into(given), soci::into(family));
    st.execute();
    while (st.fetch()) {
      std::string name = given;
      if (!family.empty()) name += (name.empty() ? "" : " ") + family;
      out.push_back({id, name.empty() ? "#" + std::to_string(id) : name});
    }
    return {};
  });
  if (!read) return fail(read.error());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.display_name != b.display_name ? a.display_name < b.display_name
                                            : a.account_id < b.account_id;
  });
  return out;
}

}  // namespace zocalo::identity
