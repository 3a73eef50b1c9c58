// GET /.well-known/jwks.json on a real server (ephemeral port), fetched with libcurl, over
// keys stored in SQLite and PostgreSQL.
#include "identity/routes/jwks_route.hpp"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <cctype>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "db_fixture.hpp"
#include "identity/identity.hpp"
#include "identity/jose/jwt.hpp"
#include "platform/core/crypto.hpp"
#include "platform/core/log.hpp"
#include "platform/http/server.hpp"

namespace zocalo::identity {
namespace {

using jose::Algorithm;

constexpr std::int64_t kT0 = 1'790'000'000;
constexpr std::int64_t kLifetime = 3600 + 60;

struct Fetched {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* out) {
  const std::string line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    value.erase(value.find_last_not_of("\r\n ") + 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

Fetched fetch(unsigned short port, const std::string& path) {
  Fetched f;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &f.body);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl.get(), CURLOPT_HEADERDATA, &f.headers);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 10L);
  if (curl_easy_perform(curl.get()) == CURLE_OK) {
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &f.status);
  }
  return f;
}

// The served document as a verify_jwt() lookup, as a relying party builds it.
jose::KeyLookup lookup_from(const boost::json::object& jwks) {
  std::map<std::string, jose::SigningKey, std::less<>> keys;
  for (const auto& v : jwks.at("keys").as_array()) {
    auto key = jose::SigningKey::from_public_jwk(v.as_object());
    EXPECT_TRUE(key) << key.error().detail;
    if (key) keys.emplace(key->kid(), *key);
  }
  return [keys](std::string_view kid) -> std::optional<jose::SigningKey> {
    const auto it = keys.find(kid);
    if (it == keys.end()) return std::nullopt;
    return it->second;
  };
}

std::vector<std::string> kids_of(const boost::json::object& jwks) {
  std::vector<std::string> out;
  for (const auto& v : jwks.at("keys").as_array()) {
    out.emplace_back(v.as_object().at("kid").as_string());
  }
  return out;
}

http::Response render_error(http::Request&, int status) {
  return http::Response::text("error", status);
}

class JwksRouteTest : public testing::DbTest {
 protected:
  static void SetUpTestSuite() {
    log::init(log::Level::kError);
    curl_global_init(CURL_GLOBAL_DEFAULT);
  }

  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(SigningKeyStore(db(), *kek_).ensure_keys(kT0, kLifetime));
    auto loaded = web::Renderer::load();
    ASSERT_TRUE(loaded) << loaded.error().detail;
    renderer_ = std::move(*loaded);
    errors_ = std::make_unique<web::ErrorPages>(*renderer_);
  }

  void TearDown() override {
    if (server_) {
      server_->stop();
      server_->wait();
    }
    DbTest::TearDown();
  }

  IdentityOptions options(std::chrono::seconds refresh = std::chrono::seconds(60)) {
    IdentityOptions o;
    o.key_encryption = kek_;
    o.issuer = "http://127.0.0.1";
    o.key_refresh = refresh;
    o.clock = [this] { return now_.load(); };
    return o;
  }

  // Registers the module's routes and serves them on an ephemeral port.
  void serve(IdentityOptions o) {
    auto st = register_routes(router_, db(), *renderer_, *errors_, std::move(o));
    ASSERT_TRUE(st) << st.error().detail;
    router_.finalize();
    http::ServerOptions so;
    so.port = 0;
    so.worker_threads = 4;
    server_ = std::make_unique<http::Server>(so, router_, render_error);
    ASSERT_TRUE(server_->start());
  }

  Fetched get_jwks() { return fetch(server_->port(), "/.well-known/jwks.json"); }

  boost::json::object jwks() {
    const Fetched f = get_jwks();
    EXPECT_EQ(f.status, 200);
    return boost::json::parse(f.body).as_object();
  }

  std::shared_ptr<const KeyEncryption> kek_ =
      std::make_shared<const KeyEncryption>(crypto::random_bytes(32));
  std::atomic<std::int64_t> now_{kT0};
  std::unique_ptr<web::Renderer> renderer_;
  std::unique_ptr<web::ErrorPages> errors_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

TEST_P(JwksRouteTest, ServesEveryPublishedPublicKeyWithJwkSetHeaders) {
  serve(options());
  Fetched f = get_jwks();
  ASSERT_EQ(f.status, 200);
  EXPECT_EQ(f.headers["content-type"], "application/jwk-set+json");
  EXPECT_EQ(f.headers["cache-control"], "public, max-age=300");
  EXPECT_EQ(f.headers["access-control-allow-origin"], "*");

  const auto doc = boost::json::parse(f.body).as_object();
  const auto& keys = doc.at("keys").as_array();
  ASSERT_EQ(keys.size(), 2u);
  std::vector<std::string> algs;
  for (const auto& v : keys) {
    const auto& jwk = v.as_object();
    algs.emplace_back(jwk.at("alg").as_string());
    EXPECT_EQ(jwk.at("use").as_string(), "sig");
    EXPECT_FALSE(jwk.at("kid").as_string().empty());
    // RFC 7518 §6.2.2 / §6.3.2: private members never leave the provider.
    for (const char* secret : {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}) {
      EXPECT_FALSE(jwk.contains(secret)) << secret;
    }
  }
  std::sort(algs.begin(), algs.end());
  EXPECT_EQ(algs, (std::vector<std::string>{"ES256", "RS256"}));
}

TEST_P(JwksRouteTest, TokenSignedWithTheCurrentKeyVerifiesAgainstTheServedJwks) {
  serve(options());
  const auto lookup = lookup_from(jwks());
  auto set = SigningKeyStore(db(), *kek_).load();
  ASSERT_TRUE(set);
  for (Algorithm alg : jose::kAllAlgorithms) {
    const auto key = set->current_signing_key(alg, kT0);
    ASSERT_TRUE(key);
    const std::string token = jose::sign_jwt(
        *key, {{"iss", "https://llave.example"}, {"sub", "r1"}, {"iat", kT0}, {"exp", kT0 + 300}});
    jose::VerifyOptions opts;
    opts.now = kT0 + 1;
    opts.issuer = "https://llave.example";
    auto claims = jose::verify_jwt(token, lookup, opts);
    EXPECT_TRUE(claims) << jose::algorithm_name(alg) << ": " << claims.error().detail;
  }
}

TEST_P(JwksRouteTest, RotationOnAnotherNodeShowsUpAndExpiredKeysDropOut) {
  serve(options(std::chrono::seconds(0)));  // reload on every request
  const auto before = kids_of(jwks());
  ASSERT_EQ(before.size(), 2u);

  const std::int64_t t1 = kT0 + 86'400;
  now_ = t1;
  auto other = open_another();
  auto rotated = SigningKeyStore(*other, *kek_).rotate(t1, kLifetime);
  ASSERT_TRUE(rotated) << rotated.error().detail;

  const auto doc = jwks();
  const auto during = kids_of(doc);
  EXPECT_EQ(during.size(), 4u);
  for (const auto& kid : before) {
    EXPECT_NE(std::find(during.begin(), during.end(), kid), during.end()) << kid;
  }
  // A token from the new key verifies against what this node serves.
  const auto key = rotated->current_signing_key(Algorithm::kRs256, t1);
  const std::string token = jose::sign_jwt(*key, {{"sub", "r1"}, {"exp", t1 + 300}});
  jose::VerifyOptions opts;
  opts.now = t1;
  EXPECT_TRUE(jose::verify_jwt(token, lookup_from(doc), opts));

  now_ = t1 + kLifetime;  // the retired keys' last tokens have expired
  const auto after = kids_of(jwks());
  ASSERT_EQ(after.size(), 2u);
  for (const auto& kid : before) {
    EXPECT_EQ(std::find(after.begin(), after.end(), kid), after.end()) << kid;
  }
}

TEST_P(JwksRouteTest, SnapshotAnswersFromItsCopyUntilItIsStale) {
  KeySetSnapshot snapshot(db(), kek_, std::chrono::seconds(3600));
  auto first = snapshot.get();
  ASSERT_TRUE(first);
  ASSERT_EQ((*first)->records().size(), 2u);
  ASSERT_TRUE(SigningKeyStore(*open_another(), *kek_).rotate(kT0 + 10, kLifetime));

  auto cached = snapshot.get();
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->get(), first->get());  // within max_age: no reload
  ASSERT_TRUE(snapshot.refresh());
  auto fresh = snapshot.get();
  ASSERT_TRUE(fresh);
  EXPECT_EQ((*fresh)->records().size(), 4u);

  KeySetSnapshot always(db(), kek_, std::chrono::seconds(0));
  auto a = always.get();
  auto b = always.get();
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->get(), b->get());  // max_age 0: every get() reloads
}

TEST_P(JwksRouteTest, ConcurrentRequestsDuringRotationsAllSucceed) {
  serve(options(std::chrono::seconds(0)));
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      for (int i = 0; i < 15; ++i) {
        const Fetched f = get_jwks();
        const bool good = f.status == 200 &&
                          !boost::json::parse(f.body).as_object().at("keys").as_array().empty();
        (good ? ok : bad)++;
      }
    });
  }
  auto other = open_another();
  for (int r = 1; r <= 3; ++r) {
    ASSERT_TRUE(SigningKeyStore(*other, *kek_).rotate(kT0 + r, kLifetime));
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 60);
  EXPECT_EQ(bad.load(), 0);
  now_ = kT0 + 3;                         // every rotation's keys are published (created_at) by now
  EXPECT_EQ(kids_of(jwks()).size(), 8u);  // the first keys and three rotations, none expired
}

TEST_P(JwksRouteTest, WrongKekStopsRegistration) {
  IdentityOptions o = options();
  o.key_encryption = std::make_shared<const KeyEncryption>(crypto::random_bytes(32));
  auto st = register_routes(router_, db(), *renderer_, *errors_, std::move(o));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().user_key, "identity.keys.unreadable");
  EXPECT_TRUE(router_.routes().empty());

  IdentityOptions none = options();
  none.key_encryption = nullptr;
  st = register_routes(router_, db(), *renderer_, *errors_, std::move(none));
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().user_key, "identity.keys.invalid");
  EXPECT_TRUE(router_.routes().empty());
}

ZOCALO_INSTANTIATE_DB_TEST(JwksRouteTest);

}  // namespace
}  // namespace zocalo::identity
