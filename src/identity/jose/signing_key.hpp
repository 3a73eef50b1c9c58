#pragma once
// One asymmetric JWS key: an RSA 2048 key for RS256 or a P-256 key for ES256. It signs when it
// holds the private half (generated here or read back from PKCS#8 storage) and only verifies
// when it was built from a public JWK (RFC 7517).
//
// The key id is the RFC 7638 JWK thumbprint, so the same key always has the same kid, in every
// process and after every reload, without storing a separate name that could drift.
//
// Immutable after construction; copies share the OpenSSL key, and one key may sign and verify
// from several threads at once (every operation makes its own OpenSSL context).
#include <openssl/types.h>

#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "identity/jose/algorithm.hpp"
#include "platform/core/result.hpp"

namespace zocalo::identity::jose {

class SigningKey {
 public:
  // A fresh key pair: RSA 2048 with e = 65537 for RS256 (RFC 7518 §3.3 asks for at least 2048
  // bits), P-256 for ES256 (RFC 7518 §3.4). Throws std::runtime_error if OpenSSL cannot.
  static SigningKey generate(Algorithm alg);

  // Reads an unencrypted PKCS#8 "PRIVATE KEY" PEM block (RFC 5958, RFC 7468 §10), the storage
  // form. The algorithm follows from the key: RSA of 2048 to 8192 bits gives RS256, P-256 gives
  // ES256; anything else (older PEM forms, encrypted PEM, other curves) is an error.
  static Result<SigningKey> from_pkcs8_pem(std::string_view pem);

  // Builds a verification-only key from a public JWK (RFC 7517 §4, RFC 7518 §6.2.1 and
  // §6.3.1). Rejects private members, "use" other than "sig", an "alg" that does not fit the
  // key, non-canonical numbers and EC points off the curve. A "kid" member is ignored: kid()
  // is always the thumbprint.
  static Result<SigningKey> from_public_jwk(const boost::json::object& jwk);

  Algorithm algorithm() const { return alg_; }
  // RFC 7638 thumbprint: base64url(SHA-256(canonical JWK)).
  const std::string& kid() const { return kid_; }
  bool can_sign() const { return has_private_; }

  // The private key as PKCS#8 PEM for storage. It is a secret: never log it. Throws
  // std::logic_error for a verification-only key.
  std::string to_pkcs8_pem() const;

  // {"kty","kid","use":"sig","alg", then "n","e" or "crv","x","y"}: what the JWKS publishes.
  const boost::json::object& public_jwk() const { return public_jwk_; }

  // The JWS Signature over `signing_input` (RFC 7515 §5.1 step 5): for RS256 as many bytes as
  // the modulus, for ES256 exactly 64 bytes R || S (RFC 7518 §3.4), not OpenSSL's DER.
  // Throws std::logic_error for a verification-only key.
  std::string sign(std::string_view signing_input) const;

  // True only when `signature` is a valid JWS signature, in the form sign() produces.
  bool verify(std::string_view signing_input, std::string_view signature) const;

 private:
  SigningKey(Algorithm alg, std::shared_ptr<EVP_PKEY> pkey, bool has_private);

  Algorithm alg_;
  std::shared_ptr<EVP_PKEY> pkey_;
  bool has_private_ = false;
  boost::json::object public_jwk_;
  std::string kid_;
};

}  // namespace zocalo::identity::jose
