// Hot code on every HTTP request: route matching, form and cookie parsing, CSRF tokens.
#include <benchmark/benchmark.h>

#include "platform/core/crypto.hpp"
#include "platform/http/cookie.hpp"
#include "platform/http/form.hpp"
#include "platform/http/router.hpp"

namespace {

using zocalo::http::Method;

zocalo::http::Router& sample_router() {
  static zocalo::http::Router r;
  static const bool built = [] {
    // Roughly the shape of the finished application's routes.
    const char* patterns[] = {"/",
                              "/servicios",
                              "/buscar",
                              "/alcaldias",
                              "/opinion",
                              "/opinion/gracias/{id}",
                              "/healthz",
                              "/readyz",
                              "/metrics",
                              "/api/v1/status",
                              "/static/{path*}",
                              "/open311/v2/services.{fmt}",
                              "/open311/v2/services/{code}.{fmt}",
                              "/open311/v2/requests.{fmt}",
                              "/open311/v2/requests/{id}.{fmt}",
                              "/llave/entrar",
                              "/llave/perfil"};
    for (const char* p : patterns) {
      r.get(p, [](zocalo::http::Request&) { return zocalo::http::Response::text("ok"); });
    }
    r.finalize();
    return true;
  }();
  (void)built;
  return r;
}

void BM_RouterMatchLiteral(benchmark::State& state) {
  auto& r = sample_router();
  for (auto _ : state) benchmark::DoNotOptimize(r.match(Method::kGet, "/api/v1/status"));
}
BENCHMARK(BM_RouterMatchLiteral);

void BM_RouterMatchParams(benchmark::State& state) {
  auto& r = sample_router();
  for (auto _ : state)
    benchmark::DoNotOptimize(r.match(Method::kGet, "/open311/v2/requests/ABC-123.json"));
}
BENCHMARK(BM_RouterMatchParams);

void BM_ParseUrlencodedForm(benchmark::State& state) {
  const std::string body =
      "_csrf=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6&service_code=LUM01&lat=19.4326&"
      "long=-99.1332&description=La+l%C3%A1mpara+de+la+esquina+no+enciende+desde+hace+tres+d%C3%"
      "ADas";
  for (auto _ : state) benchmark::DoNotOptimize(zocalo::http::parse_urlencoded(body));
}
BENCHMARK(BM_ParseUrlencodedForm);

void BM_ParseCookieHeader(benchmark::State& state) {
  const std::string header =
      "zocalo_sid=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9; lang=en; _ga=GA1.2.3";
  for (auto _ : state) benchmark::DoNotOptimize(zocalo::http::parse_cookie_header(header));
}
BENCHMARK(BM_ParseCookieHeader);

void BM_CsrfToken(benchmark::State& state) {
  const std::string secret(32, 'k');
  const std::string sid = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9";
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        zocalo::crypto::base64url_encode(zocalo::crypto::hmac_sha256(secret, "csrf:" + sid)));
  }
}
BENCHMARK(BM_CsrfToken);

}  // namespace
