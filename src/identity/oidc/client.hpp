#pragma once
// A relying party registered with the provider (an agency's web site, an app, a back end):
// plain data and the rules for registering one. The SQL is in store/client_store.*.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"

namespace zocalo::identity::oidc {

// RFC 6749 §2.1: a confidential client can keep a secret (a server); a public one cannot (an
// app on a phone, a single-page app) and must use PKCE instead.
enum class ClientType { kConfidential, kPublic };
std::string_view to_string(ClientType type);
std::optional<ClientType> parse_client_type(std::string_view text);

inline constexpr std::string_view kGrantAuthorizationCode = "authorization_code";
inline constexpr std::string_view kGrantRefreshToken = "refresh_token";
inline constexpr std::string_view kGrantClientCredentials = "client_credentials";

inline constexpr std::size_t kMaxClientIdBytes = 100;
inline constexpr std::size_t kMaxClientNameBytes = 200;
inline constexpr std::size_t kMaxUriBytes = 500;
inline constexpr std::size_t kMaxUris = 10;

struct Client {
  std::string client_id;
  std::string name;
  ClientType type = ClientType::kConfidential;
  std::optional<std::string> secret_hash;  // hex SHA-256 of the secret; confidential only
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::vector<std::string> scopes;       // what it may ask for
  std::vector<std::string> grant_types;  // authorization_code, refresh_token, client_credentials
  std::optional<std::string> backchannel_logout_uri;
  std::int64_t created_at = 0;

  bool allows_grant(std::string_view grant) const;
  bool is_public() const { return type == ClientType::kPublic; }
  // Exact string comparison (OpenID Connect Core §3.1.2.1, RFC 6749 §3.1.2.3 as tightened by
  // the OAuth 2.0 Security BCP §4.1.3): no prefix, no normalisation, no wildcard.
  bool has_redirect_uri(std::string_view uri) const;
  bool has_post_logout_redirect_uri(std::string_view uri) const;
};

// What `zocalo clients add` and the admin page ask for.
struct NewClient {
  std::optional<std::string> client_id;  // fixed ids for the demo; empty: a random one
  std::string name;
  ClientType type = ClientType::kConfidential;
  std::vector<std::string> redirect_uris;
  std::vector<std::string> post_logout_redirect_uris;
  std::vector<std::string> scopes;       // empty: openid profile email phone address
  std::vector<std::string> grant_types;  // empty: authorization_code refresh_token
  std::optional<std::string> backchannel_logout_uri;
  std::optional<std::string> secret;  // fixed secret for the demo; empty: a random one
};

// A redirect URI a client may register: absolute, https (or http on a loopback host, for
// development and native apps, RFC 8252 §7.3), no fragment (RFC 6749 §3.1.2), no white space,
// at most kMaxUriBytes.
bool valid_redirect_uri(std::string_view uri);

// Checks and completes a registration (defaults filled in): identity.client.invalid with a
// detail naming the field. A public client may not use client_credentials (it has no secret to
// authenticate with); a client using authorization_code needs at least one redirect URI.
Result<NewClient> validate_new_client(NewClient client);

// A fresh client_id (16 random bytes, 32 lowercase hex digits) and secret (32 random bytes,
// base64url).
std::string new_client_id();
std::string new_client_secret();
// Hex SHA-256: enough for a 256-bit random secret (nothing to guess from a dictionary).
std::string hash_client_secret(std::string_view secret);
// Constant-time: whether `secret` is this client's secret. Always false for public clients.
bool client_secret_matches(const Client& client, std::string_view secret);

}  // namespace zocalo::identity::oidc
