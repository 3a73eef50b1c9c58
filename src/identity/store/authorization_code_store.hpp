#pragma once
// SQL for authorization codes and the grants they stand for (migrations/*/0009_oidc.sql,
// table oidc_grants). A code is 32 random bytes, stored as its SHA-256, single-use and
// short-lived; the grant row outlives it so that refresh and access tokens can be revoked with
// it: reusing a code revokes everything it issued (RFC 6749 §4.1.2, §10.5).
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"

namespace zocalo::identity {

struct NewGrant {
  std::string client_id;
  long long account_id = 0;
  std::string login_id;
  std::string redirect_uri;
  std::string scope;
  std::optional<std::string> nonce;
  std::optional<std::string> code_challenge;
  std::int64_t auth_time = 0;
  std::string acr;
  std::string amr;
};

struct Grant : NewGrant {
  std::string id;
  std::int64_t created_at = 0;
  std::int64_t code_expires_at = 0;
  std::optional<std::int64_t> code_used_at;
  std::optional<std::int64_t> revoked_at;
};

// What presenting a code found.
enum class CodeOutcome {
  kRedeemed,  // first use within its lifetime: the grant is returned
  kUnknown,   // no such code
  kExpired,
  kReused,   // used before: the grant and everything it issued are now revoked
  kRevoked,  // the grant was revoked (logout, consent revoked)
};

struct Redemption {
  CodeOutcome outcome = CodeOutcome::kUnknown;
  std::optional<Grant> grant;
};

struct IssuedCode {
  std::string code;  // the plaintext, sent once in the redirect
  Grant grant;
};

class AuthorizationCodeStore {
 public:
  explicit AuthorizationCodeStore(db::Database& db) : db_(db) {}

  // A new grant with a fresh code valid for `lifetime` seconds.
  static Result<IssuedCode> create(soci::session& sql, const NewGrant& grant, std::int64_t now,
                                   std::int64_t lifetime);

  // Marks the code used and returns its grant, or says why not. A second redemption (even a
  // concurrent one: the update is conditional) revokes the grant.
  static Result<Redemption> redeem(soci::session& sql, std::string_view code, std::int64_t now);

  static Result<std::optional<Grant>> find(soci::session& sql, std::string_view grant_id);
  Result<std::optional<Grant>> find(std::string_view grant_id);

  // Revokes the grant and its refresh tokens (access tokens naming it stop being active).
  static Status revoke(soci::session& sql, std::string_view grant_id, std::int64_t now);
  // Revokes every grant of `account_id` to `client_id`; returns how many were live.
  static Result<int> revoke_for_client(soci::session& sql, long long account_id,
                                       std::string_view client_id, std::int64_t now);
  // The live grants made during one login (for logout), at most 100.
  static Result<std::vector<Grant>> for_login(soci::session& sql, std::string_view login_id);

 private:
  db::Database& db_;
};

}  // namespace zocalo::identity
