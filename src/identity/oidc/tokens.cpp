#include "identity/oidc/tokens.hpp"

#include <boost/json/array.hpp>
#include <charconv>
#include <cstdlib>

#include "platform/core/crypto.hpp"

namespace zocalo::identity::oidc {

std::optional<std::int64_t> parse_code_lifetime(std::string_view text) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > 600) {
    return std::nullopt;
  }
  return n;
}

std::int64_t code_lifetime_from_env() {
  const char* text = std::getenv("ZOCALO_OIDC_CODE_TTL");
  if (text == nullptr) return kDefaultCodeLifetime;
  return parse_code_lifetime(text).value_or(kDefaultCodeLifetime);
}

std::string at_hash(std::string_view access_token) {
  const std::string digest = crypto::sha256(access_token);
  return crypto::base64url_encode(std::string_view(digest).substr(0, digest.size() / 2));
}

std::string session_id_for(std::string_view login_id) {
  return crypto::base64url_encode(crypto::sha256("zocalo.sid.v1:" + std::string(login_id)))
      .substr(0, 22);
}

std::vector<std::string> split_amr(std::string_view amr) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < amr.size()) {
    const std::size_t end = std::min(amr.find(' ', i), amr.size());
    if (end > i) out.emplace_back(amr.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

boost::json::object id_token_claims(const IdTokenFacts& f) {
  boost::json::object c;
  c["iss"] = f.issuer;
  c["sub"] = f.subject;
  c["aud"] = f.client_id;
  c["exp"] = f.now + kIdTokenLifetime;
  c["iat"] = f.now;
  c["auth_time"] = f.auth_time;
  if (f.nonce) c["nonce"] = *f.nonce;
  c["acr"] = f.acr;
  boost::json::array amr;
  for (const auto& m : split_amr(f.amr)) amr.emplace_back(m);
  c["amr"] = std::move(amr);
  c["sid"] = f.sid;
  if (f.access_token) c["at_hash"] = at_hash(*f.access_token);
  return c;
}

boost::json::object access_token_claims(const AccessTokenFacts& f) {
  boost::json::object c;
  c["iss"] = f.issuer;
  c["sub"] = f.subject;
  c["aud"] = f.issuer;
  c["client_id"] = f.client_id;
  c["scope"] = f.scope;
  c["jti"] = f.jti;
  c["iat"] = f.now;
  c["exp"] = f.now + kAccessTokenLifetime;
  if (f.auth_time) c["auth_time"] = *f.auth_time;
  if (f.acr) c["acr"] = *f.acr;
  if (f.grant_id) c[kGrantClaim] = *f.grant_id;
  return c;
}

boost::json::object logout_token_claims(std::string_view issuer, std::string_view client_id,
                                        std::string_view subject, std::string_view sid,
                                        std::string_view jti, std::int64_t now) {
  boost::json::object c;
  c["iss"] = issuer;
  c["aud"] = client_id;
  c["iat"] = now;
  c["exp"] = now + 120;
  c["jti"] = jti;
  c["sub"] = subject;
  c["sid"] = sid;
  boost::json::object events;
  events[kBackchannelLogoutEvent] = boost::json::object();
  c["events"] = std::move(events);
  return c;
}

}  // namespace zocalo::identity::oidc
