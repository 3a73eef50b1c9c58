#include "identity/oidc/authorization_request.hpp"

#include <charconv>

#include "identity/oidc/pkce.hpp"
#include "identity/oidc/scope.hpp"

namespace zocalo::identity::oidc {
namespace {

std::size_t count(const http::FormData& params, std::string_view name) {
  return params.get_all(name).size();
}

std::optional<std::int64_t> parse_seconds(std::string_view text) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 0) return std::nullopt;
  if (n > 10LL * 366 * 24 * 3600) return std::nullopt;
  return n;
}

std::vector<std::string_view> split_spaces(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t end = std::min(text.find(' ', i), text.size());
    if (end > i) out.push_back(text.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

}  // namespace

AuthorizationOutcome validate_authorization_request(const http::FormData& params,
                                                    const Client* client) {
  // First the two things that decide whether we may redirect at all.
  if (count(params, "client_id") != 1 || client == nullptr) {
    return AuthorizationError{false, "invalid_client", "unknown or missing client_id", "", {}};
  }
  const auto redirect_uris = params.get_all("redirect_uri");
  if (redirect_uris.size() != 1) {
    return AuthorizationError{
        false, "invalid_request", "exactly one redirect_uri is required", "", {}};
  }
  if (!client->has_redirect_uri(redirect_uris.front())) {
    return AuthorizationError{false, "invalid_request", "redirect_uri is not registered", "", {}};
  }
  AuthorizationRequest r;
  r.client_id = client->client_id;
  r.redirect_uri = std::string(redirect_uris.front());
  const auto states = params.get_all("state");
  if (states.size() == 1 && states.front().size() <= kMaxStateBytes && !states.front().empty()) {
    r.state = std::string(states.front());
  }
  auto error = [&](std::string code, std::string description) -> AuthorizationOutcome {
    return AuthorizationError{true, std::move(code), std::move(description), r.redirect_uri,
                              r.state};
  };

  // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once."
  for (const auto& [name, value] : params.fields()) {
    if (count(params, name) > 1) return error("invalid_request", "repeated parameter " + name);
  }
  if (states.size() == 1 && states.front().size() > kMaxStateBytes) {
    return error("invalid_request", "state is too long");
  }
  if (params.has("request")) return error("request_not_supported", "request objects unsupported");
  if (params.has("request_uri")) {
    return error("request_uri_not_supported", "request_uri is not supported");
  }
  if (params.has("registration")) {
    return error("registration_not_supported", "registration is not supported");
  }
  const auto response_type = params.get("response_type");
  if (!response_type) return error("invalid_request", "response_type is required");
  if (*response_type != "code") {
    return error("unsupported_response_type", "only response_type=code is supported");
  }
  if (const auto mode = params.get("response_mode"); mode && *mode != "query") {
    return error("invalid_request", "only response_mode=query is supported");
  }
  if (!client->allows_grant(kGrantAuthorizationCode)) {
    return error("unauthorized_client", "this client may not use the authorization code flow");
  }
  const auto scopes = parse_scopes(params.get_or("scope", ""));
  if (!scopes) return error("invalid_scope", "scope is malformed");
  if (!has_scope(*scopes, "openid")) return error("invalid_scope", "scope must include openid");
  if (!has_scope(client->scopes, "openid")) {
    return error("invalid_scope", "this client may not request openid");
  }
  // OIDC Core §3.1.2.1: unknown scope values SHOULD be ignored; so are those the client was
  // not registered for (the grant is narrower than asked, and the token response says so).
  r.scopes = {"openid"};
  for (const auto& s : *scopes) {
    if (s != "openid" && is_supported_scope(s) && has_scope(client->scopes, s)) {
      r.scopes.push_back(s);
    }
  }
  if (const auto nonce = params.get("nonce")) {
    if (nonce->size() > kMaxNonceBytes) return error("invalid_request", "nonce is too long");
    if (!nonce->empty()) r.nonce = std::string(*nonce);
  }

  const auto challenge = params.get("code_challenge");
  const auto method = params.get("code_challenge_method");
  if (challenge && !challenge->empty()) {
    // RFC 7636 §4.3: no method means "plain", which we do not support.
    if (!method || *method != "S256") {
      return error("invalid_request", "code_challenge_method must be S256");
    }
    if (!valid_code_challenge(*challenge)) {
      return error("invalid_request", "code_challenge is not an S256 challenge");
    }
    r.code_challenge = std::string(*challenge);
  } else if (method) {
    return error("invalid_request", "code_challenge_method without code_challenge");
  } else if (client->is_public()) {
    return error("invalid_request", "public clients must use PKCE (code_challenge, S256)");
  }

  if (const auto prompt = params.get("prompt")) {
    const auto values = split_spaces(*prompt);
    for (const auto v : values) {
      if (v == "none") {
        r.prompt_none = true;
      } else if (v == "login") {
        r.prompt_login = true;
      } else if (v == "consent") {
        r.prompt_consent = true;
      } else if (v != "select_account") {
        return error("invalid_request", "unknown prompt value");
      }
    }
    // §3.1.2.1: "none" with any other value is an error.
    if (r.prompt_none && values.size() > 1) {
      return error("invalid_request", "prompt=none cannot be combined");
    }
  }
  if (const auto max_age = params.get("max_age"); max_age && !max_age->empty()) {
    r.max_age = parse_seconds(*max_age);
    if (!r.max_age) return error("invalid_request", "max_age must be a number of seconds");
  }
  if (const auto acr_values = params.get("acr_values")) {
    for (const auto v : split_spaces(*acr_values)) {
      if (const auto level = level_from_acr(v); level && (!r.acr_min || *level < *r.acr_min)) {
        r.acr_min = level;
      }
    }
  }
  if (const auto ui_locales = params.get("ui_locales")) {
    for (const auto tag : split_spaces(*ui_locales)) {
      if (tag == "es-MX" || tag == "es" || tag.starts_with("es-")) {
        r.ui_locale = "es-MX";
        break;
      }
      if (tag == "en" || tag.starts_with("en-")) {
        r.ui_locale = "en";
        break;
      }
    }
  }
  if (const auto after = params.get(kAuthAfterParam)) {
    r.auth_after = parse_seconds(*after);
  }
  return r;
}

std::string redirect_with(std::string_view redirect_uri,
                          const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out(redirect_uri);
  char sep = out.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : params) {
    out += sep;
    out += http::percent_encode(name);
    out += '=';
    out += http::percent_encode(value);
    sep = '&';
  }
  return out;
}

std::string error_redirect(const AuthorizationError& e, std::string_view issuer) {
  std::vector<std::pair<std::string, std::string>> params{{"error", e.error}};
  if (!e.description.empty()) params.emplace_back("error_description", e.description);
  if (e.state) params.emplace_back("state", *e.state);
  params.emplace_back("iss", std::string(issuer));
  return redirect_with(e.redirect_uri, params);
}

bool needs_reauthentication(const AuthorizationRequest& r, std::int64_t auth_time,
                            std::int64_t now) {
  const bool fresh = r.auth_after && auth_time >= *r.auth_after;
  if (fresh) return false;
  if (r.prompt_login) return true;
  return r.max_age && auth_time + *r.max_age < now;
}

std::string to_query(const http::FormData& params, std::optional<std::int64_t> auth_after) {
  std::string out;
  for (const auto& [name, value] : params.fields()) {
    if (name == kAuthAfterParam || name == "_csrf" || name == "decision") continue;
    if (!out.empty()) out += '&';
    out += http::percent_encode(name) + "=" + http::percent_encode(value);
  }
  if (auth_after) {
    if (!out.empty()) out += '&';
    out += std::string(kAuthAfterParam) + "=" + std::to_string(*auth_after);
  }
  return out;
}

}  // namespace zocalo::identity::oidc
