#pragma once
// SQL for access tokens revoked before they expire (RFC 7009), by their jti
// (migrations/*/0009_oidc.sql, oidc_revoked_tokens). Access tokens are self-contained RFC 9068
// JWTs; this list is what makes revocation stick at introspection and userinfo. A row is
// useless once the token has expired, so purge_expired() keeps the table small.
#include <soci/soci.h>

#include <cstdint>
#include <string_view>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

class TokenRevocationStore {
 public:
  explicit TokenRevocationStore(db::Database& db) : db_(db) {}

  // Records the jti as revoked until `expires_at` (idempotent).
  static Status revoke(soci::session& sql, std::string_view jti, std::int64_t expires_at,
                       std::int64_t now);
  static Result<bool> is_revoked(soci::session& sql, std::string_view jti);
  Result<bool> is_revoked(std::string_view jti);
  // Deletes rows whose token has expired; returns how many.
  Result<long long> purge_expired(std::int64_t now);

 private:
  db::Database& db_;
};

}  // namespace zocalo::identity
