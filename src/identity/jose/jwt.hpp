#pragma once
// Compact JWS/JWT (RFC 7515 §7.1, RFC 7519) signing and verification for ID tokens and RFC 9068
// access tokens. Every rejection is one Error with user_key "error.invalid_token", kind
// kUnauthorized (RFC 6750 §3.1 invalid_token is a 401), and a detail naming the one check that
// failed. Details never contain the token or its signature, only short, trimmed header or claim
// values.
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "identity/jose/signing_key.hpp"
#include "identity/jose/verify_options.hpp"
#include "platform/core/result.hpp"

namespace zocalo::identity::jose {

// Finds the verification key for a header "kid" (RFC 7515 §4.1.4); nullopt when unknown.
using KeyLookup = std::function<std::optional<SigningKey>(std::string_view kid)>;

// BASE64URL(header) '.' BASE64URL(claims) '.' BASE64URL(signature), header {"alg","kid","typ"}.
// `typ` "JWT" suits ID tokens (RFC 7519 §5.1); RFC 9068 §2.1 access tokens use "at+jwt". An
// empty `typ` leaves the member out. Throws std::logic_error for a verification-only key.
std::string sign_jwt(const SigningKey& key, const boost::json::object& claims,
                     std::string_view typ = "JWT");

// The claims of a token that passes every check, in this order: size, shape, base64url,
// header, algorithm, kid, signature, then claims (exp, nbf, iat, iss, aud). Nothing in the
// payload is trusted or even parsed before its signature is verified.
Result<boost::json::object> verify_jwt(std::string_view token, const KeyLookup& keys,
                                       const VerifyOptions& options);

}  // namespace zocalo::identity::jose
