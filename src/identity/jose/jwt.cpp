#include "identity/jose/jwt.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <cmath>
#include <utility>

#include "platform/core/crypto.hpp"
#include "platform/core/time.hpp"

namespace zocalo::identity::jose {
namespace {

// A JOSE header is a flat object; "crit" is the only array we would meet. Claims may nest
// (OpenID Connect Core §5.1 "address"), but never deeply. Both limits stop depth bombs.
constexpr std::size_t kMaxHeaderDepth = 4;
constexpr std::size_t kMaxClaimsDepth = 16;
// Untrusted values echoed into an Error detail are cut to this many characters.
constexpr std::size_t kMaxEchoChars = 64;

Error invalid_token(std::string detail) {
  return {ErrorKind::kUnauthorized, "error.invalid_token", std::move(detail)};
}

// A short, printable, quoted rendering of an untrusted value, safe to put in a log line.
std::string echo(std::string_view value) {
  std::string out = "\"";
  for (char c : value.substr(0, kMaxEchoChars)) {
    out.push_back(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
  }
  if (value.size() > kMaxEchoChars) out += "...";
  out.push_back('"');
  return out;
}

Result<std::string> decode_part(std::string_view part, const std::string& name) {
  if (part.empty()) return fail(invalid_token(name + " is empty"));
  // RFC 7515 §2: base64url "with all trailing '=' characters omitted".
  if (part.find('=') != std::string_view::npos) {
    return fail(invalid_token(name + " carries base64 padding (RFC 7515 §2)"));
  }
  auto bytes = crypto::base64url_decode(part);
  if (!bytes) return fail(invalid_token(name + " is not base64url (RFC 7515 §2)"));
  return std::move(*bytes);
}

Result<boost::json::object> parse_object(std::string_view json, std::size_t max_depth,
                                         const std::string& name) {
  boost::json::parse_options options;
  options.max_depth = max_depth;
  boost::system::error_code ec;
  // RFC 7515 §4 / RFC 7519 §4 allow a parser that keeps the lexically last duplicate member,
  // which is what Boost.JSON does; it also rejects invalid UTF-8 (RFC 7515 §4, RFC 8259 §8.1).
  boost::json::value value = boost::json::parse(json, ec, {}, options);
  if (ec) return fail(invalid_token(name + " is not valid JSON: " + ec.message()));
  if (!value.is_object()) return fail(invalid_token(name + " is not a JSON object"));
  return std::move(value.as_object());
}

// RFC 7519 §2 NumericDate: seconds since the epoch, possibly with a fraction.
std::optional<double> numeric_date(const boost::json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double() && std::isfinite(v.get_double())) return v.get_double();
  return std::nullopt;
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// RFC 7515 §4.1.9: media types compare without case, and "application/" may be left out.
std::string media_type(std::string_view t) {
  std::string out = lowercase(t);
  constexpr std::string_view kPrefix = "application/";
  if (out.starts_with(kPrefix) && out.find('/', kPrefix.size()) == std::string::npos) {
    out.erase(0, kPrefix.size());
  }
  return out;
}

Status check_header_typ(const boost::json::object& header, const VerifyOptions& options) {
  const auto* typ = header.if_contains("typ");
  if (typ && !typ->is_string()) return fail(invalid_token("header \"typ\" is not a string"));
  if (!options.typ) return {};
  if (!typ) return fail(invalid_token("header lacks \"typ\"; expected " + echo(*options.typ)));
  const std::string_view got = typ->as_string();
  if (media_type(got) != media_type(*options.typ)) {
    return fail(invalid_token("header \"typ\" " + echo(got) + " is not " + echo(*options.typ)));
  }
  return {};
}

Status check_times(const boost::json::object& claims, const VerifyOptions& options) {
  const double now = static_cast<double>(options.now ? *options.now : time::now_unix());
  const double leeway = static_cast<double>(std::max<std::int64_t>(options.leeway_seconds, 0));
  const auto* exp_value = claims.if_contains("exp");
  // RFC 7519 marks "exp" optional; a token that never expires is not one we accept.
  if (!exp_value) return fail(invalid_token("claims lack \"exp\""));
  const auto exp = numeric_date(*exp_value);
  if (!exp) return fail(invalid_token("\"exp\" is not a NumericDate (RFC 7519 §2)"));
  // RFC 7519 §4.1.4: the current time MUST be before "exp".
  if (now - leeway >= *exp) {
    return fail(invalid_token("token expired: exp " + std::to_string(std::llround(*exp)) +
                              " at now " + std::to_string(std::llround(now))));
  }
  if (const auto* v = claims.if_contains("nbf")) {
    const auto nbf = numeric_date(*v);
    if (!nbf) return fail(invalid_token("\"nbf\" is not a NumericDate (RFC 7519 §2)"));
    // RFC 7519 §4.1.5: the current time MUST be at or after "nbf".
    if (now + leeway < *nbf) {
      return fail(invalid_token("token not yet valid: nbf " + std::to_string(std::llround(*nbf)) +
                                " at now " + std::to_string(std::llround(now))));
    }
  }
  if (const auto* v = claims.if_contains("iat")) {
    const auto iat = numeric_date(*v);
    if (!iat) return fail(invalid_token("\"iat\" is not a NumericDate (RFC 7519 §2)"));
    // RFC 7519 §4.1.6 only records the issue time; a time in the future means a wrong clock
    // or a forged token, either way not one to trust.
    if (now + leeway < *iat) {
      return fail(
          invalid_token("token issued in the future: iat " + std::to_string(std::llround(*iat))));
    }
  }
  return {};
}

Status check_parties(const boost::json::object& claims, const VerifyOptions& options) {
  // RFC 7519 §4.1.1-2, §4.1.7: "iss", "sub" and "jti" are strings when present.
  for (const char* name : {"iss", "sub", "jti"}) {
    const auto* v = claims.if_contains(name);
    if (v && !v->is_string()) {
      return fail(invalid_token(std::string("\"") + name + "\" is not a string"));
    }
  }
  if (options.issuer) {
    const auto* iss = claims.if_contains("iss");
    if (!iss) return fail(invalid_token("claims lack \"iss\""));
    if (iss->as_string() != *options.issuer) {
      return fail(invalid_token("wrong issuer " + echo(iss->as_string())));
    }
  }
  const auto* aud = claims.if_contains("aud");
  if (!options.audience) {
    // RFC 7519 §4.1.3: a principal that does not find itself in "aud" MUST reject the token.
    if (aud) return fail(invalid_token("token names an audience but none is expected"));
    return {};
  }
  if (!aud) return fail(invalid_token("claims lack \"aud\""));
  if (aud->is_string()) {
    if (aud->as_string() == *options.audience) return {};
    return fail(invalid_token("wrong audience " + echo(aud->as_string())));
  }
  if (!aud->is_array()) return fail(invalid_token("\"aud\" is neither a string nor an array"));
  bool found = false;
  for (const auto& entry : aud->as_array()) {
    if (!entry.is_string()) return fail(invalid_token("\"aud\" array holds a non-string"));
    found = found || entry.as_string() == *options.audience;
  }
  if (!found) return fail(invalid_token("audience not among the token's \"aud\" values"));
  return {};
}

}  // namespace

std::string sign_jwt(const SigningKey& key, const boost::json::object& claims,
                     std::string_view typ) {
  boost::json::object header;
  header["alg"] = algorithm_name(key.algorithm());
  header["kid"] = key.kid();  // RFC 7515 §4.1.4: lets verifiers pick the key during rotation
  if (!typ.empty()) header["typ"] = typ;
  std::string signing_input = crypto::base64url_encode(boost::json::serialize(header)) + '.' +
                              crypto::base64url_encode(boost::json::serialize(claims));
  const std::string signature = key.sign(signing_input);
  return signing_input + '.' + crypto::base64url_encode(signature);
}

Result<boost::json::object> verify_jwt(std::string_view token, const KeyLookup& keys,
                                       const VerifyOptions& options) {
  if (token.size() > options.max_token_bytes) {
    return fail(invalid_token("token of " + std::to_string(token.size()) + " bytes exceeds " +
                              std::to_string(options.max_token_bytes)));
  }
  // RFC 7515 §7.1 compact serialization: exactly three parts. Five would be a JWE (RFC 7516
  // §9), which we neither issue nor accept.
  if (std::count(token.begin(), token.end(), '.') != 2) {
    return fail(invalid_token("token does not have exactly three parts (RFC 7515 §7.1)"));
  }
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = token.find('.', dot1 + 1);
  const std::string_view header_part = token.substr(0, dot1);
  const std::string_view payload_part = token.substr(dot1 + 1, dot2 - dot1 - 1);
  const std::string_view signature_part = token.substr(dot2 + 1);

  auto header_json = decode_part(header_part, "header");
  if (!header_json) return fail(header_json.error());
  auto header = parse_object(*header_json, kMaxHeaderDepth, "header");
  if (!header) return fail(header.error());

  // RFC 7515 §4.1.11: an extension we do not understand, listed in "crit", makes the JWS
  // invalid. We understand none, so any "crit" (RFC 7797 "b64":false included) is refused.
  if (header->contains("crit")) return fail(invalid_token("header has \"crit\"; none supported"));

  const auto* alg_value = header->if_contains("alg");
  if (!alg_value || !alg_value->is_string()) {
    return fail(invalid_token("header lacks a string \"alg\""));
  }
  const std::string_view alg_name = alg_value->as_string();
  // RFC 8725 §3.1 / RFC 7518 §3.6: an unsecured JWS is never acceptable here. Compared without
  // case because some libraries did exactly that and accepted "None".
  if (lowercase(alg_name) == "none") return fail(invalid_token("alg \"none\" is refused"));
  const auto alg = parse_algorithm(alg_name);
  if (!alg) return fail(invalid_token("unsupported alg " + echo(alg_name)));
  if (std::find(options.algorithms.begin(), options.algorithms.end(), *alg) ==
      options.algorithms.end()) {
    return fail(invalid_token("alg " + echo(alg_name) + " is not allowed here"));
  }

  const auto* kid_value = header->if_contains("kid");
  if (!kid_value || !kid_value->is_string()) {
    return fail(invalid_token("header lacks a string \"kid\""));
  }
  const std::string_view kid = kid_value->as_string();
  const auto key = keys ? keys(kid) : std::nullopt;
  if (!key) return fail(invalid_token("unknown kid " + echo(kid)));
  // RFC 8725 §3.1: the key fixes the algorithm. A header that names another one (the classic
  // RS256 key "verifying" an HS256 or ES256 token) is refused before any signature check.
  if (key->algorithm() != *alg) {
    return fail(invalid_token("alg " + echo(alg_name) + " does not match the key's " +
                              std::string(algorithm_name(key->algorithm()))));
  }

  auto signature = decode_part(signature_part, "signature");
  if (!signature) return fail(signature.error());
  // RFC 7515 §5.2 step 8: the signature covers the ASCII of header '.' payload, as sent.
  if (!key->verify(token.substr(0, dot2), *signature)) {
    return fail(invalid_token("signature does not verify"));
  }

  if (auto typ = check_header_typ(*header, options); !typ) return fail(typ.error());
  auto payload = decode_part(payload_part, "payload");
  if (!payload) return fail(payload.error());
  auto claims = parse_object(*payload, kMaxClaimsDepth, "claims");
  if (!claims) return fail(claims.error());
  if (auto times = check_times(*claims, options); !times) return fail(times.error());
  if (auto parties = check_parties(*claims, options); !parties) return fail(parties.error());
  return std::move(*claims);
}

}  // namespace zocalo::identity::jose
