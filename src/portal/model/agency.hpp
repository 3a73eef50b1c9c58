#pragma once
// A government agency (dependencia): of the city, or the government of one alcaldía.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zocalo::portal {

struct Agency {
  std::int64_t id = 0;
  std::string code;                      // stable short code: "adip", "sacmex", "alc-09007"
  std::string name_es;                   // official (Spanish) name
  std::string name_en;                   // English rendering for visitors
  std::string kind;                      // "city" | "alcaldia"
  std::optional<std::string> area_code;  // the alcaldía it governs (kind "alcaldia")

  const std::string& name(std::string_view locale) const {
    return locale.starts_with("en") ? name_en : name_es;
  }
};

}  // namespace zocalo::portal
