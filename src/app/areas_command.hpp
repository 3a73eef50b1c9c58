#pragma once
#include <string>

#include "app/config.hpp"

namespace zocalo::app {

// `zocalo areas import FILE.geojson [--replace]`: loads the city's areas (alcaldías) from a
// GeoJSON FeatureCollection in one transaction (requests/model/area_import.hpp). With
// --replace, areas not in the file are removed unless a routing rule or agency still names
// them. Returns the exit code: 0 done, 1 refused (nothing changed), 2 usage.
int import_areas(const Config& config, const std::string& file, bool replace);

}  // namespace zocalo::app
