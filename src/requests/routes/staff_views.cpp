#include "requests/routes/staff_views.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>

#include "requests/model/folio.hpp"
#include "requests/routes/staff_context.hpp"

namespace zocalo::requests {

std::string format_local(std::int64_t unix_seconds) {
  // Mexico City has kept UTC−6 all year since October 2022 (no DST).
  const std::time_t local = static_cast<std::time_t>(unix_seconds - 6 * 3600);
  std::tm tm{};
  gmtime_r(&local, &tm);
  char out[96];  // room for any int, so the compiler can prove no truncation
  std::snprintf(out, sizeof out, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min);
  return out;
}

std::string status_label_key(RequestStatus status) {
  return "atencion.status." + std::string(to_string(status));
}

std::optional<std::string> folio_from_path(std::string_view text) {
  if (text.empty() || text.size() > 16) return std::nullopt;
  auto folio = parse_folio(text);
  if (!folio) return std::nullopt;
  return folio->compact();
}

std::optional<long long> parse_id(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  long long id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

StaffAccess staff_access(const StaffContext& ctx, http::Request& req, StaffPage page) {
  auto who = identity::signed_in(req, ctx.db);
  if (!who) return ctx.errors.error_response(req, who.error());
  if (!*who) return identity::sign_in_redirect(req);
  const identity::StaffRoles& roles = (*who)->roles;
  const bool allowed = page == StaffPage::kInbox
                           ? roles.is_admin() || roles.has(identity::Role::kAgencyStaff)
                           : roles.is_admin() || roles.has(identity::Role::kOperator);
  if (!allowed) return ctx.errors.page(req, 403);
  return std::move(**who);
}

}  // namespace zocalo::requests
