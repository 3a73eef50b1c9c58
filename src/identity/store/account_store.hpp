#pragma once
// SQL for residents' accounts (migrations/*/0004_identity_accounts.sql).
//
// State changes take the caller's session (a Database::transaction in progress) so that the
// change and its audit entry (AuditLog::append) commit or vanish together. On PostgreSQL a
// failed statement aborts the whole transaction, so after any error from these functions the
// caller must return that error (rolling back) rather than carry on.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/model/account.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/db/dialect.hpp"

namespace zocalo::identity {

inline constexpr int kMaxSearchResults = 100;
inline constexpr std::size_t kMinSearchPrefix = 2;  // code points; one letter matches a city

class AccountStore {
 public:
  explicit AccountStore(db::Database& db) : db_(db) {}

  // Inserts a new account (level 0, 'active', a fresh subject) in the caller's transaction.
  // Normalises e-mail, phone and CURP and checks every field (identity.email.invalid,
  // identity.phone.invalid, identity.curp.*, identity.account.contact_required when neither
  // e-mail nor phone is given, identity.account.invalid for names, birth date, address or hash).
  // kConflict "identity.account.exists" when the e-mail, phone or CURP belongs to another
  // account. Which one is left out on purpose: sign-up must not become an oracle for who has
  // an account, and the page says the same whatever collided.
  static Result<Account> create(soci::session& sql, const NewAccount& account, std::int64_t now);
  // The same in a transaction of its own.
  Result<Account> create(const NewAccount& account, std::int64_t now);

  static Result<std::optional<Account>> find_by_id(soci::session& sql, long long id);
  Result<std::optional<Account>> find_by_id(long long id);
  // The resident an access token issued from grant `grant_id` speaks for, in one query (userinfo
  // and introspection run it per request): nullopt unless the grant exists, belongs to
  // `client_id` and is not revoked, and the token's `jti` is not revoked (RFC 7009). The
  // caller checks the account's status.
  static Result<std::optional<Account>> find_token_holder(soci::session& sql,
                                                          std::string_view grant_id,
                                                          std::string_view client_id,
                                                          std::string_view jti);
  Result<std::optional<Account>> find_by_subject(std::string_view subject);
  // These normalise their input as create() does; malformed input finds nothing.
  Result<std::optional<Account>> find_by_email(std::string_view email);
  Result<std::optional<Account>> find_by_phone(std::string_view phone);
  Result<std::optional<Account>> find_by_curp(std::string_view curp);

  // Marks the account's e-mail (phone) as proven and raises level 0 to 1. kNotFound for an
  // unknown id; kConflict identity.account.no_email (no_phone) when it has none.
  static Status set_email_verified(soci::session& sql, long long id, std::int64_t at);
  static Status set_phone_verified(soci::session& sql, long long id, std::int64_t at);
  // Stores a new PHC string (1..512 bytes, from PasswordHasher).
  static Status set_password_hash(soci::session& sql, long long id, std::string_view phc,
                                  std::int64_t now);
  // Records that RENAPO confirmed `curp` for this resident and raises the level to 2.
  // Needs level 1 first (kConflict identity.loa.contact_unverified); a validated CURP is never
  // replaced by another (kConflict identity.curp.already_validated); a CURP validated on
  // another account is kConflict identity.account.exists.
  static Status set_curp_validated(soci::session& sql, long long id, std::string_view curp,
                                   std::int64_t at);
  // Level 3: official `staff_id` saw the person with `document` (its kind, e.g. "INE", 1..100
  // bytes; not its number). Needs level 2 (kConflict identity.loa.curp_unvalidated).
  static Status record_loa3(soci::session& sql, long long id, long long staff_id,
                            std::string_view document, std::int64_t at);
  static Status set_status(soci::session& sql, long long id, AccountStatus status,
                           std::int64_t now);

  // Staff search: accounts whose CURP, e-mail, phone or folded name ("given family") starts
  // with `prefix`, ordered by name, at most `limit` (1..100). The prefix is trimmed and must
  // have at least 2 characters (identity.search.prefix); each kind is searched only where the
  // prefix could be one (a CURP prefix is [A-Z0-9], a phone prefix digits), each through its
  // index, so the cost depends on `limit`, not on the number of accounts.
  Result<std::vector<Account>> search(std::string_view prefix, int limit);

  // The database's plan for search(prefix, limit) (PostgreSQL EXPLAIN, SQLite EXPLAIN QUERY
  // PLAN), one line per node, so a test can prove the prefix search stays on its indexes.
  static Result<std::string> explain_search(soci::session& sql, db::Dialect dialect,
                                            std::string_view prefix, int limit);

  // Mi Llave's profile form (added by the mi-llave pages): replaces names, birth date and
  // address (an OIDC address JSON object), checked as create() checks them, and refolds
  // name_search. The names of an account at level 2 or more are bound to its validated CURP:
  // changing them is kConflict identity.profile.name_locked (the same names are fine).
  // kNotFound for an unknown id.
  static Status update_profile(soci::session& sql, long long id, const std::string& given_name,
                               const std::string& family_name,
                               const std::optional<std::string>& birth_date,
                               const std::optional<std::string>& address, std::int64_t now);

 private:
  db::Database& db_;
};

}  // namespace zocalo::identity
