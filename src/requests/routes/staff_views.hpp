#pragma once
// Small pieces the staff and operator pages share: dates in Mexico City time, status labels,
// folios from paths, error answers that re-render a page.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "requests/model/status.hpp"

namespace zocalo::requests {

// "2026-11-23 08:05" in Mexico City (UTC−6 all year since 2022: working_calendar.hpp).
std::string format_local(std::int64_t unix_seconds);
// The catalog key of a status's label: "atencion.status.in_progress".
std::string status_label_key(RequestStatus status);
// The canonical compact folio of a path segment ("4k7p-2m9x" → "4K7P2M9X"), or nullopt when it
// is not a valid folio (wrong length, alphabet or check symbol).
std::optional<std::string> folio_from_path(std::string_view text);
// A positive decimal id of at most 18 digits, or nullopt.
std::optional<long long> parse_id(std::string_view text);

}  // namespace zocalo::requests
