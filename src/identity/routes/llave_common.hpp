#pragma once
// What Llave's sign-in pages share (sign-up, verification, sign-in, reset, security): page
// rendering with the catalog, the client address, throttling with database counters, audit
// entries and the messages that carry codes. Used only by sign_in_pages.cpp and llave_*.cpp.
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "identity/model/account.hpp"
#include "identity/model/throttle.hpp"
#include "identity/resident.hpp"
#include "identity/routes/identity_context.hpp"
#include "platform/core/result.hpp"
#include "platform/http/form.hpp"
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"
#include "platform/web/renderer.hpp"

namespace zocalo::identity::llave {

// Bounds on form fields before anything else looks at them.
inline constexpr std::size_t kMaxFieldBytes = 300;
inline constexpr std::size_t kMaxPasswordBytes = 1024;  // policy counts code points (≤ 256)

// Pages (templates/llave/*.mustache).
http::Response page(const IdentityContext& ctx, http::Request& req, std::string_view name,
                    web::View& view, std::string_view title_key, int status = 200);

// The catalog text for an Error's user_key, shown on Llave's pages: "llave.error.<user_key>"
// when Llave's catalog has it, else the generic "llave.error.generic".
std::string error_text(const IdentityContext& ctx, const http::Request& req,
                       std::string_view user_key);
std::string text(const IdentityContext& ctx, const http::Request& req, std::string_view key);
// The same in an explicit locale (messages sent to a resident, in the language of the page
// they used).
std::string text_in(const IdentityContext& ctx, std::string_view locale, std::string_view key);
// `text` with every "{{name}}" replaced by `value` (catalog texts name their variables so).
std::string fill(std::string text, std::string_view name, std::string_view value);

// The client's address as the server determined it (a trusted proxy's X-Forwarded-For is
// already applied by the platform); "unknown" when empty.
std::string client_ip(const http::Request& req);

// A form field cut to `max` bytes (nothing longer is ever legitimate).
std::string field(const http::FormData& form, std::string_view name,
                  std::size_t max = kMaxFieldBytes);

// An identifier typed into a sign-in or reset form: an e-mail address when it holds '@', else
// a mobile number. `normalised` is empty when it is neither (no account can have it).
struct Identifier {
  bool is_email = false;
  std::string normalised;
  std::string bucket;  // throttle bucket: a hash of the normalised form (or of the raw text)
};
Identifier parse_identifier(std::string_view typed);

// Seconds the slowest of the two buckets must still wait (0: go ahead).
Result<std::int64_t> throttle_wait(const IdentityContext& ctx, std::string_view scope_a,
                                   std::string_view bucket_a, const ThrottleRule& rule_a,
                                   std::string_view scope_b = {}, std::string_view bucket_b = {},
                                   const ThrottleRule& rule_b = {});

// The 429 answer for a throttled form: the same page, status 429, the throttling message and a
// Retry-After. Identical whether or not an account stands behind the identifier.
http::Response throttled(const IdentityContext& ctx, http::Request& req, std::string_view name,
                         web::View& view, std::string_view title_key, std::int64_t wait);

// Appends an audit entry by the resident (actor = the account itself) in `sql`.
Status audit(soci::session& sql, std::optional<long long> account_id, std::string_view action,
             const http::Request& req, std::string detail = "{}", std::int64_t now = 0);

// Queues the verification link for the account's e-mail (or the code for its phone) in `sql`.
Status send_email_verification(const IdentityContext& ctx, soci::session& sql,
                               const Account& account, std::string_view locale, std::int64_t now);
Status send_phone_verification(const IdentityContext& ctx, soci::session& sql,
                               const Account& account, std::string_view locale, std::int64_t now);

// The signed-in resident or nullopt; database errors are errors.
Result<std::optional<SignedIn>> current(const IdentityContext& ctx, http::Request& req);

// Where to go after sign-in: `target` when identity::is_local_path accepts it, else /mi-llave.
std::string safe_next(std::string_view target);

}  // namespace zocalo::identity::llave
