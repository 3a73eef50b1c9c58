#pragma once
// A request's folio: the one short reference a resident reads over the phone to 311, writes on
// paper and types into the tracking page. Eight characters shown as "XXXX-XXXX": seven random
// symbols (35 bits) and one check symbol.
//
// Alphabet: Crockford's base 32 (https://www.crockford.com/base32.html), "0-9 A-Z" without
// I, L, O and U. It already drops U (so no accidental English words), and because O, I and L are
// absent, a reader's O can only have meant 0 and an I or L only 1: parse_folio maps them.
//
// Check symbol: a weighted sum over the finite field GF(32), not Crockford's mod-37 symbol.
// Mod 37 needs five extra symbols (*~$=U) that are hard to say on the phone and would bring U
// back; mod 31 cannot tell symbol 0 from symbol 31 (0 ≡ 31), so a 0↔Z slip would pass. In
// GF(32) every one of the 32 symbols is a distinct field element, and with the weights
// w_i = α^(7-i) (all distinct and non-zero) the folio satisfies Σ w_i·d_i = 0, so:
//   - changing one symbol by e ≠ 0 changes the sum by w_i·e ≠ 0 (every single error caught);
//   - swapping two different symbols changes it by (w_i + w_j)(d_i + d_j) ≠ 0 (every
//     transposition caught, adjacent or not, including with the check symbol itself).
// Two independent substitutions slip through about 1 time in 32, as with any single check symbol.
//
// Folios are random, not sequential: they reveal nothing about volume and cannot be enumerated.
// 35 bits give 34 billion folios; at ten million stored, a fresh one collides 1 time in 3,400, so
// the store keeps a unique index and draws again on conflict.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "platform/core/result.hpp"

namespace zocalo::requests {

inline constexpr std::string_view kFolioAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
inline constexpr std::size_t kFolioLength = 8;  // 7 random symbols + 1 check symbol

class Folio {
 public:
  // A new folio from the OS CSPRNG.
  static Folio generate();
  // The folio whose seven random symbols are the low 35 bits of `entropy` (tests, imports).
  static Folio from_entropy(std::uint64_t entropy);

  // "7KQ3M9XA": how it is stored and put in URLs.
  const std::string& compact() const { return code_; }
  // "7KQ3-M9XA": how it is shown and read aloud.
  std::string display() const;

  friend bool operator==(const Folio&, const Folio&) = default;

 private:
  friend Result<Folio> parse_folio(std::string_view text);
  explicit Folio(std::string code) : code_(std::move(code)) {}
  std::string code_;
};

// Reads what a resident typed or an operator heard: ignores case, spaces and dashes, takes O as
// 0 and I/L as 1. Anything else, a wrong length or a wrong check symbol fails with
// "requests.folio.invalid".
Result<Folio> parse_folio(std::string_view text);

// The check symbol for seven symbols of kFolioAlphabet (upper case, already canonical).
char folio_check_symbol(std::string_view seven_symbols);

}  // namespace zocalo::requests
