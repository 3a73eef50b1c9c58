#pragma once
// Client authentication at the token, introspection and revocation endpoints (RFC 6749
// §2.3.1, OpenID Connect Core §9): client_secret_basic, client_secret_post, and "none" for
// public clients (which then prove themselves with PKCE). Pure.
#include <optional>
#include <string>
#include <string_view>

#include "identity/oidc/client.hpp"
#include "platform/core/result.hpp"
#include "platform/http/form.hpp"

namespace zocalo::identity::oidc {

enum class ClientAuthMethod { kBasic, kPost, kNone };

struct ClientCredentials {
  std::string client_id;
  std::optional<std::string> secret;
  ClientAuthMethod method = ClientAuthMethod::kNone;
};

// Reads who the caller says it is from the Authorization header and the form. Fails
// (kUnauthorized, detail for the log) on a malformed Basic header, on two methods at once
// (RFC 6749 §2.3: "MUST NOT use more than one authentication method in each request"), on a
// form client_id that differs from the header's, and when no client_id is given at all.
Result<ClientCredentials> read_client_credentials(std::optional<std::string_view> authorization,
                                                  const http::FormData& form);

// Whether `credentials` authenticate `client`: a confidential client by its secret (constant
// time), a public client by presenting no secret at all.
bool authenticates(const Client& client, const ClientCredentials& credentials);

// RFC 4648 §4 base64 with padding (Basic credentials). nullopt on anything malformed.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace zocalo::identity::oidc
