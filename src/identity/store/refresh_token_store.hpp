#pragma once
// SQL for refresh tokens (migrations/*/0009_oidc.sql): opaque, 32 random bytes, stored as
// their SHA-256, 30 days, rotated on every use. Presenting a token that was already rotated
// means two parties hold it (one of them a thief): the whole family, i.e. the grant, is
// revoked (OAuth 2.0 Security BCP §4.14.2).
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

struct RefreshToken {
  std::string grant_id;
  std::string scope;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
};

enum class RefreshOutcome { kRotated, kUnknown, kExpired, kReused, kRevoked };

struct RefreshUse {
  RefreshOutcome outcome = RefreshOutcome::kUnknown;
  std::optional<RefreshToken> token;  // set for kRotated (and for the failures, when found)
};

class RefreshTokenStore {
 public:
  explicit RefreshTokenStore(db::Database& db) : db_(db) {}

  // A new token for the grant, valid for `lifetime` seconds; returns the plaintext.
  static Result<std::string> issue(soci::session& sql, std::string_view grant_id,
                                   std::string_view scope, std::int64_t now, std::int64_t lifetime);
  // Marks `token` used (the caller then issues its successor) or says why not; a reused token
  // revokes its grant. Does not check which client presents it: the caller compares the
  // grant's client_id.
  static Result<RefreshUse> use(soci::session& sql, std::string_view token, std::int64_t now);
  // The token if it is live (not used, revoked or expired), for introspection and revocation.
  static Result<std::optional<RefreshToken>> find_live(soci::session& sql, std::string_view token,
                                                       std::int64_t now);

 private:
  db::Database& db_;
};

}  // namespace zocalo::identity
