#pragma once
// The contents of the tokens the provider issues: ID tokens (OpenID Connect Core §2), RFC 9068
// access tokens and Back-Channel Logout tokens (§2.4), and their lifetimes. Pure: signing is
// jose::sign_jwt's, storage the stores'.
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zocalo::identity::oidc {

inline constexpr std::int64_t kIdTokenLifetime = 600;      // seconds
inline constexpr std::int64_t kAccessTokenLifetime = 600;  // RFC 9068 tokens: 10 minutes
inline constexpr std::int64_t kRefreshTokenLifetime = 30 * 24 * 3600;
inline constexpr std::int64_t kDefaultCodeLifetime = 60;  // RFC 6749 §4.1.2: "10 minutes max"

// The authorization code lifetime: ZOCALO_OIDC_CODE_TTL (whole seconds, 1..600) when set and
// valid, otherwise 60 s. An operator setting, read once at start; the interop suite shortens it
// to prove that an expired code is refused without waiting a minute.
std::int64_t code_lifetime_from_env();
std::optional<std::int64_t> parse_code_lifetime(std::string_view text);

// RFC 9068 access tokens name their grant in this private claim, so that revoking a grant
// (code reuse, refresh-token reuse, consent revoked, logout) revokes its access tokens too.
inline constexpr std::string_view kGrantClaim = "gid";

// OIDC Core §3.1.3.6: base64url of the left half of SHA-256 of the access token (RS256 and
// ES256 both hash with SHA-256).
std::string at_hash(std::string_view access_token);

// The "sid" for a login (Back-Channel Logout §2.1): derived from, but not revealing, the
// login's id, which is a session secret.
std::string session_id_for(std::string_view login_id);

struct IdTokenFacts {
  std::string issuer, subject, client_id;
  std::int64_t now = 0;
  std::int64_t auth_time = 0;
  std::optional<std::string> nonce;
  std::string acr;
  std::string amr;  // space-separated RFC 8176 values
  std::string sid;
  std::optional<std::string> access_token;  // for at_hash
};
boost::json::object id_token_claims(const IdTokenFacts& facts);

struct AccessTokenFacts {
  std::string issuer, subject, client_id, scope, jti;
  std::int64_t now = 0;
  std::optional<std::string> acr;
  std::optional<std::int64_t> auth_time;
  std::optional<std::string> grant_id;
};
// aud is the issuer: the resource this provider serves is the userinfo endpoint.
boost::json::object access_token_claims(const AccessTokenFacts& facts);

// Back-Channel Logout 1.0 §2.4: iss, aud, iat, exp, jti, sub, sid and the logout event; never
// a nonce.
boost::json::object logout_token_claims(std::string_view issuer, std::string_view client_id,
                                        std::string_view subject, std::string_view sid,
                                        std::string_view jti, std::int64_t now);
inline constexpr std::string_view kBackchannelLogoutEvent =
    "http://schemas.openid.net/event/backchannel-logout";

std::vector<std::string> split_amr(std::string_view amr);

}  // namespace zocalo::identity::oidc
