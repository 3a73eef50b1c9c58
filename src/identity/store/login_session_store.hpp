#pragma once
// SQL for signed-in browser sessions (migrations/*/0007_identity_logins.sql): one row per
// sign-in on one device, so a resident can see where they are signed in and end any or all of
// those sessions ("sign out everywhere"), and the OpenID Provider knows when and how the
// resident authenticated (auth_time, amr) for max_age and prompt=login.
//
// The browser holds only the platform session cookie; the platform session keeps the login's
// id under kLoginSessionKey (identity/resident.hpp). Revoking the row signs that browser out on
// every node at its next request.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

inline constexpr std::size_t kMaxUserAgentBytes = 200;  // stored, cut at a UTF-8 boundary

struct LoginSession {
  std::string id;  // 32 random bytes, base64url; never shown in a page
  long long account_id = 0;
  std::int64_t auth_time = 0;  // when the resident last proved their password (OIDC auth_time)
  std::string amr;             // RFC 8176 values, space-separated: "pwd", "pwd otp", "pwd sms"
  std::string user_agent;      // as sent, cut to kMaxUserAgentBytes, for the sessions page
  std::string ip;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::int64_t idle_timeout = 0;  // seconds without a request after which the row is dead
  std::int64_t expires_at = 0;    // absolute end, whatever the activity
  std::optional<std::int64_t> revoked_at;

  bool alive(std::int64_t now) const {
    return !revoked_at && now < expires_at && now < last_seen_at + idle_timeout;
  }
};

struct NewLoginSession {
  long long account_id = 0;
  std::string amr;
  std::string user_agent;
  std::string ip;
  std::int64_t idle_timeout = 12 * 3600;
  std::int64_t lifetime = 30 * 24 * 3600;
};

class LoginSessionStore {
 public:
  explicit LoginSessionStore(db::Database& db) : db_(db) {}

  // A new row with a fresh id, auth_time = created_at = last_seen_at = now, in the caller's
  // transaction (with its audit entry). identity.login.invalid for an empty amr or timeouts
  // that are not positive.
  static Result<LoginSession> create(soci::session& sql, const NewLoginSession& login,
                                     std::int64_t now);

  // The row with `id` if it is alive at `now` (not revoked, not idle, not past its end).
  Result<std::optional<LoginSession>> find_alive(std::string_view id, std::int64_t now);

  // Records activity: last_seen_at = now, at most once a minute per row so that browsing
  // costs one write a minute, not one per page.
  Status touch(const LoginSession& login, std::int64_t now);

  // After a fresh password check on this login (prompt=login, max_age, step-up): auth_time =
  // now and amr replaced.
  static Status reauthenticated(soci::session& sql, std::string_view id, std::string_view amr,
                                std::int64_t now);

  // The resident's alive logins, most recently used first (at most 100).
  Result<std::vector<LoginSession>> list_alive(long long account_id, std::int64_t now);

  // Ends one login of this account (kNotFound when `id` is not one of its alive logins).
  static Status revoke(soci::session& sql, long long account_id, std::string_view id,
                       std::int64_t now);
  // Ends every alive login of the account except `keep` (when given); returns how many.
  static Result<int> revoke_all(soci::session& sql, long long account_id,
                                std::optional<std::string_view> keep, std::int64_t now);

  // Maintenance: deletes rows dead for more than `retention` seconds; returns how many.
  Result<int> purge_dead(std::int64_t now, std::int64_t retention);

 private:
  db::Database& db_;
};

}  // namespace zocalo::identity
