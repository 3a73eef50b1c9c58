#include "identity/oidc/client.hpp"

#include <algorithm>

#include "identity/oidc/scope.hpp"
#include "platform/core/crypto.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::identity::oidc {
namespace {

bool contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

Unexpected invalid(std::string detail) {
  return fail(Error::invalid("identity.client.invalid", std::move(detail)));
}

bool loopback_host(std::string_view rest) {
  for (std::string_view host : {"localhost", "127.0.0.1", "[::1]"}) {
    if (rest.starts_with(host)) {
      const std::string_view after = rest.substr(host.size());
      if (after.empty() || after.front() == ':' || after.front() == '/' || after.front() == '?')
        return true;
    }
  }
  return false;
}

}  // namespace

std::string_view to_string(ClientType type) {
  return type == ClientType::kPublic ? "public" : "confidential";
}

std::optional<ClientType> parse_client_type(std::string_view text) {
  if (text == "confidential") return ClientType::kConfidential;
  if (text == "public") return ClientType::kPublic;
  return std::nullopt;
}

bool Client::allows_grant(std::string_view grant) const {
  return contains(grant_types, grant);
}
bool Client::has_redirect_uri(std::string_view uri) const {
  return contains(redirect_uris, uri);
}
bool Client::has_post_logout_redirect_uri(std::string_view uri) const {
  return contains(post_logout_redirect_uris, uri);
}

bool valid_redirect_uri(std::string_view uri) {
  if (uri.empty() || uri.size() > kMaxUriBytes) return false;
  for (const char c : uri) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '#' || c == '"' || c == '<' || c == '>' || c == '\\')
      return false;
  }
  if (uri.starts_with("https://")) {
    const std::string_view rest = uri.substr(8);
    return !rest.empty() && rest.front() != '/' && rest.front() != ':';
  }
  if (uri.starts_with("http://")) return loopback_host(uri.substr(7));
  return false;
}

Result<NewClient> validate_new_client(NewClient c) {
  if (c.client_id) {
    if (c.client_id->empty() || c.client_id->size() > kMaxClientIdBytes) {
      return invalid("client_id must be 1..100 characters");
    }
    for (const char ch : *c.client_id) {
      const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
      if (!ok) return invalid("client_id may hold only letters, digits, '-', '_' and '.'");
    }
  }
  while (!c.name.empty() && c.name.back() == ' ') c.name.pop_back();
  while (!c.name.empty() && c.name.front() == ' ') c.name.erase(0, 1);
  if (c.name.empty() || c.name.size() > kMaxClientNameBytes || !utf8::is_valid(c.name)) {
    return invalid("name must be 1..200 bytes of UTF-8");
  }
  for (const char ch : c.name)
    if (static_cast<unsigned char>(ch) < 0x20) return invalid("name has a control character");
  if (c.grant_types.empty()) {
    c.grant_types = {std::string(kGrantAuthorizationCode), std::string(kGrantRefreshToken)};
  }
  std::vector<std::string> grants;
  for (const auto& g : c.grant_types) {
    if (g != kGrantAuthorizationCode && g != kGrantRefreshToken && g != kGrantClientCredentials) {
      return invalid("unknown grant type " + utf8::truncate(g, 40));
    }
    if (!contains(grants, g)) grants.push_back(g);
  }
  c.grant_types = std::move(grants);
  if (c.type == ClientType::kPublic && contains(c.grant_types, kGrantClientCredentials)) {
    return invalid("a public client cannot use client_credentials: it has no secret");
  }
  if (c.scopes.empty()) c.scopes = {"openid", "profile", "email", "phone", "address"};
  const auto scopes = parse_scopes(join_scopes(c.scopes));
  if (!scopes || scopes->empty()) return invalid("scopes must be RFC 6749 scope-tokens");
  c.scopes = *scopes;
  if (c.redirect_uris.size() > kMaxUris || c.post_logout_redirect_uris.size() > kMaxUris) {
    return invalid("at most 10 redirect URIs of each kind");
  }
  for (const auto& list : {&c.redirect_uris, &c.post_logout_redirect_uris}) {
    std::vector<std::string> unique;
    for (const auto& uri : *list) {
      if (!valid_redirect_uri(uri)) {
        return invalid("redirect URIs must be https (or http on localhost) without a fragment: " +
                       utf8::truncate(uri, 80));
      }
      if (!contains(unique, uri)) unique.push_back(uri);
    }
    *list = std::move(unique);
  }
  if (contains(c.grant_types, kGrantAuthorizationCode) && c.redirect_uris.empty()) {
    return invalid("the authorization_code grant needs at least one redirect URI");
  }
  if (c.backchannel_logout_uri && !valid_redirect_uri(*c.backchannel_logout_uri)) {
    return invalid("backchannel_logout_uri must be https (or http on localhost)");
  }
  if (c.secret) {
    if (c.type == ClientType::kPublic) return invalid("a public client has no secret");
    if (c.secret->size() < 16 || c.secret->size() > 200) {
      return invalid("a client secret must be 16..200 bytes");
    }
  }
  return c;
}

std::string new_client_id() {
  // Hex, not base64url: an id starting with '-' would read as an option to `zocalo clients
  // remove` and to most shell tools an operator pastes it into.
  return crypto::hex_encode(crypto::random_bytes(16));
}
std::string new_client_secret() {
  return crypto::random_token(32);
}
std::string hash_client_secret(std::string_view secret) {
  return crypto::sha256_hex(secret);
}

bool client_secret_matches(const Client& client, std::string_view secret) {
  if (client.is_public() || !client.secret_hash) return false;
  return crypto::constant_time_equal(hash_client_secret(secret), *client.secret_hash);
}

}  // namespace zocalo::identity::oidc
