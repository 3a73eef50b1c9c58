#pragma once
// Reading a 311 service catalog from a file an admin uploads (or the embedded demo catalog):
// JSON with attributes, or a flat CSV exported from a spreadsheet. Both return services already
// validated (validate_catalog); ServiceStore::import writes them in one transaction.
//
// Every failure is Error::invalid("requests.catalog.invalid", detail) with a detail for the
// admin that names where and what: "line 7, column sla_hours: not a number" (CSV),
// "item 3 (bache), attributes[1] (tamano): ..." or "line 12, column 5: invalid JSON" (JSON).
// An oversized file is kTooLarge with the same key.
//
// Limits (service.hpp): file ≤ 5 MiB, ≤ 2,000 services, ≤ 100 attributes per service,
// ≤ 200 values per list attribute, names ≤ 200 characters, descriptions ≤ 2,000, groups ≤ 100,
// ≤ 50 keywords of ≤ 60 characters. Text must be valid UTF-8 without control characters
// (descriptions may keep line breaks and tabs). A UTF-8 byte order mark at the start is
// skipped (spreadsheets write one).
//
// ## JSON
//
// An array of services; unknown members are errors (a typo must not silently drop a field):
//
//   [
//     {
//       "code": "luminaria-apagada",                 // required, [A-Za-z0-9_-]{1,64}, unique
//       "name": {"es": "Luminaria apagada", "en": "Street light out"},  // es required
//       "description": {"es": "...", "en": "..."},   // optional, as are the next ones
//       "group": {"es": "Alumbrado y calles", "en": "Lighting and streets"},
//       "keywords": ["luz", "lámpara", "poste", "light"],  // no commas inside a keyword
//       "agency_code": "sobse",                      // required: agencies.code
//       "sla_hours": 72,                             // working hours, 0..10000; default 0
//       "type": "realtime",                          // realtime (default) | batch | blackbox
//       "order": 10,                                 // integer; default 0
//       "active": true,                              // default true
//       "attributes": [                              // Open311 attributes; default none
//         {"code": "cuantas", "datatype": "singlevaluelist", "variable": true,
//          "required": true, "order": 1, "description": "¿Cuántas luminarias?",
//          "datatype_description": "", "values": [{"key": "1", "name": "Una"}]}
//       ]
//     }
//   ]
//
// In an attribute, `code`, `datatype` and `description` are required; `variable` defaults to
// true, `required` to false, `order` to its position (1, 2, ...), `values` to none.
//
// ## CSV (RFC 4180)
//
// Flat services without attributes. Comma-separated, fields optionally in double quotes ("" is
// a quote inside them; quoted fields may hold commas and line breaks), records end in CRLF or
// LF. The first record is a header naming the columns, in any order:
//
//   code,name_es,name_en,description_es,description_en,group_es,group_en,keywords,
//   agency_code,sla_hours,type,order,active
//
// `code`, `name_es` and `agency_code` are required columns; a column left out, or an empty
// cell, takes the JSON default. Unknown or repeated columns are errors. `keywords` is one cell,
// comma-separated ("luz, lámpara, light"). `sla_hours` is a decimal with a dot; `active` is
// true/false, 1/0, yes/no or sí/no. Blank lines are skipped. A line number is the one the
// record starts on, the header being line 1. Cells are text, never evaluated: "=SUM(A1)" is a
// name like any other.
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "requests/model/service.hpp"

namespace zocalo::requests {

inline constexpr std::size_t kCatalogMaxBytes = 5 * 1024 * 1024;
inline constexpr std::size_t kCatalogMaxServices = 2'000;

Result<std::vector<Service>> parse_catalog_json(std::string_view json);
Result<std::vector<Service>> parse_catalog_csv(std::string_view csv);

// The checks both parsers apply, for catalogs built elsewhere (admin pages, tests): sizes,
// code syntax and uniqueness, Spanish name, agency code present, sla_hours finite 0..10000,
// order bounds, text well formed, attribute definitions (validate_attribute_definitions).
// Details name the service by position and code: "item 3 (bache), sla_hours: ...".
Status validate_catalog(const std::vector<Service>& services);

}  // namespace zocalo::requests
