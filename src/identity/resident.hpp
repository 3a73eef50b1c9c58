#pragma once
// Who is signed in on this browser, for every module (311, procedures, the portal): the
// resident's account, the login (when and how they authenticated) and their staff roles.
//
//   auto who = identity::signed_in(req, db);          // Result<std::optional<SignedIn>>
//   if (!who) return errors.error_response(req, who.error());
//   if (!*who) return identity::sign_in_redirect(req);  // 303 to /llave/entrar?siguiente=...
//   if (!(*who)->roles.works_for(agency_id)) ... 403
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "identity/model/account.hpp"
#include "identity/model/staff_role.hpp"
#include "identity/store/login_session_store.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"

namespace zocalo::identity {

// The platform session key holding the LoginSession id.
inline constexpr const char* kLoginSessionKey = "llave.login";
// Where residents sign in; takes `siguiente` (a local path to return to after sign-in) and
// `reautenticar=1` (ask for the password even when signed in: OIDC prompt=login, max_age).
inline constexpr std::string_view kSignInPath = "/llave/entrar";

struct SignedIn {
  Account account;
  LoginSession login;
  StaffRoles roles;
};

// The signed-in resident, or nullopt when the browser has no login, or it was revoked, idled
// out or expired, or the account is not active (a dead login is forgotten from the session).
// Records activity (LoginSessionStore::touch). `now` 0 reads the clock.
Result<std::optional<SignedIn>> signed_in(http::Request& req, db::Database& db,
                                          std::int64_t now = 0);

// After every factor passed (only the timeouts of `limits` are read; the account, amr, device
// and IP come from the arguments and the request): moves the browser to a fresh session id (a
// session fixed by an attacker before sign-in is worthless after it), creates the login row and
// appends "signin" to the audit log, all in one transaction. Returns the login.
Result<LoginSession> start_login(http::Request& req, db::Database& db, const Account& account,
                                 std::string_view amr, const NewLoginSession& limits,
                                 std::int64_t now);

// Ends this browser's login (row revoked, "signout" audited) and moves the browser to a fresh
// session id. Succeeds when nobody is signed in.
Status end_login(http::Request& req, db::Database& db, std::int64_t now);

// Whether `target` is a local path safe to redirect to after sign-in: starts with one '/',
// not "//" or "/\", no control characters, at most 2,000 bytes. Anything else is an open
// redirect waiting to happen.
bool is_local_path(std::string_view target);

// 303 to kSignInPath?siguiente=<this request's path and query>.
http::Response sign_in_redirect(const http::Request& req);

// What another module may know of a resident it serves (an operator's caller, the owner of a
// 311 request): who, how to reach them, how sure the city is of them. Nothing else leaves the
// identity module.
struct ResidentContact {
  long long account_id = 0;
  std::string given_name;
  std::string family_name;
  std::optional<std::string> email;  // only when verified
  std::optional<std::string> phone;  // only when verified
  std::optional<std::string> curp;
  LevelOfAssurance loa = LevelOfAssurance::kUnverified;
};

// `account`'s contacts by these rules: for the signed-in resident's own use (their own data,
// already in hand: nothing read, nothing recorded).
ResidentContact contact_of(const Account& account);

// A city official reading residents' personal data, and why. Every read through the two
// functions below leaves one "data.viewed" row per resident shown in the audit log (actor the
// official, detail {"purpose": ...}, the request's IP), committed before the data is returned:
// no row, no data. The resident sees it on /mi-llave/actividad, which names known purposes in
// words. `purpose` is 1..48 of [a-z0-9_.], e.g. "311.caller_search".
struct StaffReader {
  long long staff_account_id = 0;
  std::string_view purpose;
};

// Staff lookup (a call-centre operator finding the caller): active accounts whose CURP,
// e-mail, phone or name starts with `prefix` (AccountStore::search rules: at least 2
// characters, index-backed), at most `limit` (1..100). The caller must have checked the
// staff member's role first.
Result<std::vector<ResidentContact>> find_residents(const http::Request& req, db::Database& db,
                                                    const StaffReader& reader,
                                                    std::string_view prefix, int limit);
// One resident by account id, for `reader` (nullopt when unknown or not active: nothing is
// recorded then).
Result<std::optional<ResidentContact>> find_resident(const http::Request& req, db::Database& db,
                                                     const StaffReader& reader,
                                                     long long account_id);
// The same inside the caller's transaction, for zocalo itself (a notice queued to the resident
// with the change it tells of): not recorded, and never to be shown to anybody.
Result<std::optional<ResidentContact>> find_resident(soci::session& sql, long long account_id);

// A staff action of another module (a 311 service saved, a routing rule removed) in the audit
// log, inside the caller's transaction so that the change and its record commit together or not
// at all: actor the staff member, the request's IP, no account concerned. `action` (e.g.
// "311.service.saved") and `detail` (a JSON object) follow AuditEvent's rules, else
// identity.audit.invalid. Run it last: it holds the log's head until the commit.
Status record_staff_action(soci::session& sql, const http::Request& req, long long staff_account_id,
                           std::string_view action, std::string detail);

// A colleague a request can be handed to: who, and nothing else.
struct AgencyStaffMember {
  long long account_id = 0;
  std::string display_name;  // "given family"
};
// The active accounts holding the agency-staff role for the agency whose code is
// `agency_code` (portal's `agencies.code`), by name, at most 1,000; empty for an unknown
// agency. Admins are not listed: they work for every agency, not in one.
Result<std::vector<AgencyStaffMember>> find_agency_staff(db::Database& db,
                                                         std::string_view agency_code);

}  // namespace zocalo::identity
