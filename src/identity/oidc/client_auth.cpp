#include "identity/oidc/client_auth.hpp"

#include <cctype>

namespace zocalo::identity::oidc {
namespace {

Unexpected unauthorized(std::string detail) {
  return fail(Error{ErrorKind::kUnauthorized, "error.unauthorized", std::move(detail)});
}

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0 || text.size() > 4096) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=' && i + 4 == text.size() && j >= 2) {
        v[j] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return std::nullopt;
      v[j] = sextet(c);
      if (v[j] < 0) return std::nullopt;
    }
    const unsigned n = (static_cast<unsigned>(v[0]) << 18) | (static_cast<unsigned>(v[1]) << 12) |
                       (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
    out += static_cast<char>((n >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((n >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(n & 0xff);
  }
  return out;
}

Result<ClientCredentials> read_client_credentials(std::optional<std::string_view> authorization,
                                                  const http::FormData& form) {
  ClientCredentials c;
  const auto form_id = form.get("client_id");
  const auto form_secret = form.get("client_secret");
  if (form.get_all("client_id").size() > 1 || form.get_all("client_secret").size() > 1) {
    return unauthorized("repeated client_id or client_secret");
  }
  if (authorization && iequals_prefix(*authorization, "basic ")) {
    std::string_view encoded = authorization->substr(6);
    while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
    const auto decoded = base64_decode(encoded);
    if (!decoded) return unauthorized("Basic credentials are not base64");
    const auto colon = decoded->find(':');
    if (colon == std::string::npos) return unauthorized("Basic credentials without ':'");
    // RFC 6749 §2.3.1: both halves are form-urlencoded before base64.
    const auto id = http::percent_decode(std::string_view(*decoded).substr(0, colon), true);
    const auto secret = http::percent_decode(std::string_view(*decoded).substr(colon + 1), true);
    if (!id || !secret || id->empty()) return unauthorized("Basic credentials are malformed");
    if (form_secret) return unauthorized("client authenticated by two methods");
    if (form_id && *form_id != *id) return unauthorized("client_id differs from Basic user");
    c.client_id = *id;
    c.secret = *secret;
    c.method = ClientAuthMethod::kBasic;
    return c;
  }
  if (!form_id || form_id->empty()) return unauthorized("no client_id");
  c.client_id = std::string(*form_id);
  if (form_secret) {
    c.secret = std::string(*form_secret);
    c.method = ClientAuthMethod::kPost;
  }
  return c;
}

bool authenticates(const Client& client, const ClientCredentials& credentials) {
  if (client.is_public()) return !credentials.secret.has_value();
  return credentials.secret && client_secret_matches(client, *credentials.secret);
}

}  // namespace zocalo::identity::oidc
