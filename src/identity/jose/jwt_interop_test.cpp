// Black-box interoperability: an independent JOSE implementation (Debian's python3-jwt, PyJWT,
// on python3-cryptography) verifies tokens and the JWKS this module produces, and signs tokens
// with keys this module stored as PKCS#8 that verify_jwt() must accept. The harness lives at
// tests/harness/verify_jwt.py. /usr/bin/python3 is named on purpose: a python3 earlier on PATH
// (pyenv, a venv) lacks the Debian modules.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "identity/jose/jwt.hpp"
#include "identity/jose/key_set.hpp"
#include "platform/core/time.hpp"
#include "temp_dir.hpp"

namespace zocalo::identity::jose {
namespace {

constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kIssuer = "https://id.zocalo.example";
constexpr const char* kClient = "client-311";

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

boost::json::object claims(std::int64_t now, std::string_view sub) {
  return {{"iss", kIssuer}, {"sub", sub},       {"aud", kClient},
          {"iat", now},     {"exp", now + 300}, {"nonce", "n-0S6_WzA2Mj"}};
}

TEST(JwtInteropTest, PyJwtVerifiesOurTokensAndWeVerifyItsTokens) {
  const std::int64_t now = time::now_unix();
  const auto keys = KeySet().rotate(now - 10, 3'600);
  const auto rs = keys.current_signing_key(Algorithm::kRs256, now);
  const auto es = keys.current_signing_key(Algorithm::kEs256, now);
  ASSERT_TRUE(rs && es);

  const zocalo::testing::TempDir dir;
  write_file(dir.path() / "jwks.json", boost::json::serialize(keys.jwks(now)));
  // An ID token (typ JWT) with RS256, an RFC 9068 access token (typ at+jwt) with ES256.
  boost::json::array tokens;
  auto token_item = [&](const SigningKey& key, std::string_view typ, std::string_view sub) {
    return boost::json::object{{"token", sign_jwt(key, claims(now, sub), typ)},
                               {"alg", algorithm_name(key.algorithm())},
                               {"kid", key.kid()},
                               {"typ", typ},
                               {"issuer", kIssuer},
                               {"audience", kClient}};
  };
  tokens.push_back(token_item(*rs, "JWT", "resident-rs"));
  tokens.push_back(token_item(*es, "at+jwt", "resident-es"));
  write_file(dir.path() / "tokens.json", boost::json::serialize(tokens));
  // PyJWT signs with our stored keys; we must accept its RS256 and ES256 (raw R||S) tokens.
  write_file(dir.path() / "rs.pem", rs->to_pkcs8_pem());
  write_file(dir.path() / "es.pem", es->to_pkcs8_pem());
  boost::json::array sign = {
      {{"pem", "rs.pem"},
       {"alg", "RS256"},
       {"kid", rs->kid()},
       {"typ", "JWT"},
       {"claims", claims(now, "from-pyjwt-rs")}},
      {{"pem", "es.pem"},
       {"alg", "ES256"},
       {"kid", es->kid()},
       {"typ", "at+jwt"},
       {"claims", claims(now, "from-pyjwt-es")}},
  };
  write_file(dir.path() / "sign.json", boost::json::serialize(sign));

  ASSERT_TRUE(std::filesystem::exists(kPython))
      << kPython << " is missing: apt-get install python3 python3-jwt python3-cryptography";
  zocalo::testing::ChildProcess python(
      {kPython, zocalo::testing::harness_path("verify_jwt.py"), dir.path().string()});
  std::vector<std::string> verified;
  std::map<std::string, std::string> signed_by_pyjwt;
  bool done = false;
  while (auto line = python.read_line(std::chrono::seconds(30))) {
    if (*line == "done") {
      done = true;
      break;
    }
    if (line->starts_with("verified ")) {
      verified.push_back(line->substr(9));
    } else if (line->starts_with("signed ")) {
      const auto space = line->find(' ', 7);
      signed_by_pyjwt[line->substr(7, space - 7)] = line->substr(space + 1);
    } else {
      ADD_FAILURE() << "verify_jwt.py: " << *line;
    }
  }
  ASSERT_TRUE(done) << "verify_jwt.py did not finish (is python3-jwt installed?)";
  EXPECT_THAT(verified, ::testing::ElementsAre("RS256 " + rs->kid(), "ES256 " + es->kid()));

  VerifyOptions options;
  options.now = now;
  options.issuer = kIssuer;
  options.audience = kClient;
  ASSERT_EQ(signed_by_pyjwt.size(), 2u);
  for (const auto& [alg, token] : signed_by_pyjwt) {
    options.typ = alg == "ES256" ? "at+jwt" : "JWT";
    auto claims = verify_jwt(token, keys.lookup_at(now), options);
    ASSERT_TRUE(claims) << alg << ": " << claims.error().detail;
    EXPECT_EQ(claims->at("sub"), alg == "RS256" ? "from-pyjwt-rs" : "from-pyjwt-es");
  }
}

}  // namespace
}  // namespace zocalo::identity::jose
