#include "identity/model/curp.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "platform/core/text.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::identity {
namespace {

bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_vowel(char c) {
  return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

// Instructivo: RENAPO writes X wherever a name has no letter to give (no interior vowel, an
// interior Ñ, a one-letter surname), so X is both a "vowel" at position 2 and a "consonant" at
// positions 14-16; Ñ itself never appears.
bool is_consonant(char c) {
  return is_upper(c) && !is_vowel(c);
}

// Instructivo, catálogo de entidades federativas: the 32 states and NE (born abroad). DF is
// still Mexico City's code: RENAPO kept it after the 2016 reform renamed the Distrito Federal.
constexpr std::array<std::string_view, 33> kStates = {
    "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT",
    "GR", "HG", "JC", "MC", "MN", "MS", "NT", "NL", "OC", "PL", "QT",
    "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE"};

// A character's value in the check-digit alphabet "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ":
// Ñ takes position 24, so every letter after N is worth one more than its place in A-Z.
int check_value(char c) {
  if (is_digit(c)) return c - '0';
  const int v = 10 + (c - 'A');
  return c > 'N' ? v + 1 : v;
}

// Instructivo, dígito verificador: sum of value(c_i) * (19 - i) for i = 1..17, and the digit
// that brings the sum up to a multiple of ten.
char check_digit(std::string_view first17) {
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += check_value(first17[i]) * static_cast<int>(18 - i);
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

int two_digits(std::string_view s, std::size_t at) {
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

std::string at_position(std::size_t zero_based) {
  return "position " + std::to_string(zero_based + 1);
}

// Character classes of positions 1-10, 14-18; positions 11-13 get their own error keys.
Status check_format(std::string_view c) {
  for (std::size_t i : {0u, 2u, 3u}) {
    if (!is_upper(c[i]))
      return fail(Error::invalid("identity.curp.format", at_position(i) + " is not a letter"));
  }
  if (!is_vowel(c[1]) && c[1] != 'X') {
    return fail(Error::invalid("identity.curp.format", "position 2 is not a vowel or X"));
  }
  for (std::size_t i = 4; i < 10; ++i) {
    if (!is_digit(c[i]))
      return fail(Error::invalid("identity.curp.format", at_position(i) + " is not a digit"));
  }
  for (std::size_t i = 13; i < 16; ++i) {
    if (!is_consonant(c[i])) {
      return fail(Error::invalid("identity.curp.format", at_position(i) + " is not a consonant"));
    }
  }
  if (!is_digit(c[16]) && !is_upper(c[16])) {
    return fail(Error::invalid("identity.curp.format", "position 17 is not a digit or letter"));
  }
  if (!is_digit(c[17])) {
    return fail(Error::invalid("identity.curp.format", "position 18 is not a digit"));
  }
  return {};
}

}  // namespace

Result<Curp> parse_curp(std::string_view text) {
  const std::string_view trimmed = text::trim_space(text);
  if (const auto n = utf8::count_code_points(trimmed); n != kCurpLength) {
    return fail(Error::invalid("identity.curp.length", "got " + std::to_string(n) + " characters"));
  }
  // A CURP is plain ASCII: RENAPO writes X for Ñ and drops accents, so a typed Ñ or Á is no CURP.
  if (std::any_of(trimmed.begin(), trimmed.end(), [](char ch) { return (ch & 0x80) != 0; })) {
    return fail(Error::invalid("identity.curp.format", "non-ASCII character"));
  }
  std::string c(trimmed);
  std::transform(c.begin(), c.end(), c.begin(), [](char ch) {
    return ch >= 'a' && ch <= 'z' ? static_cast<char>(ch - 'a' + 'A') : ch;
  });

  if (auto st = check_format(c); !st) return fail(st.error());

  Curp curp;
  switch (c[10]) {
    case 'H':
      curp.sex = Sex::kMale;
      break;
    case 'M':
      curp.sex = Sex::kFemale;
      break;
    case 'X':
      curp.sex = Sex::kNonBinary;
      break;
    default:
      return fail(Error::invalid("identity.curp.sex", "position 11 is not H, M or X"));
  }

  curp.state = c.substr(11, 2);
  if (std::find(kStates.begin(), kStates.end(), curp.state) == kStates.end()) {
    return fail(Error::invalid("identity.curp.state", "positions 12-13 are no state code"));
  }

  // Instructivo: position 17 (diferenciador de homonimia y siglo) is a digit 0-9 for people born
  // up to 1999 and a letter A-Z from 2000 on, so it, not the two-digit year, fixes the century.
  const int century = is_digit(c[16]) ? 1900 : 2000;
  curp.birth_date =
      std::chrono::year_month_day{std::chrono::year{century + two_digits(c, 4)},
                                  std::chrono::month{static_cast<unsigned>(two_digits(c, 6))},
                                  std::chrono::day{static_cast<unsigned>(two_digits(c, 8))}};
  if (!curp.birth_date.ok()) {
    return fail(Error::invalid("identity.curp.date", "positions 5-10 are no calendar date"));
  }

  if (const char expected = check_digit(c); c[17] != expected) {
    return fail(Error::invalid("identity.curp.check_digit",
                               std::string("check digit is ") + c[17] + ", expected " + expected));
  }

  curp.value = std::move(c);
  return curp;
}

Status check_birth_date(const Curp& curp, int year, unsigned month, unsigned day) {
  // Bounds first: std::chrono::year, month and day keep only 16 or 8 bits, so an absurd input
  // could otherwise wrap around into the CURP's date.
  if (year < 1 || year > 9999 || month > 12 || day > 31) {
    return fail(Error::invalid("identity.curp.birth_date_mismatch", "declared date out of range"));
  }
  const std::chrono::year_month_day declared{std::chrono::year{year}, std::chrono::month{month},
                                             std::chrono::day{day}};
  if (!declared.ok() || declared != curp.birth_date) {
    return fail(Error::invalid("identity.curp.birth_date_mismatch",
                               "declared birth date differs from the CURP's"));
  }
  return {};
}

}  // namespace zocalo::identity
