#pragma once
// Time-based one-time passwords (RFC 6238, built on HOTP, RFC 4226) as the second factor of a
// Llave sign-in: secret generation, the otpauth:// enrolment URI authenticator apps scan, and
// verification with replay protection. Pure logic: the caller stores the secret and the last
// accepted time step with the account.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::identity::totp {

// The parameters every common authenticator app supports and most assume whatever the URI says:
// HMAC-SHA-1, 6 digits, 30-second steps from the Unix epoch (RFC 6238 section 4.1, 5.2).
inline constexpr unsigned kDigits = 6;
inline constexpr std::int64_t kPeriodSeconds = 30;
// RFC 4226 section 4 R6 asks for at least 128 bits and recommends 160; 160 bits is also the
// HMAC-SHA-1 output size, so a longer key would add nothing (RFC 2104 section 3).
inline constexpr std::size_t kSecretBytes = 20;
// The largest verification window accepted, in steps either side of now.
inline constexpr unsigned kMaxWindow = 10;

// A fresh shared secret: kSecretBytes raw bytes from the OS CSPRNG.
std::string generate_secret();

// RFC 4648 section 6 base32 (upper case), without the "=" padding: the form authenticator apps
// expect in the URI and for typing the secret by hand.
std::string base32_encode(std::string_view bytes);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
// (Google Authenticator Key Uri Format). Issuer and account are percent-encoded (RFC 3986);
// either being empty or containing a colon (the label separator) is rejected.
Result<std::string> otpauth_uri(std::string_view issuer, std::string_view account,
                                std::string_view secret);

// T = floor((unix_seconds - T0) / X) with T0 = 0, X = 30 (RFC 6238 section 4.2).
// Negative for times before the epoch.
std::int64_t time_step(std::int64_t unix_seconds);

// The code for a time (RFC 6238 section 4.2 via HOTP, RFC 4226 section 5.3); `digits` is 6 to 8.
// Fails only for an empty secret, a time before the epoch or a digit count liboath refuses.
Result<std::string> code_at(std::string_view secret, std::int64_t unix_seconds,
                            unsigned digits = kDigits);

// Checks a 6-digit code typed by the user against the steps within `window` of `now` (RFC 6238
// section 5.2 allows one step either side for clock drift and typing time). On success returns
// the matched time step: the caller must store it and pass it as `last_used_step` next time, so
// a code (and any earlier one) can never be accepted twice (RFC 6238 section 5.2: "the verifier
// MUST NOT accept the second attempt of the OTP"). Errors: kInvalidInput "error.totp.malformed"
// when the code is not exactly six ASCII digits; kUnauthorized "error.totp.invalid" when it
// does not match or was already used (the same message for both, so a stolen, already used code
// is not confirmed as once valid; the detail tells the log which); kInternal for an empty secret
// or a window above kMaxWindow.
Result<std::int64_t> verify(std::string_view secret, std::string_view code, std::int64_t now,
                            unsigned window = 1,
                            std::optional<std::int64_t> last_used_step = std::nullopt);

}  // namespace zocalo::identity::totp
