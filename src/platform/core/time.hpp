#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zocalo::time {

using Clock = std::chrono::system_clock;

// Seconds since the Unix epoch: how every timestamp is stored in both databases.
std::int64_t now_unix();
// ISO 8601 / RFC 3339 in UTC with a zone designator, e.g. "2026-11-22T21:43:03Z".
std::string to_iso8601(std::int64_t unix_seconds);
// RFC 9110 IMF-fixdate, for Date / Last-Modified headers.
std::string to_http_date(std::int64_t unix_seconds);

// The W3C note's ISO 8601 subset that Open311 GeoReport v2 uses (www.w3.org/TR/NOTE-datetime),
// with a zone required: YYYY-MM-DDThh:mm[:ss[.s…]](Z|±hh:mm) → Unix seconds (fractions
// dropped). nullopt for a naive time (the instant cannot be known), a date alone, impossible
// dates (30 February), hours past 23, leap seconds (nothing downstream stores them), and years
// outside 1000..9999 once in UTC (so to_iso8601 writes every accepted instant back).
std::optional<std::int64_t> parse_iso8601(std::string_view text);

}  // namespace zocalo::time
