#pragma once
// Reads areas from a GeoJSON FeatureCollection such as data/cdmx/alcaldias.geojson (INEGI's
// Marco Geoestadístico: properties cvegeo and nomgeo).
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "portal/model/area.hpp"

namespace zocalo::portal {

struct AreaFeature {
  Area area;             // code, name, kind and bounds filled in
  std::string geometry;  // the feature's geometry object alone, as GeoJSON text
};

// Every feature must carry string properties cvegeo and nomgeo and a Polygon or MultiPolygon
// geometry with WGS84 positions; anything else fails naming the feature.
Result<std::vector<AreaFeature>> parse_area_features(std::string_view feature_collection,
                                                     std::string_view kind);

}  // namespace zocalo::portal
