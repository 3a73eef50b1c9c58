#pragma once
// A part of the city with a boundary: today the 16 alcaldías.
#include <cstdint>
#include <string>

namespace zocalo::portal {

struct BoundingBox {
  double min_lon = 0;
  double min_lat = 0;
  double max_lon = 0;
  double max_lat = 0;
};

struct Area {
  std::int64_t id = 0;
  std::string code;  // INEGI cvegeo: "09007"
  std::string name;  // official name: "Iztapalapa"
  std::string kind;  // "alcaldia"
  BoundingBox bounds;
};

}  // namespace zocalo::portal
