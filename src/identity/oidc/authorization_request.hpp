#pragma once
// The rules of an authorization request (OpenID Connect Core 1.0 §3.1.2.1-2, RFC 6749 §4.1.1,
// RFC 7636): what /oidc/authorize accepts, and which failures may be sent back to the client
// and which may not. Pure: the route looks the client up and hands it in.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "identity/model/account.hpp"
#include "identity/oidc/client.hpp"
#include "platform/http/form.hpp"

namespace zocalo::identity::oidc {

// Our own marker, added to the request when the resident is sent to re-enter their password
// (prompt=login, max_age): a sign-in at or after this moment satisfies the request, so coming
// back does not ask again forever. A client can only weaken its own request with it.
inline constexpr std::string_view kAuthAfterParam = "llave_auth_after";

inline constexpr std::size_t kMaxStateBytes = 500;
inline constexpr std::size_t kMaxNonceBytes = 500;
// is_local_path() bounds a `siguiente` target to 2,000 bytes; the authorize URL goes there.
inline constexpr std::size_t kMaxAuthorizeQueryBytes = 1800;

struct AuthorizationRequest {
  std::string client_id;
  std::string redirect_uri;
  std::vector<std::string> scopes;  // requested ∩ the client's allowed, openid first
  std::optional<std::string> state;
  std::optional<std::string> nonce;
  std::optional<std::string> code_challenge;  // S256
  bool prompt_none = false;
  bool prompt_login = false;
  bool prompt_consent = false;
  std::optional<std::int64_t> max_age;
  std::optional<LevelOfAssurance> acr_min;  // the lowest level acr_values accepts
  std::optional<std::string> ui_locale;     // "es-MX" or "en" when ui_locales names one
  std::optional<std::int64_t> auth_after;   // kAuthAfterParam
};

// A failure. `redirect` false: the client or redirect_uri could not be trusted, so the
// resident sees an error page and nothing is sent anywhere (§3.1.2.6, RFC 6749 §4.1.2.1).
struct AuthorizationError {
  bool redirect = false;
  std::string error;  // RFC 6749 §4.1.2.1 / OIDC Core §3.1.2.6 code
  std::string description;
  std::string redirect_uri;  // when redirect
  std::optional<std::string> state;
};

using AuthorizationOutcome = std::variant<AuthorizationRequest, AuthorizationError>;

// `client` is the registered client named by client_id, or nullptr when there is none.
// client_id and redirect_uri are checked first (unknown, missing, repeated, unregistered: no
// redirect); then, answered on the redirect URI: repeated parameters, request objects,
// response_type (code only), response_mode (query only), the grant, scope (must hold openid),
// state and nonce sizes, PKCE (S256 only, required for public clients), prompt, max_age,
// acr_values and ui_locales.
AuthorizationOutcome validate_authorization_request(const http::FormData& params,
                                                    const Client* client);

// redirect_uri + ('?' or '&') + the parameters, form-encoded (RFC 6749 §4.1.2).
std::string redirect_with(std::string_view redirect_uri,
                          const std::vector<std::pair<std::string, std::string>>& params);
// The error response on the redirect URI, with state and RFC 9207 iss.
std::string error_redirect(const AuthorizationError& error, std::string_view issuer);

// Whether a sign-in at `auth_time` is recent enough for the request at `now` (max_age,
// prompt=login), given kAuthAfterParam.
bool needs_reauthentication(const AuthorizationRequest& request, std::int64_t auth_time,
                            std::int64_t now);

// The request as a query string (without '?'), for the sign-in and consent round trips:
// every parameter of `params` except kAuthAfterParam, then kAuthAfterParam = auth_after when
// given.
std::string to_query(const http::FormData& params, std::optional<std::int64_t> auth_after);

}  // namespace zocalo::identity::oidc
