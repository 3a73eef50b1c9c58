#pragma once
// One-time codes and links that prove a resident holds an e-mail address or a phone: e-mail
// verification links, phone verification codes, password-reset codes and SMS sign-in codes.
// Pure rules; the SQL lives in store/one_time_code_store.*. Only hashes are ever stored.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zocalo::identity {

enum class CodePurpose { kEmailVerify, kPhoneVerify, kPasswordReset, kSigninSms };

std::string_view to_string(CodePurpose purpose);
std::optional<CodePurpose> parse_code_purpose(std::string_view text);

struct CodeRule {
  std::int64_t lifetime = 0;  // seconds
  int max_attempts = 5;       // wrong entries before the code is dead
  int digits = 6;             // 0: a link token instead of a typed code
};

// Issue 3: e-mail link 24 h; phone code 10 min and at most 5 attempts; reset code 15 min and
// 5 attempts (8 digits: it replaces the password, so it gets more entropy than a second
// factor); SMS sign-in code 10 min, 5 attempts (it is a second factor after a password).
CodeRule rule_for(CodePurpose purpose);

// A fresh code of `digits` decimal digits, uniform (no modulo bias), from the OS CSPRNG.
std::string generate_numeric_code(int digits);

// A fresh link token: 32 random bytes, base64url (43 characters).
std::string generate_link_token();
// The stored, looked-up form of a link token: SHA-256 hex. A 256-bit token needs no salt.
std::string link_token_hash(std::string_view token);

// The stored form of a short code: "salt-hex$sha256-hex(salt || code)", a fresh 16-byte salt
// each time so that equal codes issued to two people do not look alike in the table.
std::string hash_short_code(std::string_view code);
// Whether `code` is the one `stored` was made from; constant time in the comparison. False for
// anything not in hash_short_code's form.
bool short_code_matches(std::string_view stored, std::string_view code);

// What a resident typed, reduced to digits: spaces and dashes dropped. nullopt when anything
// else remains or the length is not `digits`.
std::optional<std::string> normalise_numeric_code(std::string_view input, int digits);

}  // namespace zocalo::identity
