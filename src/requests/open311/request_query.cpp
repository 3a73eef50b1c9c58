#include "requests/open311/request_query.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "platform/core/text.hpp"
#include "platform/core/time.hpp"

namespace zocalo::requests::open311 {

namespace {

constexpr std::size_t kMaxIdLength = 64;
constexpr std::size_t kMaxStatusItems = 8;  // "open" and "closed"; a few bad ones to report

bool is_code_char(char c, bool allow_dot) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || (allow_dot && c == '.');
}

bool is_token(std::string_view s, bool allow_dot) {
  return !s.empty() && s.size() <= kMaxIdLength &&
         std::all_of(s.begin(), s.end(), [&](char c) { return is_code_char(c, allow_dot); });
}

// The parameters this parser reads, with their non-empty (trimmed) values in query order.
class Parameters {
 public:
  explicit Parameters(const std::vector<std::pair<std::string, std::string>>& params) {
    for (const auto& [name, raw] : params) {
      const std::string_view value = text::trim_space(raw);
      if (value.empty()) continue;  // Open311 GeoReport v2: empty parameter = absent
      for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (name == kNames[i]) values_[i].emplace_back(value);
      }
    }
  }

  const std::vector<std::string_view>& all(std::string_view name) const {
    return values_[index(name)];
  }
  bool has(std::string_view name) const { return !all(name).empty(); }

  // Comma lists: items trimmed, empty ones skipped, duplicates dropped. Stops after
  // max_items + 1 distinct items (enough for the caller to say "too many"), so a huge query
  // costs no more than a long one.
  std::vector<std::string> list(std::string_view name, std::size_t max_items) const {
    std::vector<std::string> items;
    std::unordered_set<std::string_view> seen;
    for (std::string_view value : all(name)) {
      while (items.size() <= max_items) {
        const std::size_t comma = value.find(',');
        const std::string_view item = text::trim_space(value.substr(0, comma));
        if (!item.empty() && seen.insert(item).second) items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
      }
    }
    return items;
  }

  // The one value of a single-valued parameter; an error when it came more than once.
  std::optional<std::string_view> single(std::string_view name,
                                         std::vector<Open311Error>& errors) const {
    const auto& v = all(name);
    if (v.empty()) return std::nullopt;
    if (v.size() > 1) {
      errors.push_back({400, std::string(name) + " was given more than once; give it once"});
      return std::nullopt;
    }
    return v.front();
  }

 private:
  static constexpr std::array<std::string_view, 10> kNames = {
      "service_request_id", "service_code",   "status", "start_date", "end_date",
      "updated_after",      "updated_before", "page",   "page_size",  "extensions"};

  static std::size_t index(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
      if (kNames[i] == name) return i;
    }
    throw std::logic_error("Parameters: a name the parser does not read");
  }

  std::array<std::vector<std::string_view>, kNames.size()> values_;
};

std::optional<std::int64_t> read_datetime(const Parameters& p, std::string_view name,
                                          std::vector<Open311Error>& errors) {
  const auto value = p.single(name, errors);
  if (!value) return std::nullopt;
  const auto t = time::parse_iso8601(*value);
  if (!t) {
    errors.push_back({400, std::string(name) +
                               " must be an ISO 8601 datetime with a time zone, such as "
                               "2025-06-01T00:00:00Z or 2025-06-01T00:00:00-06:00"});
  }
  return t;
}

std::optional<int> read_bounded(const Parameters& p, std::string_view name, int max,
                                std::vector<Open311Error>& errors) {
  const auto value = p.single(name, errors);
  if (!value) return std::nullopt;
  int n = 0;
  const char* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, n);
  if (ec != std::errc() || ptr != end || n < 1 || n > max || value->front() == '+') {
    errors.push_back(
        {400, std::string(name) + " must be a whole number from 1 to " + std::to_string(max)});
    return std::nullopt;
  }
  return n;
}

void read_extensions(const Parameters& p, RequestQuery& q, std::vector<Open311Error>& errors) {
  const auto value = p.single("extensions", errors);
  if (!value) return;
  if (*value == "true") {
    q.extensions = true;
  } else if (*value != "false") {
    errors.push_back({400, "extensions must be true or false"});
  }
}

void read_ids(std::vector<std::string> ids, RequestQuery& q, std::vector<Open311Error>& errors) {
  q.service_request_ids = std::move(ids);
  if (q.service_request_ids.size() > kMaxRequestIds) {
    errors.push_back(
        {400, "service_request_id lists at most " + std::to_string(kMaxRequestIds) + " ids"});
  }
  if (!std::all_of(q.service_request_ids.begin(), q.service_request_ids.end(),
                   [](const std::string& id) { return is_token(id, true); })) {
    errors.push_back({400,
                      "service_request_id must be a comma-separated list of ids of 1 to 64 "
                      "letters, digits, '.', '_' or '-'"});
  }
  q.page_size = kMaxPageSize;
}

void read_filters(const Parameters& p, std::int64_t now, RequestQuery& q,
                  std::vector<Open311Error>& errors) {
  q.service_codes = p.list("service_code", kMaxServiceCodes);
  if (q.service_codes.size() > kMaxServiceCodes) {
    errors.push_back(
        {400, "service_code lists at most " + std::to_string(kMaxServiceCodes) + " codes"});
  }
  if (!std::all_of(q.service_codes.begin(), q.service_codes.end(),
                   [](const std::string& code) { return is_token(code, false); })) {
    errors.push_back({400,
                      "service_code must be a comma-separated list of codes of 1 to 64 letters, "
                      "digits, '_' or '-'"});
  }

  bool bad_status = false;
  for (const std::string& name : p.list("status", kMaxStatusItems)) {
    const auto status = parse_open311_status(name);
    if (!status) {
      bad_status = true;
    } else if (std::find(q.statuses.begin(), q.statuses.end(), *status) == q.statuses.end()) {
      q.statuses.push_back(*status);
    }
  }
  if (bad_status) errors.push_back({400, "status must be open, closed, or open,closed"});

  q.start_date = read_datetime(p, "start_date", errors);
  q.end_date = read_datetime(p, "end_date", errors);
  q.updated_after = read_datetime(p, "updated_after", errors);
  q.updated_before = read_datetime(p, "updated_before", errors);
  if (q.start_date && q.end_date && *q.end_date < *q.start_date) {
    errors.push_back({400, "end_date must not be before start_date"});
  }
  if (q.updated_after && q.updated_before && *q.updated_before <= *q.updated_after) {
    errors.push_back({400, "updated_before must be later than updated_after"});
  }

  // Open311 GeoReport v2: "Default query limit is a span of 90 days or first 1000 requests
  // returned, whichever is smallest." A malformed date counts as given: its error stops the call
  // and no default takes its place.
  const bool any_date =
      p.has("start_date") || p.has("end_date") || p.has("updated_after") || p.has("updated_before");
  if (!any_date) {
    q.start_date = now - kDefaultWindowSeconds;
    q.end_date = now;
    q.default_window = true;
  } else if (q.start_date && !q.end_date && !p.has("end_date")) {
    q.end_date = *q.start_date + kDefaultWindowSeconds;
    q.default_window = true;
  } else if (q.end_date && !q.start_date && !p.has("start_date")) {
    q.start_date = *q.end_date - kDefaultWindowSeconds;
    q.default_window = true;
  }

  if (const auto page = read_bounded(p, "page", kMaxPage, errors)) q.page = *page;
  if (const auto size = read_bounded(p, "page_size", kMaxPageSize, errors)) q.page_size = *size;
}

}  // namespace

ParsedRequestQuery parse_request_query(
    const std::vector<std::pair<std::string, std::string>>& params, std::int64_t now_unix) {
  ParsedRequestQuery parsed;
  const Parameters p(params);
  read_extensions(p, parsed.query, parsed.errors);
  std::vector<std::string> ids = p.list("service_request_id", kMaxRequestIds);
  if (!ids.empty()) {
    // Open311 GeoReport v2: service_request_id "overrides all other arguments".
    read_ids(std::move(ids), parsed.query, parsed.errors);
  } else {
    read_filters(p, now_unix, parsed.query, parsed.errors);
  }
  return parsed;
}

}  // namespace zocalo::requests::open311
