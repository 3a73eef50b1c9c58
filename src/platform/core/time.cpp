#include "platform/core/time.hpp"

#include <ctime>

namespace zocalo::time {

std::int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
}

namespace {
std::string format_utc(std::int64_t unix_seconds, const char* fmt) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, fmt, &tm);
  return std::string(buf, n);
}
}  // namespace

std::string to_iso8601(std::int64_t unix_seconds) {
  return format_utc(unix_seconds, "%Y-%m-%dT%H:%M:%SZ");
}

std::string to_http_date(std::int64_t unix_seconds) {
  return format_utc(unix_seconds, "%a, %d %b %Y %H:%M:%S GMT");
}

}  // namespace zocalo::time
