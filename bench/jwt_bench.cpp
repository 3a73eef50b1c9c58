// What one signed token costs the OpenID Provider's CPU (bench/identity measures the endpoint):
// an access token's claims signed with RS256 (the algorithm every client must support, OIDC
// Core §15.1) and with ES256 (our access tokens), and the verification of each (userinfo and
// introspection verify an ES256 access token on every call).
#include <benchmark/benchmark.h>

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "identity/jose/jwt.hpp"
#include "identity/jose/signing_key.hpp"

namespace {

using zocalo::identity::jose::Algorithm;
using zocalo::identity::jose::SigningKey;

boost::json::object access_token_claims() {
  // The shape of a client_credentials access token (RFC 9068 §2.2).
  return {{"iss", "https://llave.cdmx.example"},
          {"sub", "demo-backend"},
          {"aud", "https://llave.cdmx.example"},
          {"client_id", "demo-backend"},
          {"scope", "requests.read"},
          {"jti", "8f2kS0dYb1x9Qm3T7uVw2A"},
          {"iat", 1795394948},
          {"exp", 1795395548}};
}

const SigningKey& key(Algorithm alg) {
  static const SigningKey rs = SigningKey::generate(Algorithm::kRs256);
  static const SigningKey es = SigningKey::generate(Algorithm::kEs256);
  return alg == Algorithm::kRs256 ? rs : es;
}

void BM_SignJwt(benchmark::State& state, Algorithm alg) {
  const SigningKey& k = key(alg);
  const auto claims = access_token_claims();
  for (auto _ : state)
    benchmark::DoNotOptimize(zocalo::identity::jose::sign_jwt(k, claims, "at+jwt"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_SignJwt, rs256, Algorithm::kRs256)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_SignJwt, es256, Algorithm::kEs256)->Unit(benchmark::kMicrosecond);

void BM_VerifyJwt(benchmark::State& state, Algorithm alg) {
  const SigningKey& k = key(alg);
  const std::string token = zocalo::identity::jose::sign_jwt(k, access_token_claims(), "at+jwt");
  const zocalo::identity::jose::KeyLookup lookup =
      [&](std::string_view) -> std::optional<SigningKey> { return k; };
  zocalo::identity::jose::VerifyOptions options;
  options.now = 1795395000;
  options.issuer = "https://llave.cdmx.example";
  options.audience = "https://llave.cdmx.example";
  options.typ = "at+jwt";
  for (auto _ : state) {
    auto claims = zocalo::identity::jose::verify_jwt(token, lookup, options);
    if (!claims) {
      state.SkipWithError("verify_jwt rejected its own token");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK_CAPTURE(BM_VerifyJwt, rs256, Algorithm::kRs256)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_VerifyJwt, es256, Algorithm::kEs256)->Unit(benchmark::kMicrosecond);

}  // namespace
