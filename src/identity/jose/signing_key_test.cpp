#include "identity/jose/signing_key.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <stdexcept>
#include <string>

#include "identity/jose/openssl_handles.hpp"
#include "platform/core/crypto.hpp"

namespace zocalo::identity::jose {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string str(const boost::json::value& v) {
  return std::string(v.as_string());
}

std::string unbase64url(std::string_view text) {
  auto bytes = crypto::base64url_decode(text);
  EXPECT_TRUE(bytes.has_value()) << text;
  return bytes.value_or("");
}

// RFC 7515 Appendix A.2.1: the example RSA key (public members).
constexpr std::string_view kRfc7515RsaN =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-"
    "4qPCJrcS2mJPMEzP1Pt0Bm4d4Q"
    "lL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-"
    "bSf63kpaSHSXndS5z5rexMdbBY"
    "UsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-"
    "DWNmo"
    "udF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";

// The same key's private half (RFC 7515 A.2.1 "d", "p", "q", "dp", "dq", "qi"), re-encoded as
// PKCS#8 with python3-cryptography's RSAPrivateNumbers(...).private_bytes(PEM, PKCS8). The test
// below checks that its public members are the RFC's before trusting it.
constexpr std::string_view kRfc7515RsaPkcs8 = R"(-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCh+BYK4uPJtGXO
jS1lYmM2K5J9vinh8CR3/BYlzJChNuOL2TSXxbbqY913EeZ8dCn5VrD7io8ImtxL
aYk8wTM/U+3QGbh3hCUv7JFP5IV3aVlL6kKA0ywPVb9ilE8TA5a8bpvfbr3SvaNn
juygxmj3AbONv/s4yDQs4v5tJ/reSlpIdJed1LnPmt7Ex1sFhSwsD174pcF1A5L5
ROjtZMEQxrZHYJqkeDrrnGya11UxMFBji4NmXG9veoKjlnAqH2QbgtPr8jkiGUkf
toaHLFcW9Qr4NY2ai50Xw0Byj3+H2JoY2PyrZ62EWQwuz3WTOTY8BwNNb2BvniHg
VFbK5emhAgMBAAECggEAEq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyW
PEAeP88vLNO97IjlA7/GQ5sLKMgvfTeXZx9SE+7YwVol2NXOoAJe46sui395IW/G
O+pWJ1O0BkTGoVEn2bKVRUCgu+GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzj
kn439X0M/V51gfpRLI9JYanrC4D4qAdGcopV/0ZHHzQlBjudU2QvXt4ehNYTCBr6
XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl/x/jTj3ccPDVZFD9pIuhLhBOneufuBiB
4cS98l2SR/RQyGWSeWjnczT0QU91p1DhOVRuOopznQKBgQDgHMQQ60imZV1URk0K
pLttoLhyt3SmqdEf/kgHePDdtzEafpAu+cS191R2JiuoF2yzWXnwFDcqGigp5BNr
0AHQfD8/Lk8l1Mk09jxxCfui5nYooNyac8YFjm3vItzVCVDnEd3BbVWG8qf6deqE
lMGAg+C2V0L4oNXnP7LZcPAZRwKBgQC5A8R+CZW2MvRTLLHzwZkUXV866cff7tx6
kqa0finGG0KgeqlaZPxgCZnFp7AeAcCMtiynVlJ7vMVgePsLq6XtON4tB5kP9jAP
rq3rbAOal78eUH5OcED6eNuCV8ixEu1eWcPNCS/l1OW1EnXUEoEHKl54Xrrz2uNw
kgMTP1FZ1wKBgAcCn1dwJKufzBWQxWQp1vsM5fggqPN1qGb5y0MAk3g7/Ls5bkUp
5u9SN0Ai3Ya6hNnvWJMb7sXQX6U/zyO2M/hTip7tUeh7CXgwo59dkpN75gJLVds2
9+DAncu3KXU4f2Fa+7bLNrur53k8KwPOq2bbuTG69QtV7Jr5MR0AHWKNAoGBAIf/
evpitUf+4JYbLpvNXWcY052Mpz22aR84mY3nh3F2LF2mjMJDpTg7FmuyPcVw6EcG
yoAe9fa65iNqCq+jdw6PVNGo2hxfjSiZ8IIzHdsPXI89//pMjZcQK9r+CCoRjaZj
OYiIDktVWZzmevJuv6WywUqd57LE3Zar3dLSIkx1AoGAIYd7DHOhrWvxkwPQsRM2
tOgrjbcrfvtQJipd+DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd/QJQ3
ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp/gh6A56
03k2+ZQwVK0JKSHuLFkuQ3U=
-----END PRIVATE KEY-----
)";

// RFC 7515 A.2.1 / A.3.1 JWS Signing Input: header {"alg":"RS256"} or {"alg":"ES256"} and the
// RFC's payload, which keeps its CRLF line breaks.
constexpr std::string_view kRfc7515Payload =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q";
constexpr std::string_view kRfc7515Rs256Signature =
    "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_"
    "O8W2Fp5jujG"
    "bds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_"
    "nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K"
    "0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-"
    "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6"
    "LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
constexpr std::string_view kRfc7515Es256Signature =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

std::string rfc7515_signing_input(std::string_view header_b64) {
  return std::string(header_b64) + "." + std::string(kRfc7515Payload);
}

boost::json::object rfc7515_rsa_jwk() {
  return {{"kty", "RSA"}, {"n", kRfc7515RsaN}, {"e", "AQAB"}};
}

// RFC 7515 A.3.1: the example P-256 key (public members).
boost::json::object rfc7515_ec_jwk() {
  return {{"kty", "EC"},
          {"crv", "P-256"},
          {"x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"},
          {"y", "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}};
}

TEST(SigningKeyTest, Rfc7638ThumbprintExampleGivesThePublishedKid) {
  // RFC 7638 §3.1, with the optional members of its example that must not change the digest.
  const std::string_view n =
      "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJE"
      "CPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2Q"
      "vzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6"
      "WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
  const boost::json::object jwk = {
      {"kty", "RSA"}, {"n", n}, {"e", "AQAB"}, {"alg", "RS256"}, {"kid", "2011-04-29"}};
  auto key = SigningKey::from_public_jwk(jwk);
  ASSERT_TRUE(key) << key.error().detail;
  EXPECT_EQ(key->kid(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  EXPECT_EQ(str(key->public_jwk().at("kid")), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(SigningKeyTest, Rfc7515A2PublishedRs256SignatureVerifies) {
  auto key = SigningKey::from_public_jwk(rfc7515_rsa_jwk());
  ASSERT_TRUE(key) << key.error().detail;
  EXPECT_EQ(key->algorithm(), Algorithm::kRs256);
  EXPECT_FALSE(key->can_sign());
  const auto input = rfc7515_signing_input("eyJhbGciOiJSUzI1NiJ9");
  EXPECT_TRUE(key->verify(input, unbase64url(kRfc7515Rs256Signature)));
  EXPECT_FALSE(key->verify(input + " ", unbase64url(kRfc7515Rs256Signature)));
}

TEST(SigningKeyTest, Rfc7515A2SigningReproducesThePublishedSignature) {
  auto key = SigningKey::from_pkcs8_pem(kRfc7515RsaPkcs8);
  ASSERT_TRUE(key) << key.error().detail;
  // The PEM is the RFC's key: same public members, so the same thumbprint.
  EXPECT_EQ(str(key->public_jwk().at("n")), kRfc7515RsaN);
  EXPECT_EQ(str(key->public_jwk().at("e")), "AQAB");
  EXPECT_EQ(key->kid(), SigningKey::from_public_jwk(rfc7515_rsa_jwk())->kid());
  // RSASSA-PKCS1-v1_5 is deterministic (RFC 8017 §8.2.1), so the bytes must match exactly.
  const auto signature = key->sign(rfc7515_signing_input("eyJhbGciOiJSUzI1NiJ9"));
  EXPECT_EQ(crypto::base64url_encode(signature), kRfc7515Rs256Signature);
}

TEST(SigningKeyTest, Rfc7515A3PublishedEs256SignatureVerifies) {
  auto key = SigningKey::from_public_jwk(rfc7515_ec_jwk());
  ASSERT_TRUE(key) << key.error().detail;
  EXPECT_EQ(key->algorithm(), Algorithm::kEs256);
  const auto input = rfc7515_signing_input("eyJhbGciOiJFUzI1NiJ9");
  const auto signature = unbase64url(kRfc7515Es256Signature);
  ASSERT_EQ(signature.size(), 64u);
  EXPECT_TRUE(key->verify(input, signature));
  auto flipped = signature;
  flipped[10] = static_cast<char>(flipped[10] ^ 1);
  EXPECT_FALSE(key->verify(input, flipped));
}

class GeneratedKeyTest : public ::testing::TestWithParam<Algorithm> {};

TEST_P(GeneratedKeyTest, SignsAndVerifies) {
  const auto key = SigningKey::generate(GetParam());
  EXPECT_EQ(key.algorithm(), GetParam());
  EXPECT_TRUE(key.can_sign());
  const auto signature = key.sign("header.payload");
  EXPECT_EQ(signature.size(), GetParam() == Algorithm::kRs256 ? 256u : 64u);
  EXPECT_TRUE(key.verify("header.payload", signature));
  EXPECT_FALSE(key.verify("header.payloaD", signature));
  EXPECT_FALSE(key.verify("header.payload", signature.substr(1)));
  EXPECT_FALSE(key.verify("header.payload", ""));
  EXPECT_FALSE(SigningKey::generate(GetParam()).verify("header.payload", signature));
}

TEST_P(GeneratedKeyTest, Pkcs8PemRoundTripKeepsTheKey) {
  const auto key = SigningKey::generate(GetParam());
  const auto pem = key.to_pkcs8_pem();
  EXPECT_THAT(pem, StartsWith("-----BEGIN PRIVATE KEY-----\n"));
  auto loaded = SigningKey::from_pkcs8_pem(pem);
  ASSERT_TRUE(loaded) << loaded.error().detail;
  EXPECT_EQ(loaded->kid(), key.kid());
  EXPECT_EQ(loaded->algorithm(), key.algorithm());
  EXPECT_TRUE(loaded->can_sign());
  EXPECT_TRUE(key.verify("x", loaded->sign("x")));
}

TEST_P(GeneratedKeyTest, PublicJwkRoundTripVerifiesButCannotSign) {
  const auto key = SigningKey::generate(GetParam());
  auto pub = SigningKey::from_public_jwk(key.public_jwk());
  ASSERT_TRUE(pub) << pub.error().detail;
  EXPECT_EQ(pub->kid(), key.kid());
  EXPECT_EQ(pub->public_jwk(), key.public_jwk());
  EXPECT_FALSE(pub->can_sign());
  EXPECT_TRUE(pub->verify("x", key.sign("x")));
  EXPECT_THROW((void)pub->sign("x"), std::logic_error);
  EXPECT_THROW((void)pub->to_pkcs8_pem(), std::logic_error);
}

TEST_P(GeneratedKeyTest, PublicJwkHasExactlyThePublicMembers) {
  const auto key = SigningKey::generate(GetParam());
  const auto& jwk = key.public_jwk();
  EXPECT_EQ(str(jwk.at("kid")), key.kid());
  EXPECT_EQ(str(jwk.at("use")), "sig");
  EXPECT_EQ(str(jwk.at("alg")), algorithm_name(GetParam()));
  EXPECT_EQ(key.kid().size(), 43u);  // base64url of 32 bytes
  if (GetParam() == Algorithm::kRs256) {
    EXPECT_EQ(jwk.size(), 6u);
    EXPECT_EQ(str(jwk.at("kty")), "RSA");
    EXPECT_EQ(str(jwk.at("e")), "AQAB");
    EXPECT_EQ(unbase64url(jwk.at("n").as_string()).size(), 256u);
  } else {
    EXPECT_EQ(jwk.size(), 7u);
    EXPECT_EQ(str(jwk.at("kty")), "EC");
    EXPECT_EQ(str(jwk.at("crv")), "P-256");
    EXPECT_EQ(unbase64url(jwk.at("x").as_string()).size(), 32u);
    EXPECT_EQ(unbase64url(jwk.at("y").as_string()).size(), 32u);
  }
}

INSTANTIATE_TEST_SUITE_P(Algorithms, GeneratedKeyTest,
                         ::testing::Values(Algorithm::kRs256, Algorithm::kEs256),
                         [](const auto& info) { return std::string(algorithm_name(info.param)); });

TEST(SigningKeyTest, Es256SignaturesAreAlways64BytesEvenWithLeadingZeros) {
  // About one R or S in 128 starts with a zero byte; OpenSSL's DER drops it and RFC 7518 §3.4
  // keeps it. Enough signatures make a short component all but certain.
  const auto key = SigningKey::generate(Algorithm::kEs256);
  int short_components = 0;
  for (int i = 0; i < 600; ++i) {
    const auto input = "message " + std::to_string(i);
    const auto signature = key.sign(input);
    ASSERT_EQ(signature.size(), 64u);
    ASSERT_TRUE(key.verify(input, signature));
    short_components += (signature[0] == '\0') + (signature[32] == '\0');
  }
  EXPECT_GT(short_components, 0) << "no leading-zero component met; padding went untested";
}

TEST(SigningKeyTest, Es256VerifyRefusesDerSignatures) {
  const auto key = SigningKey::generate(Algorithm::kEs256);
  const auto raw = key.sign("x");
  // Re-encode as DER, the form OpenSSL itself produces; JWS must not accept it.
  ossl::Bignum r(BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), 32, nullptr));
  ossl::Bignum s(BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + 32, 32, nullptr));
  ossl::EcdsaSig sig(ECDSA_SIG_new());
  ASSERT_EQ(ECDSA_SIG_set0(sig.get(), r.release(), s.release()), 1);
  std::string der(static_cast<std::size_t>(i2d_ECDSA_SIG(sig.get(), nullptr)), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  i2d_ECDSA_SIG(sig.get(), &out);
  EXPECT_FALSE(key.verify("x", der));
}

// A PKCS#8 PEM of a key this module must refuse, made with OpenSSL directly.
std::string pkcs8_pem_of(const char* type, const char* group, std::size_t rsa_bits) {
  ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EXPECT_EQ(EVP_PKEY_keygen_init(ctx.get()), 1);
  if (group) {
    EXPECT_EQ(EVP_PKEY_CTX_set_group_name(ctx.get(), group), 1);
  }
  if (rsa_bits) {
    EXPECT_EQ(EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), static_cast<int>(rsa_bits)), 1);
  }
  EVP_PKEY* raw = nullptr;
  EXPECT_EQ(EVP_PKEY_generate(ctx.get(), &raw), 1);
  ossl::Pkey pkey(raw);
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(
      PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr),
      1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

TEST(SigningKeyTest, Pkcs8PemOfUnsuitableKeysIsRejected) {
  auto small = SigningKey::from_pkcs8_pem(pkcs8_pem_of("RSA", nullptr, 1024));
  ASSERT_FALSE(small);
  EXPECT_THAT(small.error().detail, HasSubstr("1024 bits"));
  auto p384 = SigningKey::from_pkcs8_pem(pkcs8_pem_of("EC", "P-384", 0));
  ASSERT_FALSE(p384);
  EXPECT_THAT(p384.error().detail, HasSubstr("P-256"));
  auto ed = SigningKey::from_pkcs8_pem(pkcs8_pem_of("ED25519", nullptr, 0));
  ASSERT_FALSE(ed);
  EXPECT_THAT(ed.error().detail, HasSubstr("neither RSA nor EC"));
}

TEST(SigningKeyTest, MalformedOrNonPkcs8PemIsRejected) {
  const auto key = SigningKey::generate(Algorithm::kEs256);
  // The same key in OpenSSL's traditional "EC PRIVATE KEY" form (RFC 5915), not PKCS#8.
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  const auto pem = key.to_pkcs8_pem();
  ossl::Bio src(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  ossl::Pkey pkey(PEM_read_bio_PrivateKey(src.get(), nullptr, nullptr, nullptr));
  ASSERT_TRUE(pkey);
  ASSERT_EQ(PEM_write_bio_PrivateKey_traditional(bio.get(), pkey.get(), nullptr, nullptr, 0,
                                                 nullptr, nullptr),
            1);
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  const std::string traditional(data, static_cast<std::size_t>(len));
  ASSERT_THAT(traditional, StartsWith("-----BEGIN EC PRIVATE KEY-----"));

  for (const std::string& bad : {traditional, std::string(), std::string("not a pem"),
                                 pem.substr(0, pem.size() / 2), std::string(70 * 1024, 'A')}) {
    auto loaded = SigningKey::from_pkcs8_pem(bad);
    ASSERT_FALSE(loaded) << bad.substr(0, 40);
    EXPECT_EQ(loaded.error().user_key, "error.invalid_key");
  }
}

TEST(SigningKeyTest, PublicJwkWithPrivateMembersIsRejected) {
  auto jwk = rfc7515_ec_jwk();
  jwk["d"] = "jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI";
  auto key = SigningKey::from_public_jwk(jwk);
  ASSERT_FALSE(key);
  EXPECT_THAT(key.error().detail, HasSubstr("private"));
}

TEST(SigningKeyTest, UnsuitablePublicJwksAreRejected) {
  struct Case {
    const char* name;
    boost::json::object jwk;
    const char* detail;
  };
  auto with = [](boost::json::object jwk, const char* key, boost::json::value v) {
    jwk[key] = std::move(v);
    return jwk;
  };
  auto without = [](boost::json::object jwk, const char* key) {
    jwk.erase(key);
    return jwk;
  };
  const auto ec = rfc7515_ec_jwk();
  const auto rsa = rfc7515_rsa_jwk();
  // Moving one coordinate by one keeps its length but leaves the curve.
  auto y = unbase64url(ec.at("y").as_string());
  y[31] = static_cast<char>(y[31] ^ 1);
  const Case cases[] = {
      {"no kty", without(ec, "kty"), "lacks \"kty\""},
      {"oct kty", with(ec, "kty", "oct"), "neither \"RSA\" nor \"EC\""},
      {"P-384 crv", with(ec, "crv", "P-384"), "\"P-256\""},
      {"short x", with(ec, "x", "AQAB"), "32 octets"},
      {"point off the curve", with(ec, "y", boost::json::string(crypto::base64url_encode(y))),
       "not describe a valid EC public key"},
      {"x not base64url", with(ec, "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVE="),
       "not base64url"},
      {"x with a non-ASCII byte",
       with(ec, "x", "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVE\xc3\xbf"), "not base64url"},
      {"x not a string", with(ec, "x", 7), "lacks string member"},
      {"use enc", with(ec, "use", "enc"), "\"use\""},
      {"alg of the other type", with(rsa, "alg", "ES256"), "\"alg\""},
      {"alg none", with(ec, "alg", "none"), "\"alg\""},
      {"no n", without(rsa, "n"), "lacks string member \"n\""},
      {"n with a leading zero",
       with(rsa, "n",
            boost::json::string(
                crypto::base64url_encode(std::string(1, '\0') + unbase64url(kRfc7515RsaN)))),
       "leading zero"},
      {"1024-bit n",
       with(
           rsa, "n",
           boost::json::string(crypto::base64url_encode(unbase64url(kRfc7515RsaN).substr(0, 128)))),
       "bits"},
  };
  for (const auto& c : cases) {
    auto key = SigningKey::from_public_jwk(c.jwk);
    ASSERT_FALSE(key) << c.name;
    EXPECT_EQ(key.error().user_key, "error.invalid_key") << c.name;
    EXPECT_THAT(key.error().detail, HasSubstr(c.detail)) << c.name;
  }
}

TEST(SigningKeyTest, CopiesShareOneKey) {
  const auto key = SigningKey::generate(Algorithm::kRs256);
  SigningKey copy = key;
  EXPECT_EQ(copy.kid(), key.kid());
  EXPECT_TRUE(key.verify("x", copy.sign("x")));
}

}  // namespace
}  // namespace zocalo::identity::jose
