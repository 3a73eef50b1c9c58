#pragma once
// What a resident may choose as a password: NIST SP 800-63B §5.1.1.2 (memorized secret
// verifiers). Length and a blocklist, nothing else: no "one upper case, one digit, one symbol"
// rules and no forced expiry, because they push people towards predictable passwords.
#include <cstddef>
#include <span>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::identity {

// §5.1.1.2: at least 8 characters when chosen by the subscriber; verifiers SHOULD allow at
// least 64. We allow 256 so that pass phrases fit, and stop there so a megabyte "password" never
// reaches Argon2id. Counted in Unicode code points (§5.1.1.2: each code point is one character).
inline constexpr std::size_t kPasswordMinChars = 8;
inline constexpr std::size_t kPasswordMaxChars = 256;

// Words from the resident's own account that must not be their password (§5.1.1.2: "context-
// specific words, such as the name of the service, the username, and derivatives thereof").
// Any field may be empty.
struct PasswordContext {
  std::string_view email;                   // its local part, and the pieces of it, are checked
  std::string_view curp;                    // the whole key, and its first 10 characters
  std::string_view phone;                   // digits only are compared, with or without +52
  std::span<const std::string_view> names;  // given names and surnames, split at spaces/hyphens
};

// Checks a new password. Errors (catalog keys): identity.password.invalid (not UTF-8),
// identity.password.too_short, identity.password.too_long, identity.password.context (it is, or
// trivially varies, one of the context words or the service's own names: zocalo, llave, cdmx),
// identity.password.common (on the bundled list of common passwords, a trivial variation of
// one, one repeated character, or a simple sequence). Details never contain the password.
Status check_password(std::string_view password, const PasswordContext& context = {});

}  // namespace zocalo::identity
