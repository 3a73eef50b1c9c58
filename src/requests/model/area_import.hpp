#pragma once
// Reading the city's areas (alcaldías, later colonias or sectors) from a GeoJSON
// FeatureCollection (RFC 7946 3.3) an admin uploads or passes to `zocalo areas import`.
// Everything is validated before anything is written: the store imports all or nothing.
//
//   {"type": "FeatureCollection", "features": [
//     {"type": "Feature",
//      "properties": {"code": "09015", "name": "Cuauhtémoc", "name_en": "Cuauhtemoc"},
//      "geometry": {"type": "Polygon", "coordinates": [[[-99.18, 19.40], ...]]}}]}
//
// `code` is the area's stable id ([A-Za-z0-9_-]{1,32}; routing rules and requests name it);
// `name` is required (≤ 200 characters, one line); `name_en` is optional and checked like
// `name` (the areas table has one name column, so it is not stored: see the docs). INEGI's
// Marco Geoestadístico names them `cvegeo` and `nomgeo`: those are read when `code`/`name`
// are absent, so data/cdmx/alcaldias.geojson imports as published.
//
// Geometry: Polygon or MultiPolygon, validated by model/polygon.hpp (closed rings, no
// self-intersection or touching, holes inside their shell, WGS84 ranges, ≤ 200,000 positions
// per area). Whole file: ≤ 32 MiB, ≤ 1,000 features, ≤ 2,000,000 positions.
//
// Every failure is Error::invalid("requests.areas.invalid", detail) (kTooLarge for size
// limits) with a detail naming the feature by position and code:
// "feature 3 (09007): ring 0 position 12: self-intersection ...".
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "requests/model/polygon.hpp"

namespace zocalo::requests {

inline constexpr std::size_t kAreaFileMaxBytes = 32 * 1024 * 1024;
inline constexpr std::size_t kAreaFileMaxFeatures = 1'000;
inline constexpr std::size_t kAreaFileMaxPositions = 2'000'000;
inline constexpr std::size_t kAreaNameMaxChars = 200;

struct ImportedArea {
  std::string code;
  std::string name;
  std::string name_en;  // empty when not given
  std::string
      geometry;  // the geometry object alone, re-serialised GeoJSON (what areas.geojson holds)
  GeoBox bounds;
  std::size_t positions = 0;  // vertices as written, closing positions included
};

bool is_valid_area_code(std::string_view code);

// The areas of a FeatureCollection, in file order; codes unique.
Result<std::vector<ImportedArea>> parse_area_collection(std::string_view json);

// Positions in a stored geometry (areas.geojson): for the admin list. 0 when it does not parse.
std::size_t count_positions(std::string_view geometry_json);

}  // namespace zocalo::requests
