#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace zocalo::time {

using Clock = std::chrono::system_clock;

// Seconds since the Unix epoch: how every timestamp is stored in both databases.
std::int64_t now_unix();
// ISO 8601 / RFC 3339 in UTC with a zone designator, e.g. "2026-11-22T21:43:03Z".
std::string to_iso8601(std::int64_t unix_seconds);
// RFC 9110 IMF-fixdate, for Date / Last-Modified headers.
std::string to_http_date(std::int64_t unix_seconds);

}  // namespace zocalo::time
