#pragma once
// SQL for residents' second factors (migrations/*/0008_identity_signin.sql, second_factors):
// the TOTP secret (sealed with the key-encryption key; this store never sees it in the clear),
// the last accepted time step, a pending enrolment, the recovery-code hashes and the SMS switch.
// Functions take the caller's transaction so each change commits with its audit entry.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"

namespace zocalo::identity {

struct SecondFactors {
  long long account_id = 0;
  std::optional<std::string> totp_secret;  // sealed (KeyEncryption::seal)
  std::optional<std::int64_t> totp_enrolled_at;
  std::optional<std::int64_t> totp_last_step;
  std::optional<std::string> pending_totp_secret;  // sealed; awaiting the first code
  std::optional<std::int64_t> pending_totp_created_at;
  std::vector<std::string> recovery_codes;  // stored hashes; "" for a used code
  bool sms_enabled = false;

  bool has_totp() const { return totp_secret.has_value(); }
  // Any factor beyond the password that sign-in must ask for.
  bool required() const { return has_totp() || sms_enabled; }
  int recovery_codes_left() const;
};

class SecondFactorStore {
 public:
  // The account's factors; an empty SecondFactors (no row yet) when it has none.
  static Result<SecondFactors> load(soci::session& sql, long long account_id);

  // Stores a sealed secret awaiting confirmation (replacing any earlier pending one).
  static Status set_pending_totp(soci::session& sql, long long account_id, std::string_view sealed,
                                 std::int64_t now);
  // Confirms the pending secret: it becomes the TOTP secret with `step` (the confirming code's
  // step) as the last used one, and `recovery_hashes` replace the recovery codes. kConflict
  // identity.totp.no_pending when nothing is pending or `sealed` is no longer the pending one.
  static Status confirm_totp(soci::session& sql, long long account_id, std::string_view sealed,
                             std::int64_t step, const std::vector<std::string>& recovery_hashes,
                             std::int64_t now);
  // Removes the TOTP secret, anything pending, and the recovery codes.
  static Status remove_totp(soci::session& sql, long long account_id, std::int64_t now);

  // Records `step` as used, only if it is later than the last used one (RFC 6238 §5.2: a code
  // is accepted once). False when another request used this step or a later one first.
  static Result<bool> claim_totp_step(soci::session& sql, long long account_id, std::int64_t step,
                                      std::int64_t now);

  // Replaces the recovery codes (regeneration).
  static Status set_recovery_codes(soci::session& sql, long long account_id,
                                   const std::vector<std::string>& hashes, std::int64_t now);
  // Blanks recovery code `index` if it is still unused. False when it was used (by a racing
  // request) or the index is out of range.
  static Result<bool> use_recovery_code(soci::session& sql, long long account_id, std::size_t index,
                                        std::int64_t now);

  static Status set_sms_enabled(soci::session& sql, long long account_id, bool enabled,
                                std::int64_t now);
};

}  // namespace zocalo::identity
