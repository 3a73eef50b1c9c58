#pragma once
// The CURP (Clave Única de Registro de Población): Mexico's population-registry key, carried by
// every Llave account at level of assurance 2. Rules from RENAPO's "Instructivo Normativo para la
// Asignación de la Clave Única de Registro de Población" (DOF 18/10/2021), cited as "Instructivo".
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::identity {

inline constexpr std::size_t kCurpLength = 18;

// Position 11 of the CURP. RENAPO writes H (hombre), M (mujer) and, since 2023, X (no binario).
enum class Sex { kMale, kFemale, kNonBinary };

struct Curp {
  std::string value;                       // the 18 characters, upper case
  std::chrono::year_month_day birth_date;  // with the century fixed by position 17
  Sex sex = Sex::kMale;
  std::string state;  // two letters: a RENAPO state code ("DF" for Mexico City) or "NE"

  // "NE" (nacido en el extranjero): born abroad, registered through a consulate or naturalised.
  bool born_abroad() const { return state == "NE"; }
};

// Trims ASCII white space, upper-cases ASCII letters and checks every rule the CURP carries in
// itself (it does not ask RENAPO whether the key was issued). Errors carry one of the catalog
// keys identity.curp.length, .format, .sex, .state, .date, .check_digit; the detail names the
// position at fault but never repeats the whole key (a CURP is personal data).
Result<Curp> parse_curp(std::string_view text);

// Whether a resident's declared birth date matches the one inside their CURP:
// identity.curp.birth_date_mismatch when it does not (or when the declared date is no date).
Status check_birth_date(const Curp& curp, int year, unsigned month, unsigned day);

}  // namespace zocalo::identity
