#include "identity/jose/signing_key.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <boost/json/string.hpp>
#include <stdexcept>
#include <utility>

#include "identity/jose/openssl_handles.hpp"
#include "platform/core/crypto.hpp"

namespace zocalo::identity::jose {
namespace {

constexpr int kRsaGeneratedBits = 2048;
// RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used". The upper bound keeps a
// hostile or mistaken key from making every verification slow.
constexpr int kRsaMinBits = 2048;
constexpr int kRsaMaxBits = 8192;
// RFC 7518 §6.2.1.2-3: P-256 coordinates are always the full 32 octets.
constexpr std::size_t kP256CoordinateBytes = 32;
constexpr std::size_t kMaxPemBytes = 64 * 1024;
// base64url of an 8192-bit modulus is 1,366 characters; anything longer is not a key we take.
constexpr std::size_t kMaxJwkMemberChars = 2048;

Error key_error(std::string detail) {
  return Error::invalid("error.invalid_key", std::move(detail));
}

// OpenSSL keeps a per-thread error queue; a failed verification or parse leaves entries there
// that a later, unrelated OpenSSL caller on this thread would otherwise misread as its own.
void forget_openssl_errors() {
  ERR_clear_error();
}

std::shared_ptr<EVP_PKEY> share(EVP_PKEY* raw) {
  return std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free);
}

// A big-endian unsigned integer from the key: minimal length (RFC 7518 §6.3.1: RSA "n", "e")
// when `width` is 0, else left-padded to `width` octets (RFC 7518 §6.2.1: EC "x", "y").
std::string key_integer(const EVP_PKEY* pkey, const char* name, std::size_t width) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) {
    throw std::runtime_error(std::string("OpenSSL: cannot read key parameter ") + name);
  }
  const ossl::Bignum bn(raw);
  const std::size_t len = width ? width : static_cast<std::size_t>(BN_num_bytes(bn.get()));
  std::string out(len == 0 ? 1 : len, '\0');  // RFC 7518 §6.3.1.1: zero is one zero octet
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(bn.get(), dst, static_cast<int>(out.size())) < 0) {
    throw std::runtime_error(std::string("OpenSSL: key parameter too large: ") + name);
  }
  return out;
}

bool is_p256(const EVP_PKEY* pkey) {
  char name[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) !=
      1) {
    return false;  // e.g. explicit curve parameters instead of a named curve
  }
  const std::string_view group(name, len);
  return group == "prime256v1" || group == "P-256";
}

// Which JWS algorithm a key serves, or why it serves none.
Result<Algorithm> algorithm_of(const EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "RSA")) {
    const int bits = EVP_PKEY_get_bits(pkey);
    if (bits < kRsaMinBits || bits > kRsaMaxBits) {
      return fail(key_error("RSA key of " + std::to_string(bits) +
                            " bits; RS256 needs 2048 to 8192 (RFC 7518 §3.3)"));
    }
    return Algorithm::kRs256;
  }
  if (EVP_PKEY_is_a(pkey, "EC")) {
    if (!is_p256(pkey)) return fail(key_error("EC key not on P-256; ES256 needs P-256"));
    return Algorithm::kEs256;
  }
  return fail(key_error("key type is neither RSA nor EC"));
}

// RFC 7638 §3.2-3.3: the required members only, in lexicographic order, no whitespace. Every value
// is base64url or a fixed name, so no JSON escaping can arise.
std::string thumbprint_input(const boost::json::object& jwk) {
  auto str = [&](const char* key) { return std::string(jwk.at(key).as_string()); };
  if (str("kty") == "RSA") {
    return R"({"e":")" + str("e") + R"(","kty":"RSA","n":")" + str("n") + R"("})";
  }
  return R"({"crv":")" + str("crv") + R"(","kty":"EC","x":")" + str("x") + R"(","y":")" + str("y") +
         R"("})";
}

const boost::json::string* string_member(const boost::json::object& obj, std::string_view key) {
  const auto* v = obj.if_contains(key);
  return v ? v->if_string() : nullptr;
}

bool is_string(const boost::json::value& v, std::string_view expected) {
  return v.is_string() && v.get_string() == expected;
}

// A required base64url member of a public JWK, decoded.
Result<std::string> jwk_bytes(const boost::json::object& jwk, std::string_view key) {
  const auto* s = string_member(jwk, key);
  if (!s) return fail(key_error("JWK lacks string member \"" + std::string(key) + "\""));
  if (s->size() > kMaxJwkMemberChars) {
    return fail(key_error("JWK member \"" + std::string(key) + "\" is too long"));
  }
  auto bytes = crypto::base64url_decode(std::string_view(s->data(), s->size()));
  if (!bytes || bytes->empty()) {
    return fail(key_error("JWK member \"" + std::string(key) + "\" is not base64url"));
  }
  return std::move(*bytes);
}

ossl::Bignum to_bignum(std::string_view bytes) {
  ossl::Bignum bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<int>(bytes.size()), nullptr));
  if (!bn) throw std::runtime_error("OpenSSL: BN_bin2bn failed");
  return bn;
}

// EVP_PKEY_fromdata for a public key of `type` ("RSA" or "EC"), followed by OpenSSL's own
// public-key validation (for EC: the point is on the curve, which stops invalid-curve attacks).
Result<std::shared_ptr<EVP_PKEY>> public_key_from_params(const char* type, const OSSL_PARAM* p) {
  const ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, const_cast<OSSL_PARAM*>(p)) != 1) {
    forget_openssl_errors();
    return fail(key_error(std::string("JWK does not describe a valid ") + type + " public key"));
  }
  auto pkey = share(raw);
  const ossl::PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    forget_openssl_errors();
    return fail(key_error(std::string("JWK ") + type + " public key fails validation"));
  }
  return pkey;
}

Result<std::shared_ptr<EVP_PKEY>> rsa_public_key(const boost::json::object& jwk) {
  auto n = jwk_bytes(jwk, "n");
  if (!n) return fail(n.error());
  auto e = jwk_bytes(jwk, "e");
  if (!e) return fail(e.error());
  // RFC 7518 §6.3.1.1-2: the minimum number of octets; a leading zero would also give the same
  // key a second thumbprint.
  if ((*n)[0] == '\0' || (*e)[0] == '\0') {
    return fail(key_error("JWK \"n\" or \"e\" has leading zero octets (RFC 7518 §6.3.1)"));
  }
  const auto bn_n = to_bignum(*n);
  const auto bn_e = to_bignum(*e);
  if (const int bits = BN_num_bits(bn_n.get()); bits < kRsaMinBits || bits > kRsaMaxBits) {
    return fail(key_error("RSA key of " + std::to_string(bits) +
                          " bits; RS256 needs 2048 to 8192 (RFC 7518 §3.3)"));
  }
  const ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    throw std::runtime_error("OpenSSL: cannot build RSA parameters");
  }
  const ossl::Params params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) throw std::runtime_error("OpenSSL: cannot build RSA parameters");
  return public_key_from_params("RSA", params.get());
}

Result<std::shared_ptr<EVP_PKEY>> ec_public_key(const boost::json::object& jwk) {
  const auto* crv = string_member(jwk, "crv");
  if (!crv || *crv != "P-256") return fail(key_error("EC JWK \"crv\" is not \"P-256\""));
  auto x = jwk_bytes(jwk, "x");
  if (!x) return fail(x.error());
  auto y = jwk_bytes(jwk, "y");
  if (!y) return fail(y.error());
  if (x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) {
    return fail(key_error("EC JWK coordinates must be 32 octets (RFC 7518 §6.2.1.2)"));
  }
  // SEC 1 §2.3.3 uncompressed point: 0x04 || X || Y.
  const std::string point = std::string(1, '\x04') + *x + *y;
  const ossl::ParamBld bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    throw std::runtime_error("OpenSSL: cannot build EC parameters");
  }
  const ossl::Params params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) throw std::runtime_error("OpenSSL: cannot build EC parameters");
  return public_key_from_params("EC", params.get());
}

// OpenSSL's ECDSA output is DER (SEQUENCE of two INTEGERs); RFC 7518 §3.4 wants the two
// integers as fixed 32-octet big-endian values, concatenated, with leading zeros kept.
std::string der_to_raw_es256(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  const ossl::EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) throw std::runtime_error("OpenSSL: ECDSA signature is not DER");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(2 * kP256CoordinateBytes, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(r, out, kP256CoordinateBytes) < 0 ||
      BN_bn2binpad(s, out + kP256CoordinateBytes, kP256CoordinateBytes) < 0) {
    throw std::runtime_error("OpenSSL: ECDSA signature component too large");
  }
  return raw;
}

// The reverse, for verification; nullopt when `raw` cannot be an ES256 signature.
std::optional<std::string> raw_es256_to_der(std::string_view raw) {
  if (raw.size() != 2 * kP256CoordinateBytes) return std::nullopt;
  auto r = to_bignum(raw.substr(0, kP256CoordinateBytes));
  auto s = to_bignum(raw.substr(kP256CoordinateBytes));
  ossl::EcdsaSig sig(ECDSA_SIG_new());
  if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    throw std::runtime_error("OpenSSL: cannot build ECDSA signature");
  }
  r.release();  // owned by `sig` now
  s.release();
  const int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) throw std::runtime_error("OpenSSL: cannot encode ECDSA signature");
  std::string der(static_cast<std::size_t>(len), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != len) {
    throw std::runtime_error("OpenSSL: cannot encode ECDSA signature");
  }
  return der;
}

// RFC 7518 §3.3: RS256 is PKCS#1 v1.5 padding. It is OpenSSL's default for RSA, but saying so
// keeps a changed default or an RSA-PSS key from silently producing PS256 signatures.
bool use_pkcs1_padding(Algorithm alg, EVP_PKEY_CTX* pctx) {
  return alg != Algorithm::kRs256 || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
}

}  // namespace

SigningKey::SigningKey(Algorithm alg, std::shared_ptr<EVP_PKEY> pkey, bool has_private)
    : alg_(alg), pkey_(std::move(pkey)), has_private_(has_private) {
  // RFC 7517 §4 members, then the key's own (RFC 7518 §6.2.1, §6.3.1).
  public_jwk_["kty"] = alg_ == Algorithm::kRs256 ? "RSA" : "EC";
  if (alg_ == Algorithm::kRs256) {
    public_jwk_["n"] = crypto::base64url_encode(key_integer(pkey_.get(), OSSL_PKEY_PARAM_RSA_N, 0));
    public_jwk_["e"] = crypto::base64url_encode(key_integer(pkey_.get(), OSSL_PKEY_PARAM_RSA_E, 0));
  } else {
    public_jwk_["crv"] = "P-256";
    public_jwk_["x"] = crypto::base64url_encode(
        key_integer(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_X, kP256CoordinateBytes));
    public_jwk_["y"] = crypto::base64url_encode(
        key_integer(pkey_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, kP256CoordinateBytes));
  }
  kid_ = crypto::base64url_encode(crypto::sha256(thumbprint_input(public_jwk_)));
  // Published order: kty, kid, use, alg, key members; reads the way RFC 7517's examples do.
  boost::json::object ordered;
  ordered["kty"] = public_jwk_["kty"];
  ordered["kid"] = kid_;
  ordered["use"] = "sig";  // RFC 7517 §4.2: for signatures only, never encryption
  ordered["alg"] = algorithm_name(alg_);
  for (const auto& [k, v] : public_jwk_) {
    if (k != "kty") ordered[k] = v;
  }
  public_jwk_ = std::move(ordered);
}

SigningKey SigningKey::generate(Algorithm alg) {
  const bool rsa = alg == Algorithm::kRs256;
  const ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, rsa ? "RSA" : "EC", nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) {
    throw std::runtime_error("OpenSSL: cannot start key generation");
  }
  const int configured = rsa ? EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), kRsaGeneratedBits)
                             : EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256");
  EVP_PKEY* raw = nullptr;
  if (configured != 1 || EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    throw std::runtime_error("OpenSSL: key generation failed");
  }
  return SigningKey(alg, share(raw), true);
}

Result<SigningKey> SigningKey::from_pkcs8_pem(std::string_view pem) {
  if (pem.empty() || pem.size() > kMaxPemBytes) return fail(key_error("PEM is empty or too long"));
  // RFC 7468 §10: the "PRIVATE KEY" label is PKCS#8. OpenSSL's decoder would also take the
  // older "RSA PRIVATE KEY" / "EC PRIVATE KEY" forms, which are not our storage format.
  const auto start = pem.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos ||
      !pem.substr(start).starts_with("-----BEGIN PRIVATE KEY-----")) {
    return fail(key_error("not a PKCS#8 \"PRIVATE KEY\" PEM block (RFC 7468 §10)"));
  }
  EVP_PKEY* raw = nullptr;
  // "PrivateKeyInfo" accepts PKCS#8 only. No passphrase callback is set, so an encrypted key
  // fails instead of prompting on a terminal.
  const ossl::DecoderCtx decoder(OSSL_DECODER_CTX_new_for_pkey(
      &raw, "PEM", "PrivateKeyInfo", nullptr, EVP_PKEY_KEYPAIR, nullptr, nullptr));
  if (!decoder) throw std::runtime_error("OpenSSL: cannot create a key decoder");
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  std::size_t len = pem.size();
  if (OSSL_DECODER_from_data(decoder.get(), &data, &len) != 1 || raw == nullptr) {
    forget_openssl_errors();
    return fail(key_error("not an unencrypted PKCS#8 PEM private key"));
  }
  auto pkey = share(raw);
  auto alg = algorithm_of(pkey.get());
  if (!alg) return fail(alg.error());
  // Storage could hand back a damaged key; a pairwise check catches it before it signs tokens
  // that nobody can verify.
  const ossl::PkeyCtx check(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!check || EVP_PKEY_pairwise_check(check.get()) != 1) {
    forget_openssl_errors();
    return fail(key_error("private key fails its pairwise consistency check"));
  }
  return SigningKey(*alg, std::move(pkey), true);
}

Result<SigningKey> SigningKey::from_public_jwk(const boost::json::object& jwk) {
  // RFC 7518 §6.2.2, §6.3.2, §6.4.1: these members carry private key material. A
  // public-key path that quietly accepted them would invite publishing them.
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
    if (jwk.contains(secret)) return fail(key_error("JWK carries private key members"));
  }
  const auto* kty = string_member(jwk, "kty");
  if (!kty) return fail(key_error("JWK lacks \"kty\""));
  const bool rsa = *kty == "RSA";
  if (!rsa && *kty != "EC") return fail(key_error("JWK \"kty\" is neither \"RSA\" nor \"EC\""));
  const Algorithm alg = rsa ? Algorithm::kRs256 : Algorithm::kEs256;
  auto pkey = rsa ? rsa_public_key(jwk) : ec_public_key(jwk);
  if (!pkey) return fail(pkey.error());
  if (const auto* use = jwk.if_contains("use"); use && !is_string(*use, "sig")) {
    return fail(key_error("JWK \"use\" is not \"sig\" (RFC 7517 §4.2)"));
  }
  if (const auto* a = jwk.if_contains("alg"); a && !is_string(*a, algorithm_name(alg))) {
    return fail(key_error("JWK \"alg\" does not match its key type (RFC 7517 §4.4)"));
  }
  auto checked = algorithm_of(pkey->get());
  if (!checked) return fail(checked.error());
  return SigningKey(alg, std::move(*pkey), false);
}

std::string SigningKey::to_pkcs8_pem() const {
  if (!has_private_) throw std::logic_error("to_pkcs8_pem on a verification-only key");
  // A secure-memory BIO: the copy of the key inside OpenSSL is wiped when it is freed.
  const ossl::Bio bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr, 0, nullptr,
                                            nullptr) != 1) {
    throw std::runtime_error("OpenSSL: cannot write PKCS#8 PEM");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) throw std::runtime_error("OpenSSL: empty PEM");
  return std::string(data, static_cast<std::size_t>(len));
}

std::string SigningKey::sign(std::string_view signing_input) const {
  if (!has_private_) throw std::logic_error("sign on a verification-only key");
  const ossl::MdCtx md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by `md`
  if (!md ||
      EVP_DigestSignInit_ex(md.get(), &pctx, "SHA256", nullptr, nullptr, pkey_.get(), nullptr) !=
          1 ||
      !use_pkcs1_padding(alg_, pctx)) {
    throw std::runtime_error("OpenSSL: cannot start signing");
  }
  const auto* in = reinterpret_cast<const unsigned char*>(signing_input.data());
  std::size_t len = 0;
  if (EVP_DigestSign(md.get(), nullptr, &len, in, signing_input.size()) != 1) {
    throw std::runtime_error("OpenSSL: cannot size the signature");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in,
                     signing_input.size()) != 1) {
    throw std::runtime_error("OpenSSL: signing failed");
  }
  sig.resize(len);
  return alg_ == Algorithm::kEs256 ? der_to_raw_es256(sig) : sig;
}

bool SigningKey::verify(std::string_view signing_input, std::string_view signature) const {
  std::string der;
  if (alg_ == Algorithm::kEs256) {
    // RFC 7518 §3.4: exactly 64 octets. DER or any other length is rejected, not converted.
    auto converted = raw_es256_to_der(signature);
    if (!converted) return false;
    der = std::move(*converted);
    signature = der;
  } else if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(pkey_.get()))) {
    return false;  // RFC 8017 §8.2.2 step 1: the signature is exactly as long as the modulus
  }
  const ossl::MdCtx md(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by `md`
  if (!md ||
      EVP_DigestVerifyInit_ex(md.get(), &pctx, "SHA256", nullptr, nullptr, pkey_.get(), nullptr) !=
          1 ||
      !use_pkcs1_padding(alg_, pctx)) {
    forget_openssl_errors();
    return false;
  }
  const bool ok =
      EVP_DigestVerify(
          md.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
          reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size()) == 1;
  if (!ok) forget_openssl_errors();
  return ok;
}

}  // namespace zocalo::identity::jose
