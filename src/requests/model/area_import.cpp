#include "requests/model/area_import.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <unordered_set>
#include <utility>

#include "requests/model/request_intake.hpp"

namespace zocalo::requests {
namespace {

constexpr const char* kKey = "requests.areas.invalid";

Error invalid(std::string detail) {
  return Error::invalid(kKey, std::move(detail));
}

Error too_large(std::string detail) {
  Error e = Error::invalid(kKey, std::move(detail));
  e.kind = ErrorKind::kTooLarge;
  return e;
}

std::string feature_label(std::size_t index, std::string_view code) {
  std::string out = "feature " + std::to_string(index + 1);
  if (!code.empty()) out += " (" + std::string(code) + ")";
  return out;
}

// A string property by its name, or by INEGI's name when the first is absent.
const boost::json::value* property(const boost::json::object& props, std::string_view name,
                                   std::string_view inegi) {
  if (const auto* v = props.if_contains(name)) return v;
  return props.if_contains(inegi);
}

// One line of printable text: check_free_text's rules without the line breaks.
Result<std::string> area_name(std::string_view field, const boost::json::value& value) {
  if (!value.is_string()) return fail(invalid(std::string(field) + ": must be a string"));
  auto text = check_free_text(field, std::string_view(value.as_string()), kAreaNameMaxChars);
  if (!text) return fail(invalid(text.error().detail));
  if (text->empty()) return fail(invalid(std::string(field) + ": must not be empty"));
  if (text->find_first_of("\n\t") != std::string::npos) {
    return fail(invalid(std::string(field) + ": must be one line"));
  }
  return *text;
}

std::size_t positions_in(const boost::json::value& coordinates, int depth) {
  if (!coordinates.is_array()) return 0;
  const auto& array = coordinates.as_array();
  if (depth == 0) return array.size();
  std::size_t n = 0;
  for (const auto& item : array) n += positions_in(item, depth - 1);
  return n;
}

// Positions of a Polygon (depth 1: rings of positions) or MultiPolygon (depth 2).
std::size_t positions_of(const boost::json::object& geometry) {
  const auto* type = geometry.if_contains("type");
  const auto* coordinates = geometry.if_contains("coordinates");
  if (!type || !type->is_string() || !coordinates) return 0;
  if (type->as_string() == "Polygon") return positions_in(*coordinates, 1);
  if (type->as_string() == "MultiPolygon") return positions_in(*coordinates, 2);
  return 0;
}

}  // namespace

bool is_valid_area_code(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  for (const char c : code) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<ImportedArea>> parse_area_collection(std::string_view json) {
  if (json.size() > kAreaFileMaxBytes) {
    return fail(too_large("the file is larger than " +
                          std::to_string(kAreaFileMaxBytes / (1024 * 1024)) + " MiB"));
  }
  if (json.starts_with("\xEF\xBB\xBF")) json.remove_prefix(3);  // a byte order mark
  boost::system::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 16;  // FeatureCollection → Feature → geometry → 3 levels of arrays
  const boost::json::value root = boost::json::parse(json, ec, {}, options);
  if (ec) return fail(invalid("invalid JSON: " + ec.message()));
  if (!root.is_object()) return fail(invalid("not a GeoJSON FeatureCollection"));
  const auto& collection = root.as_object();
  const auto* type = collection.if_contains("type");
  if (!type || !type->is_string() || type->as_string() != "FeatureCollection") {
    return fail(invalid("not a GeoJSON FeatureCollection (type must be \"FeatureCollection\")"));
  }
  const auto* features = collection.if_contains("features");
  if (!features || !features->is_array()) {
    return fail(invalid("a FeatureCollection needs a \"features\" array"));
  }
  const auto& list = features->as_array();
  if (list.empty()) return fail(invalid("the FeatureCollection has no features"));
  if (list.size() > kAreaFileMaxFeatures) {
    return fail(too_large(std::to_string(list.size()) + " features; at most " +
                          std::to_string(kAreaFileMaxFeatures)));
  }
  std::vector<ImportedArea> out;
  out.reserve(list.size());
  std::unordered_set<std::string> codes;
  std::size_t total_positions = 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& item = list[i];
    if (!item.is_object()) return fail(invalid(feature_label(i, "") + ": not an object"));
    const auto& feature = item.as_object();
    const auto* ftype = feature.if_contains("type");
    if (!ftype || !ftype->is_string() || ftype->as_string() != "Feature") {
      return fail(invalid(feature_label(i, "") + ": type must be \"Feature\""));
    }
    const auto* props = feature.if_contains("properties");
    if (!props || !props->is_object()) {
      return fail(invalid(feature_label(i, "") + ": properties code and name are required"));
    }
    ImportedArea area;
    const auto* code = property(props->as_object(), "code", "cvegeo");
    if (!code) return fail(invalid(feature_label(i, "") + ": properties.code is missing"));
    if (!code->is_string() || !is_valid_area_code(std::string_view(code->as_string()))) {
      return fail(invalid(feature_label(i, "") +
                          ": properties.code must be 1 to 32 letters, digits, - or _"));
    }
    area.code = std::string(code->as_string());
    const std::string label = feature_label(i, area.code);
    if (!codes.insert(area.code).second) {
      return fail(invalid(label + ": duplicate code (another feature has it)"));
    }
    const auto* name = property(props->as_object(), "name", "nomgeo");
    if (!name) return fail(invalid(label + ": properties.name is missing"));
    auto checked = area_name("name", *name);
    if (!checked) return fail(invalid(label + ": " + checked.error().detail));
    area.name = std::move(*checked);
    if (const auto* en = props->as_object().if_contains("name_en"); en && !en->is_null()) {
      auto english = area_name("name_en", *en);
      if (!english) return fail(invalid(label + ": " + english.error().detail));
      area.name_en = std::move(*english);
    }
    const auto* geometry = feature.if_contains("geometry");
    if (!geometry || !geometry->is_object()) {
      return fail(invalid(label + ": a Polygon or MultiPolygon geometry is required"));
    }
    area.positions = positions_of(geometry->as_object());
    total_positions += area.positions;
    if (total_positions > kAreaFileMaxPositions) {
      return fail(too_large(label + ": the file has more than " +
                            std::to_string(kAreaFileMaxPositions) + " positions in all"));
    }
    auto shape = parse_geojson_geometry(*geometry);
    if (!shape) {
      Error e = shape.error();
      // requests.area.<reason>: the reason is part of what the admin reads.
      std::string reason = e.user_key;
      if (reason.starts_with("requests.area.")) reason = reason.substr(14);
      std::replace(reason.begin(), reason.end(), '_', ' ');
      Error out = e.kind == ErrorKind::kTooLarge ? too_large("") : invalid("");
      out.detail = label + ": " + reason + ": " + e.detail;
      return fail(std::move(out));
    }
    area.bounds = shape->bounds();
    area.geometry = boost::json::serialize(*geometry);
    out.push_back(std::move(area));
  }
  return out;
}

std::size_t count_positions(std::string_view geometry_json) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(geometry_json, ec);
  if (ec || !v.is_object()) return 0;
  return positions_of(v.as_object());
}

}  // namespace zocalo::requests
