#pragma once
// Exponential backoff for guessing defences: how long a key (an identifier, an IP address) must
// wait after n failures. Issue 3 asks for throttling per account AND per IP with exponential
// backoff; NIST SP 800-63B §5.2.2 ("rate limiting") asks that online guessing be limited to far
// fewer than 100 consecutive failures. The counts live in the database
// (store/throttle_store.*) so every node sees them; this file is only the arithmetic.
#include <cstdint>
#include <string>
#include <string_view>

namespace zocalo::identity {

struct ThrottleRule {
  int free_failures = 5;                  // failures allowed before any wait
  std::int64_t max_wait = 15 * 60;        // the cap of the backoff, seconds
  std::int64_t forget_after = 24 * 3600;  // a counter idle this long starts from zero
};

// Password guesses for one identifier, whether or not an account has it.
inline constexpr ThrottleRule kAccountThrottle{5, 15 * 60, 24 * 3600};
// Password guesses from one address: more room, since many residents share a carrier's NAT.
inline constexpr ThrottleRule kIpThrottle{20, 15 * 60, 24 * 3600};
// Wrong one-time codes (TOTP, SMS, recovery, verification, reset) from one address.
inline constexpr ThrottleRule kCodeIpThrottle{20, 15 * 60, 3600};
// Wrong second-factor codes for one account in sign-in.
inline constexpr ThrottleRule kCodeAccountThrottle{5, 15 * 60, 3600};
// Messages sent on behalf of one address (sign-up, reset, resend): each send counts.
inline constexpr ThrottleRule kSendIpThrottle{20, 60 * 60, 3600};

// Seconds to wait after `failures` failures: 0 up to rule.free_failures - 1, then
// 2^(failures - free_failures) (1 s after the 5th failure, 2 s after the 6th, ...), capped at
// rule.max_wait.
std::int64_t backoff_seconds(const ThrottleRule& rule, int failures);

// The throttle bucket of an identifier as typed: SHA-256 hex of its normalised form, so the
// table holds no addresses or phone numbers of people who never signed up.
std::string identifier_bucket(std::string_view normalised_identifier);

}  // namespace zocalo::identity
