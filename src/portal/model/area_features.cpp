#include "portal/model/area_features.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <limits>

namespace zocalo::portal {
namespace {

namespace json = boost::json;

Error bad_feature(std::size_t index, std::string_view why) {
  return Error::invalid("error.400.body",
                        "feature " + std::to_string(index) + ": " + std::string(why));
}

// Walks nested coordinate arrays down to [lon, lat] positions, growing `box`.
bool extend_bounds(const json::value& coordinates, BoundingBox& box, int depth) {
  if (!coordinates.is_array() || depth > 4) return false;
  const json::array& array = coordinates.as_array();
  if (!array.empty() && array.front().is_number()) {
    if (array.size() < 2 || !array[1].is_number()) return false;
    const double lon = array[0].to_number<double>();
    const double lat = array[1].to_number<double>();
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) return false;
    box.min_lon = std::min(box.min_lon, lon);
    box.max_lon = std::max(box.max_lon, lon);
    box.min_lat = std::min(box.min_lat, lat);
    box.max_lat = std::max(box.max_lat, lat);
    return true;
  }
  return std::all_of(array.begin(), array.end(),
                     [&](const json::value& v) { return extend_bounds(v, box, depth + 1); });
}

}  // namespace

Result<std::vector<AreaFeature>> parse_area_features(std::string_view feature_collection,
                                                     std::string_view kind) {
  boost::system::error_code ec;
  const json::value doc = json::parse(feature_collection, ec);
  const json::object* root = ec ? nullptr : doc.if_object();
  const json::value* features = root ? root->if_contains("features") : nullptr;
  if (features == nullptr || !features->is_array()) {
    return fail(Error::invalid("error.400.body", "not a GeoJSON FeatureCollection"));
  }
  std::vector<AreaFeature> out;
  std::size_t index = 0;
  for (const json::value& feature : features->as_array()) {
    const json::object* object = feature.if_object();
    const json::value* properties = object ? object->if_contains("properties") : nullptr;
    const json::value* geometry = object ? object->if_contains("geometry") : nullptr;
    if (!properties || !properties->is_object() || !geometry || !geometry->is_object()) {
      return fail(bad_feature(index, "needs properties and geometry"));
    }
    const json::value* code = properties->as_object().if_contains("cvegeo");
    const json::value* name = properties->as_object().if_contains("nomgeo");
    if (!code || !code->is_string() || !name || !name->is_string()) {
      return fail(bad_feature(index, "needs string properties cvegeo and nomgeo"));
    }
    const json::value* type = geometry->as_object().if_contains("type");
    if (!type || !type->is_string() ||
        (type->as_string() != "Polygon" && type->as_string() != "MultiPolygon")) {
      return fail(bad_feature(index, "geometry must be a Polygon or MultiPolygon"));
    }
    AreaFeature parsed;
    parsed.area.code = std::string(code->as_string());
    parsed.area.name = std::string(name->as_string());
    parsed.area.kind = std::string(kind);
    constexpr double kInf = std::numeric_limits<double>::infinity();
    parsed.area.bounds = {kInf, kInf, -kInf, -kInf};
    const json::value* coordinates = geometry->as_object().if_contains("coordinates");
    if (!coordinates || !extend_bounds(*coordinates, parsed.area.bounds, 0) ||
        parsed.area.bounds.min_lon > parsed.area.bounds.max_lon) {
      return fail(bad_feature(index, "coordinates must be WGS84 [lon, lat] positions"));
    }
    parsed.geometry = json::serialize(*geometry);
    out.push_back(std::move(parsed));
    ++index;
  }
  return out;
}

}  // namespace zocalo::portal
