#include "identity/jose/jwt.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "platform/core/crypto.hpp"

namespace zocalo::identity::jose {
namespace {

using ::testing::HasSubstr;

constexpr std::int64_t kNow = 1'700'000'000;
constexpr const char* kIssuer = "https://id.zocalo.example";
constexpr const char* kClient = "client-311";

std::string b64(std::string_view s) {
  return crypto::base64url_encode(s);
}

class JwtTest : public ::testing::Test {
 protected:
  // RSA generation takes tens of milliseconds; one pair of keys serves every test.
  static void SetUpTestSuite() {
    rsa_ = new SigningKey(SigningKey::generate(Algorithm::kRs256));
    ec_ = new SigningKey(SigningKey::generate(Algorithm::kEs256));
  }
  static void TearDownTestSuite() {
    delete rsa_;
    delete ec_;
  }

  static const SigningKey& rsa() { return *rsa_; }
  static const SigningKey& ec() { return *ec_; }

  static KeyLookup lookup() {
    return [](std::string_view kid) -> std::optional<SigningKey> {
      if (kid == rsa_->kid()) return *rsa_;
      if (kid == ec_->kid()) return *ec_;
      return std::nullopt;
    };
  }

  static boost::json::object claims() {
    return {{"iss", kIssuer},   {"sub", "resident-42"}, {"aud", kClient},
            {"iat", kNow - 10}, {"exp", kNow + 300},    {"nonce", "n-0S6_WzA2Mj"}};
  }

  static VerifyOptions options() {
    VerifyOptions o;
    o.now = kNow;
    o.issuer = kIssuer;
    o.audience = kClient;
    return o;
  }

  // A token from raw parts, signed by `key` over exactly those parts: what an attacker holding
  // the key, or a buggy issuer, could send.
  static std::string assemble(std::string_view header_b64, std::string_view payload_b64,
                              const SigningKey& key) {
    const std::string input = std::string(header_b64) + "." + std::string(payload_b64);
    return input + "." + b64(key.sign(input));
  }
  static std::string header_for(const SigningKey& key, std::string_view extra = "") {
    return R"({"alg":")" + std::string(algorithm_name(key.algorithm())) + R"(","kid":")" +
           key.kid() + "\"" + std::string(extra) + "}";
  }
  static std::string with_claims(const SigningKey& key, const boost::json::object& c) {
    return assemble(b64(header_for(key)), b64(boost::json::serialize(c)), key);
  }
  static boost::json::object claims_with(std::string_view name, boost::json::value v) {
    auto c = claims();
    c[name] = std::move(v);
    return c;
  }
  static boost::json::object claims_without(std::string_view name) {
    auto c = claims();
    c.erase(name);
    return c;
  }

 private:
  static inline SigningKey* rsa_ = nullptr;
  static inline SigningKey* ec_ = nullptr;
};

TEST_F(JwtTest, Rs256AndEs256TokensRoundTrip) {
  for (const SigningKey* key : {&rsa(), &ec()}) {
    const auto token = sign_jwt(*key, claims());
    auto verified = verify_jwt(token, lookup(), options());
    ASSERT_TRUE(verified) << verified.error().detail;
    EXPECT_EQ(*verified, claims());
  }
}

TEST_F(JwtTest, HeaderCarriesAlgKidAndTyp) {
  const auto token = sign_jwt(ec(), claims());
  const auto header = crypto::base64url_decode(token.substr(0, token.find('.')));
  ASSERT_TRUE(header);
  EXPECT_EQ(boost::json::parse(*header),
            boost::json::parse(R"({"alg":"ES256","kid":")" + ec().kid() + R"(","typ":"JWT"})"));
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
  EXPECT_EQ(token.find('='), std::string::npos);
}

TEST_F(JwtTest, AccessTokenTypIsCheckedAsAMediaType) {
  // RFC 9068 §2.1 / §4: "at+jwt", and RFC 7515 §4.1.9 lets "application/" be added or left out.
  const auto token = sign_jwt(rsa(), claims(), "at+jwt");
  for (const char* expected : {"at+jwt", "application/at+jwt", "AT+JWT"}) {
    auto o = options();
    o.typ = expected;
    auto verified = verify_jwt(token, lookup(), o);
    EXPECT_TRUE(verified) << expected << ": " << verified.error().detail;
  }
  auto o = options();
  o.typ = "at+jwt";
  auto id_token = verify_jwt(sign_jwt(rsa(), claims()), lookup(), o);
  ASSERT_FALSE(id_token);
  EXPECT_THAT(id_token.error().detail, HasSubstr("\"typ\" \"JWT\" is not \"at+jwt\""));
  auto untyped = verify_jwt(sign_jwt(rsa(), claims(), ""), lookup(), o);
  ASSERT_FALSE(untyped);
  EXPECT_THAT(untyped.error().detail, HasSubstr("lacks \"typ\""));
}

TEST_F(JwtTest, ClockSkewWithinLeewayIsAccepted) {
  auto o = options();
  EXPECT_TRUE(verify_jwt(with_claims(ec(), claims_with("exp", kNow - 59)), lookup(), o));
  EXPECT_TRUE(verify_jwt(with_claims(ec(), claims_with("nbf", kNow + 60)), lookup(), o));
  EXPECT_TRUE(verify_jwt(with_claims(ec(), claims_with("iat", kNow + 60)), lookup(), o));
  EXPECT_TRUE(verify_jwt(with_claims(ec(), claims_with("exp", kNow + 0.5)), lookup(), o));
  o.leeway_seconds = 0;
  EXPECT_FALSE(verify_jwt(with_claims(ec(), claims_with("exp", kNow)), lookup(), o));
  EXPECT_TRUE(verify_jwt(with_claims(ec(), claims_with("exp", kNow + 1)), lookup(), o));
}

TEST_F(JwtTest, AudienceArrayContainingUsIsAccepted) {
  boost::json::array aud = {"another-client", kClient};
  auto verified = verify_jwt(with_claims(rsa(), claims_with("aud", aud)), lookup(), options());
  EXPECT_TRUE(verified) << verified.error().detail;
}

TEST_F(JwtTest, NoIssuerOrAudienceExpectedChecksNeither) {
  VerifyOptions o;
  o.now = kNow;
  auto verified = verify_jwt(with_claims(rsa(), claims_without("aud")), lookup(), o);
  EXPECT_TRUE(verified) << verified.error().detail;
}

struct Rejection {
  std::string name;
  std::function<std::string()> token;
  std::function<void(VerifyOptions&)> adjust;
  std::string detail;
};

TEST_F(JwtTest, EveryBrokenTokenIsRejectedWithItsOwnReason) {
  const auto good_rs = [] { return sign_jwt(rsa(), claims()); };
  const auto parts = [](const std::string& token) {
    const auto d1 = token.find('.');
    const auto d2 = token.find('.', d1 + 1);
    return std::vector<std::string>{token.substr(0, d1), token.substr(d1 + 1, d2 - d1 - 1),
                                    token.substr(d2 + 1)};
  };
  const auto payload_b64 = b64(boost::json::serialize(claims()));
  const auto none = [](VerifyOptions&) {};
  const std::vector<Rejection> cases = {
      {"alg none, unsigned (RFC 7515 A.5)",
       [&] {
         return b64(R"({"alg":"none","kid":")" + rsa().kid() + "\"}") + "." + payload_b64 + ".";
       },
       none, "alg \"none\" is refused"},
      {"alg None with a signature",
       [&] {
         return assemble(b64(R"({"alg":"None","kid":")" + rsa().kid() + "\"}"), payload_b64, rsa());
       },
       none, "alg \"none\" is refused"},
      {"HS256 keyed with the RSA public key (RFC 8725 §2.1)",
       [&] {
         const auto input =
             b64(R"({"alg":"HS256","kid":")" + rsa().kid() + "\"}") + "." + payload_b64;
         const auto secret = boost::json::serialize(rsa().public_jwk());
         return input + "." + b64(crypto::hmac_sha256(secret, input));
       },
       none, "unsupported alg \"HS256\""},
      {"ES256 header naming the RSA key",
       [&] {
         return assemble(b64(R"({"alg":"ES256","kid":")" + rsa().kid() + "\"}"), payload_b64, ec());
       },
       none, "alg \"ES256\" does not match the key's RS256"},
      {"algorithm outside the allow-list", [&] { return sign_jwt(ec(), claims()); },
       [](VerifyOptions& o) { o.algorithms = {Algorithm::kRs256}; },
       "alg \"ES256\" is not allowed here"},
      {"alg not a string",
       [&] { return assemble(b64(R"({"alg":7,"kid":"k"})"), payload_b64, rsa()); }, none,
       "lacks a string \"alg\""},
      {"unknown kid", [&] { return sign_jwt(SigningKey::generate(Algorithm::kEs256), claims()); },
       none, "unknown kid"},
      {"no kid", [&] { return assemble(b64(R"({"alg":"RS256"})"), payload_b64, rsa()); }, none,
       "lacks a string \"kid\""},
      {"crit header (RFC 7515 §4.1.11)",
       [&] {
         return assemble(b64(header_for(rsa(), R"(,"crit":["b64"],"b64":false)")), payload_b64,
                         rsa());
       },
       none, "\"crit\""},
      {"tampered payload",
       [&] {
         auto p = parts(good_rs());
         return p[0] + "." + b64(boost::json::serialize(claims_with("sub", "admin"))) + "." + p[2];
       },
       none, "signature does not verify"},
      {"tampered header",
       [&] {
         auto p = parts(good_rs());
         return b64(header_for(rsa(), R"(,"typ":"at+jwt")")) + "." + p[1] + "." + p[2];
       },
       none, "signature does not verify"},
      {"tampered signature",
       [&] {
         auto t = good_rs();
         auto& c = t[t.size() - 100];
         c = c == 'A' ? 'B' : 'A';
         return t;
       },
       none, "signature does not verify"},
      {"signature of another key under this kid",
       [&] {
         auto p = parts(sign_jwt(ec(), claims()));
         const auto impostor = SigningKey::generate(Algorithm::kEs256);
         return p[0] + "." + p[1] + "." + b64(impostor.sign(p[0] + "." + p[1]));
       },
       none, "signature does not verify"},
      {"empty signature",
       [&] {
         auto p = parts(good_rs());
         return p[0] + "." + p[1] + ".";
       },
       none, "signature is empty"},
      {"expired", [&] { return with_claims(rsa(), claims_with("exp", kNow - 61)); }, none,
       "token expired"},
      {"no exp", [&] { return with_claims(rsa(), claims_without("exp")); }, none,
       "claims lack \"exp\""},
      {"exp not a number", [&] { return with_claims(rsa(), claims_with("exp", "tomorrow")); }, none,
       "\"exp\" is not a NumericDate"},
      {"not yet valid", [&] { return with_claims(rsa(), claims_with("nbf", kNow + 61)); }, none,
       "token not yet valid"},
      {"nbf not a number", [&] { return with_claims(rsa(), claims_with("nbf", true)); }, none,
       "\"nbf\" is not a NumericDate"},
      {"issued in the future", [&] { return with_claims(rsa(), claims_with("iat", kNow + 61)); },
       none, "issued in the future"},
      {"wrong issuer",
       [&] { return with_claims(rsa(), claims_with("iss", "https://evil.example")); }, none,
       "wrong issuer \"https://evil.example\""},
      {"no issuer", [&] { return with_claims(rsa(), claims_without("iss")); }, none,
       "claims lack \"iss\""},
      {"issuer not a string", [&] { return with_claims(rsa(), claims_with("iss", 1)); }, none,
       "\"iss\" is not a string"},
      {"wrong audience", [&] { return with_claims(rsa(), claims_with("aud", "client-other")); },
       none, "wrong audience \"client-other\""},
      {"audience array without us",
       [&] {
         return with_claims(rsa(), claims_with("aud", boost::json::array{"a", "b"}));
       },
       none, "audience not among"},
      {"audience array with a non-string",
       [&] {
         return with_claims(rsa(), claims_with("aud", boost::json::array{kClient, 1}));
       },
       none, "holds a non-string"},
      {"no audience", [&] { return with_claims(rsa(), claims_without("aud")); }, none,
       "claims lack \"aud\""},
      {"audience when none is expected", good_rs, [](VerifyOptions& o) { o.audience.reset(); },
       "none is expected"},
      {"payload not base64url", [&] { return assemble(b64(header_for(rsa())), "eyJ*", rsa()); },
       none, "payload is not base64url"},
      {"header not base64url",
       [&] {
         auto p = parts(good_rs());
         return "e!J." + p[1] + "." + p[2];
       },
       none, "header is not base64url"},
      {"signature not base64url",
       [&] {
         auto p = parts(good_rs());
         return p[0] + "." + p[1] + ".$$";
       },
       none, "signature is not base64url"},
      {"non-ASCII byte in the signature (libsodium 1.0.18 would read it as '_')",
       [&] {
         auto t = good_rs();
         t[t.size() - 5] = '\xf5';
         return t;
       },
       none, "signature is not base64url"},
      {"base64 padding",
       [&] {
         auto p = parts(good_rs());
         return p[0] + "==." + p[1] + "." + p[2];
       },
       none, "padding"},
      {"extra dots", [&] { return good_rs() + ".x"; }, none, "exactly three parts"},
      {"two parts",
       [&] {
         auto p = parts(good_rs());
         return p[0] + "." + p[1];
       },
       none, "exactly three parts"},
      {"five parts (a JWE)", [&] { return "a.b.c.d.e"; }, none, "exactly three parts"},
      {"empty token", [&] { return std::string(); }, none, "exactly three parts"},
      {"empty header",
       [&] {
         auto p = parts(good_rs());
         return "." + p[1] + "." + p[2];
       },
       none, "header is empty"},
      {"huge token", [&] { return good_rs() + std::string(16 * 1024, 'A'); }, none,
       "exceeds 16384"},
      {"header not JSON", [&] { return assemble(b64("{alg:RS256}"), payload_b64, rsa()); }, none,
       "header is not valid JSON"},
      {"header a JSON array", [&] { return assemble(b64(R"(["RS256"])"), payload_b64, rsa()); },
       none, "header is not a JSON object"},
      {"claims a JSON array", [&] { return assemble(b64(header_for(rsa())), b64("[1]"), rsa()); },
       none, "claims is not a JSON object"},
      {"claims nested 200 deep",
       [&] {
         return assemble(b64(header_for(rsa())),
                         b64(R"({"a":)" + std::string(200, '[') + std::string(200, ']') + "}"),
                         rsa());
       },
       none, "claims is not valid JSON"},
      {"claims not UTF-8",
       [&] { return assemble(b64(header_for(rsa())), b64("{\"sub\":\"\xff\"}"), rsa()); }, none,
       "claims is not valid JSON"},
  };
  for (const auto& c : cases) {
    auto o = options();
    c.adjust(o);
    auto verified = verify_jwt(c.token(), lookup(), o);
    ASSERT_FALSE(verified) << c.name;
    EXPECT_EQ(verified.error().kind, ErrorKind::kUnauthorized) << c.name;
    EXPECT_EQ(verified.error().user_key, "error.invalid_token") << c.name;
    EXPECT_THAT(verified.error().detail, HasSubstr(c.detail)) << c.name;
  }
}

TEST_F(JwtTest, DetailsNeverQuoteTheTokenOrItsSignature) {
  auto token = sign_jwt(rsa(), claims_with("exp", kNow - 3600));
  auto verified = verify_jwt(token, lookup(), options());
  ASSERT_FALSE(verified);
  const auto signature = token.substr(token.rfind('.') + 1);
  EXPECT_THAT(verified.error().detail, ::testing::Not(HasSubstr(signature.substr(0, 16))));
}

TEST_F(JwtTest, LongUntrustedValuesAreCutInDetails) {
  const std::string long_issuer(5000, 'x');
  auto verified = verify_jwt(
      with_claims(ec(), claims_with("iss", boost::json::string(long_issuer))), lookup(), options());
  ASSERT_FALSE(verified);
  EXPECT_LT(verified.error().detail.size(), 120u);
}

TEST_F(JwtTest, RandomMutationsNeverVerify) {
  // Hostile-input smoke test: no mutation of a good token may pass or crash the verifier.
  const auto good = sign_jwt(ec(), claims());
  std::mt19937 rng(7515);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 3000; ++i) {
    std::string t = good;
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, t.size() - 1)(rng);
    const char c = static_cast<char>(byte(rng));
    switch (i % 3) {
      case 0:
        t[at] = c;
        break;
      case 1:
        t.erase(at, 1);
        break;
      default:
        t.insert(at, 1, c);
    }
    if (t == good) continue;
    EXPECT_FALSE(verify_jwt(t, lookup(), options()))
        << "mutation " << i % 3 << " at " << at << " of " << good.size() << " with byte "
        << static_cast<int>(static_cast<unsigned char>(c)) << " in " << good;
  }
}

}  // namespace
}  // namespace zocalo::identity::jose
