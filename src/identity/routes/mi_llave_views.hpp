#pragma once
// Small pieces the Mi Llave and staff pages share: how a browser, a time and an audit entry are
// put into plain words for a resident, and the public handle of a login (whose id is a bearer
// secret and never appears in a page).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "identity/store/audit_log.hpp"
#include "platform/web/renderer.hpp"

namespace zocalo::identity::mi_llave {

// Replaces each {{name}} in catalog text with its value (catalog text may only carry such
// variables; the template escapes the result).
std::string fill(std::string_view text,
                 const std::vector<std::pair<std::string_view, std::string>>& vars);

// The browser and system a User-Agent names, as a person would say them ("Chrome", "Android");
// empty when unknown. Checked in the order that keeps look-alikes apart: Edge and Opera and
// Samsung Internet also say "Chrome", Chrome also says "Safari", iOS browsers say "Mac OS X".
struct Device {
  std::string browser;
  std::string os;
};
Device parse_user_agent(std::string_view user_agent);
// "Chrome en Android" / "Chrome on Android", or the catalog's "unknown device".
std::string describe_device(const web::Renderer& renderer, std::string_view locale,
                            std::string_view user_agent);

// Mexico City wall-clock time, "2026-11-23 18:31". The city has kept UTC−6 all year since
// daylight saving time was abolished (DOF, 28 Oct 2022), so a fixed offset is exact.
std::string local_time(std::int64_t unix_seconds);
// Today's date in Mexico City, "2026-11-23".
std::string local_date(std::int64_t unix_seconds);

// A login's public handle for forms: the first 16 hex digits of SHA-256 of its id. Knowing it
// gives nothing: the handle only selects among the signed-in resident's own logins.
std::string login_handle(std::string_view login_id);

// A positive decimal id ("12"), or nullopt (no signs, no leading zeros, at most 18 digits).
std::optional<long long> parse_id(std::string_view text);

// One audit row in plain words for the resident's activity page and the staff detail page.
struct ActivityLine {
  std::string when;   // local_time
  std::string what;   // "Iniciaste sesión en Chrome en Android"
  std::string who;    // "Tú", "Funcionaria: Ana López (cuenta 12)", "Servicio: Predial"
  std::string where;  // "IP 201.141.3.9" or ""
};
// `staff_names` maps staff account ids (as text) to their names, for actor lines. On a staff
// page (`staff_view`) the resident's own actions are "the account holder", not "you".
ActivityLine describe_event(const web::Renderer& renderer, std::string_view locale,
                            const AuditRecord& record,
                            const std::map<std::string, std::string>& staff_names,
                            bool staff_view = false);

}  // namespace zocalo::identity::mi_llave
