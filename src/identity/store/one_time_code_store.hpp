#pragma once
// SQL for one-time codes and links (migrations/*/0008_identity_signin.sql, one_time_codes).
// Every function takes the caller's transaction so that issuing a code commits with the job
// that sends it, and using one commits with what it unlocks (a verified address, a new
// password) and its audit entry.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "identity/model/one_time_code.hpp"
#include "platform/core/result.hpp"

namespace zocalo::identity {

// The outcome of typing a code. Only kOk unlocks anything; the page says the same for the
// other three (wrong, expired or used up), so a guesser learns nothing from it.
enum class CodeCheck { kOk, kWrong, kNoCode };

class OneTimeCodeStore {
 public:
  // A fresh code (purpose's rule: digits, or a link token when digits is 0) for the account,
  // stored hashed; every earlier unused code of the same purpose for the account ends now.
  // Returns the plaintext to send: it is never stored and cannot be read back.
  static Result<std::string> issue(soci::session& sql, long long account_id, CodePurpose purpose,
                                   std::int64_t now);

  // Uses a link token: the account it was issued to, when it is unused and unexpired (it is
  // then marked used); nullopt otherwise.
  static Result<std::optional<long long>> use_link(soci::session& sql, CodePurpose purpose,
                                                   std::string_view token, std::int64_t now);

  // Checks a typed code against the account's newest live code of `purpose`. kOk marks it used;
  // kWrong counts an attempt (the code dies at the rule's max_attempts); kNoCode when there is
  // none alive (never issued, expired, used, or out of attempts). `code` must already be
  // normalised (normalise_numeric_code). Commit the transaction whatever the outcome, so
  // that wrong attempts are counted.
  static Result<CodeCheck> check(soci::session& sql, long long account_id, CodePurpose purpose,
                                 std::string_view code, std::int64_t now);

  // Whether the account has a live code of `purpose` (for "we sent you a code" pages).
  static Result<bool> has_live(soci::session& sql, long long account_id, CodePurpose purpose,
                               std::int64_t now);

  // Maintenance: deletes codes expired before `now - retention`; returns how many.
  static Result<int> purge(soci::session& sql, std::int64_t now, std::int64_t retention);
};

}  // namespace zocalo::identity
