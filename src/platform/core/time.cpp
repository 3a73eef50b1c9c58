#include "platform/core/time.hpp"

#include <chrono>
#include <ctime>
#include <optional>

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

namespace {

// `count` ASCII digits at text[pos], or nullopt.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos > text.size() || text.size() - pos < count) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool at(std::string_view text, std::size_t pos, char c) {
  return pos < text.size() && text[pos] == c;
}

}  // namespace

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  // Fixed part: YYYY-MM-DDThh:mm (16 characters).
  const auto year = digits(text, 0, 4);
  const auto month = digits(text, 5, 2);
  const auto day = digits(text, 8, 2);
  const auto hour = digits(text, 11, 2);
  const auto minute = digits(text, 14, 2);
  if (!year || !month || !day || !hour || !minute || !at(text, 4, '-') || !at(text, 7, '-') ||
      !(at(text, 10, 'T') || at(text, 10, 't')) || !at(text, 13, ':')) {
    return std::nullopt;
  }
  std::size_t pos = 16;
  int second = 0;
  if (at(text, pos, ':')) {
    const auto s = digits(text, pos + 1, 2);
    if (!s) return std::nullopt;
    second = *s;
    pos += 3;
    if (at(text, pos, '.')) {  // a decimal fraction of a second, at most nanoseconds
      const std::size_t start = ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == start || pos - start > 9) return std::nullopt;
    }
  }
  std::int64_t offset = 0;
  if (at(text, pos, 'Z') || at(text, pos, 'z')) {
    pos += 1;
  } else if (at(text, pos, '+') || at(text, pos, '-')) {
    const auto oh = digits(text, pos + 1, 2);
    const auto om = digits(text, pos + 4, 2);
    if (!oh || !om || !at(text, pos + 3, ':') || *oh > 23 || *om > 59) return std::nullopt;
    offset = (*oh * 3600 + *om * 60) * (text[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return std::nullopt;  // Open311 GeoReport v2: the zone must be included
  }
  if (pos != text.size()) return std::nullopt;
  if (*hour > 23 || *minute > 59 || second > 59) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{*year},
                                         std::chrono::month{static_cast<unsigned>(*month)},
                                         std::chrono::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  const std::int64_t days = std::chrono::sys_days{date}.time_since_epoch().count();
  const std::int64_t unix = days * 86'400 + *hour * 3'600 + *minute * 60 + second - offset;
  // Years 1000..9999 in UTC, so that time::to_iso8601 writes every accepted instant back with a
  // four-digit year.
  constexpr std::int64_t kYear1000 = -30'610'224'000;
  constexpr std::int64_t kYear10000 = 253'402'300'800;
  if (unix < kYear1000 || unix >= kYear10000) return std::nullopt;
  return unix;
}

}  // namespace zocalo::time
