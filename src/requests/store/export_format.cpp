#include "requests/store/export_format.hpp"

#include <cstdio>

#include "platform/core/text.hpp"
#include "platform/core/time.hpp"

namespace zocalo::requests {
namespace {

std::string when(const std::optional<std::int64_t>& t) {
  return t ? time::to_iso8601(*t) : std::string();
}

// A private request's point is already rounded to 0.001°: written with three decimals so the
// file does not suggest more precision than it has; public points with seven (about 1 cm).
std::string degrees(double value, bool is_private) {
  char buf[32];
  std::snprintf(buf, sizeof buf, is_private ? "%.3f" : "%.7f", value);
  return buf;
}

// Every text column goes through neutralise_formula; the numbers and datetimes we write
// ourselves (a longitude starts with '-') do not.
std::vector<std::string> values_of(const ExportRow& r) {
  const auto t = [](const std::string& s) { return neutralise_formula(s); };
  return {t(r.folio),
          t(r.service_code),
          t(r.service_name),
          t(r.status),
          t(r.area_code),
          t(r.area_name),
          t(r.agency_code),
          t(r.agency_name),
          time::to_iso8601(r.requested_at),
          time::to_iso8601(r.updated_at),
          when(r.expected_at),
          when(r.closed_at),
          t(r.channel),
          r.point ? degrees(r.point->lat, r.is_private) : std::string(),
          r.point ? degrees(r.point->lon, r.is_private) : std::string(),
          t(r.description),
          r.is_private ? "1" : "0"};
}

void json_string(std::string& out, std::string_view s) {
  out += '"';
  text::append_json_escaped(out, s);
  out += '"';
}

}  // namespace

std::string neutralise_formula(std::string_view value) {
  if (!value.empty() &&
      std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
    return "'" + std::string(value);
  }
  return std::string(value);
}

std::string csv_field(std::string_view value) {
  // A neutralised cell is quoted too (OWASP): the apostrophe stays text in every reader.
  const bool neutralised = value.size() > 1 && value.front() == '\'' &&
                           std::string_view("=+-@\t\r").find(value[1]) != std::string_view::npos;
  if (!neutralised && value.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(value);
  }
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string to_csv(const std::vector<ExportRow>& rows) {
  std::string out;
  bool first = true;
  for (std::string_view name : kExportColumns) {
    if (!first) out += ',';
    first = false;
    out += name;
  }
  out += "\r\n";
  for (const ExportRow& r : rows) {
    first = true;
    for (const std::string& v : values_of(r)) {
      if (!first) out += ',';
      first = false;
      out += csv_field(v);
    }
    out += "\r\n";
  }
  return out;
}

std::string to_geojson(const std::vector<ExportRow>& rows) {
  std::string out = R"({"type":"FeatureCollection","features":[)";
  bool first_feature = true;
  for (const ExportRow& r : rows) {
    if (!first_feature) out += ',';
    first_feature = false;
    out += R"({"type":"Feature","id":)";
    json_string(out, r.folio);
    out += R"(,"geometry":)";
    if (r.point) {
      out += R"({"type":"Point","coordinates":[)" + degrees(r.point->lon, r.is_private) + "," +
             degrees(r.point->lat, r.is_private) + "]}";
    } else {
      out += "null";
    }
    out += R"(,"properties":{)";
    const std::vector<std::string> values = values_of(r);
    bool first = true;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const std::string_view name = kExportColumns[i];
      if (name == "lat" || name == "lon") continue;  // in the geometry
      if (!first) out += ',';
      first = false;
      json_string(out, name);
      out += ':';
      if (name == "private") {
        out += r.is_private ? "true" : "false";
      } else if ((name == "expected_at" || name == "closed_at" || name == "area_code" ||
                  name == "area_name") &&
                 values[i].empty()) {
        out += "null";
      } else {
        json_string(out, values[i]);
      }
    }
    out += "}}";
  }
  out += "]}";
  return out;
}

}  // namespace zocalo::requests
