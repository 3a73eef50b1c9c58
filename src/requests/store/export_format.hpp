#pragma once
// The open-data files of 311 (issue 4, item 8): CSV (RFC 4180: CRLF, a header row, fields
// quoted when they hold a comma, quote, CR or LF, quotes doubled; UTF-8 without a BOM) and
// GeoJSON (RFC 7946: a FeatureCollection of points in WGS84 lon/lat; a request without a point
// has "geometry": null). Both write exactly the columns of ExportRow, nothing else.
#include <string>
#include <string_view>
#include <vector>

#include "requests/store/export_store.hpp"

namespace zocalo::requests {

// The header row's column names, in order (also the GeoJSON property names).
inline constexpr std::string_view kExportColumns[] = {
    "folio",       "service_code", "service_name", "status",      "area_code",   "area_name",
    "agency_code", "agency_name",  "requested_at", "updated_at",  "expected_at", "closed_at",
    "channel",     "lat",          "lon",          "description", "private"};

// Spreadsheet formula injection (OWASP "CSV Injection"): a text cell starting with = + - @
// TAB or CR is run as a formula by Excel, LibreOffice and Google Sheets when the file is
// opened. Such a cell gets a leading apostrophe (shown as text, the value otherwise intact).
// Applied to every text column of both files (GeoJSON is turned into spreadsheets too); never
// to the numbers and datetimes this module writes itself.
std::string neutralise_formula(std::string_view value);
// One CSV field as RFC 4180 writes it (a neutralised cell is always quoted).
std::string csv_field(std::string_view value);
// The header row and every row (CRLF after each line).
std::string to_csv(const std::vector<ExportRow>& rows);
// A FeatureCollection; "id" of each feature is the folio.
std::string to_geojson(const std::vector<ExportRow>& rows);

}  // namespace zocalo::requests
