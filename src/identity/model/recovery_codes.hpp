#pragma once
// Recovery codes: the way back into a Llave account when the authenticator is lost. Ten
// single-use codes are shown once at enrolment, stored only as salted hashes, and each is
// crossed off when used.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zocalo::identity::recovery_codes {

inline constexpr std::size_t kCount = 10;
// 31 symbols (digits and capitals without 0, O, 1, I and L, which people misread or mistype as
// one another). Twelve of them carry 12 * log2(31) = 59.4 bits; ten would give only 49.5.
inline constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
inline constexpr std::size_t kSymbols = 12;
inline constexpr std::size_t kGroup = 4;  // shown as XXXX-XXXX-XXXX

struct RecoveryCodes {
  std::vector<std::string> plaintext;  // for the user, shown once: "7KQM-XW3P-HT9C"
  std::vector<std::string> hashes;     // for the database, same order: "salt-hex$sha256-hex"
};

// kCount fresh codes and their stored forms.
RecoveryCodes generate();

// The canonical form of what the user typed: upper case, spaces and dashes dropped
// ("7kqm xw3p-ht9c" -> "7KQMXW3PHT9C"). nullopt when it cannot be a code (wrong length or a
// character outside the alphabet).
std::optional<std::string> normalise(std::string_view input);

// The index in `hashes` of the code the user typed, nullopt if none matches. Every entry is
// hashed and compared whatever the outcome, so the time taken does not reveal which one matched.
// Entries the caller has blanked out (used codes) or that are not in the stored form never
// match. The caller removes or blanks the matched entry so the code cannot be used again.
std::optional<std::size_t> match(std::string_view input, const std::vector<std::string>& hashes);

}  // namespace zocalo::identity::recovery_codes
