#include "identity/store/signing_key_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <string>
#include <thread>
#include <vector>

#include "db_fixture.hpp"
#include "identity/jose/jwt.hpp"
#include "identity/store/audit_log.hpp"
#include "platform/core/crypto.hpp"

namespace zocalo::identity {
namespace {

using jose::Algorithm;

constexpr std::int64_t kT0 = 1'790'000'000;
constexpr std::int64_t kLifetime = 3600 + 60;  // an hour's tokens plus a minute of leeway

struct StoredKey {
  std::string kid, alg, sealed;
  long long activated_at = 0;
  std::optional<long long> retired_at, expires_at;
};

class SigningKeyStoreTest : public testing::DbTest {
 protected:
  SigningKeyStore store() { return SigningKeyStore(db(), kek_); }

  std::vector<StoredKey> rows(db::Database& on) {
    std::vector<StoredKey> out;
    EXPECT_TRUE(on.read([&](soci::session& sql) -> Status {
      soci::rowset<soci::row> rs =
          (sql.prepare << "SELECT kid, alg, sealed_private_key, activated_at, retired_at, "
                          "expires_at FROM signing_keys ORDER BY id");
      for (const soci::row& r : rs) {
        StoredKey k{r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2)};
        k.activated_at = r.get<long long>(3);
        if (r.get_indicator(4) == soci::i_ok) k.retired_at = r.get<long long>(4);
        if (r.get_indicator(5) == soci::i_ok) k.expires_at = r.get<long long>(5);
        out.push_back(std::move(k));
      }
      return {};
    }));
    return out;
  }
  std::vector<StoredKey> rows() { return rows(db()); }

  // Audit rows with this action, oldest first.
  std::vector<std::string> audit_details(const std::string& action) {
    std::vector<std::string> out;
    EXPECT_TRUE(db().read([&](soci::session& sql) -> Status {
      soci::rowset<soci::row> rs =
          (sql.prepare << "SELECT detail FROM audit_log WHERE action = :a ORDER BY id",
           soci::use(action));
      for (const soci::row& r : rs) out.push_back(r.get<std::string>(0));
      return {};
    }));
    return out;
  }

  static std::size_t published(const jose::KeySet& set, std::int64_t now) {
    return set.jwks(now).at("keys").as_array().size();
  }

  const KeyEncryption kek_{crypto::random_bytes(32)};
};

TEST_P(SigningKeyStoreTest, EnsureKeysCreatesOneSigningKeyPerAlgorithmOnce) {
  ASSERT_TRUE(store().ensure_keys(kT0, kLifetime));
  ASSERT_TRUE(store().ensure_keys(kT0 + 10, kLifetime));  // keys exist: nothing happens
  const auto stored = rows();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].alg, "RS256");
  EXPECT_EQ(stored[1].alg, "ES256");

  auto set = store().load();
  ASSERT_TRUE(set) << set.error().detail;
  for (Algorithm alg : jose::kAllAlgorithms) {
    auto key = set->current_signing_key(alg, kT0);
    ASSERT_TRUE(key) << jose::algorithm_name(alg);
    EXPECT_TRUE(key->can_sign());
  }
  EXPECT_EQ(published(*set, kT0), 2u);

  const auto created = audit_details("keys.created");
  ASSERT_EQ(created.size(), 1u);
  const auto detail = boost::json::parse(created[0]).as_object();
  EXPECT_EQ(detail.at("added").as_array().size(), 2u);
  EXPECT_TRUE(AuditLog(db()).verify()->ok);
}

TEST_P(SigningKeyStoreTest, PrivateKeysAreSealedAtRest) {
  ASSERT_TRUE(store().ensure_keys(kT0, kLifetime));
  for (const auto& k : rows()) {
    EXPECT_TRUE(k.sealed.starts_with("v1.")) << k.kid;
    EXPECT_EQ(k.sealed.find("PRIVATE KEY"), std::string::npos);
    EXPECT_EQ(k.sealed.find("MII"), std::string::npos);  // no bare DER/PEM body either
  }
}

TEST_P(SigningKeyStoreTest, TwoNodesStartingAtOnceCreateOneKeyPerAlgorithm) {
  auto other = open_another();
  const KeyEncryption& kek = kek_;
  // Eight starts at once, four per node, released together.
  auto start_all = [&] {
    constexpr int kStarts = 8;
    std::vector<Status> results(kStarts);
    std::atomic<int> waiting{kStarts};
    std::vector<std::thread> threads;
    for (int i = 0; i < kStarts; ++i) {
      db::Database& on = i % 2 == 0 ? db() : *other;
      threads.emplace_back([&on, &kek, &results, &waiting, i] {
        waiting--;
        while (waiting.load() > 0) std::this_thread::yield();
        results[i] = SigningKeyStore(on, kek).ensure_keys(kT0, kLifetime);
      });
    }
    for (auto& t : threads) t.join();
    for (const auto& r : results) EXPECT_TRUE(r) << r.error().detail;
  };
  start_all();
  const auto stored = rows();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_NE(stored[0].alg, stored[1].alg);
  EXPECT_EQ(audit_details("keys.created").size(), 1u);

  // A P-256 key is generated in well under a millisecond, so with only ES256 missing every
  // start reaches the insert at about the same moment: the case the lock is for.
  for (int round = 0; round < 5; ++round) {
    ASSERT_TRUE(db().transaction([](soci::session& sql) -> Status {
      sql << "DELETE FROM signing_keys WHERE alg = 'ES256'";
      return {};
    }));
    start_all();
    const auto now_stored = rows();
    ASSERT_EQ(now_stored.size(), 2u) << "round " << round;
    EXPECT_EQ(now_stored[1].alg, "ES256");
  }
}

TEST_P(SigningKeyStoreTest, RotationIsStoredAndJwksKeepsOldKeysUntilTheyExpire) {
  ASSERT_TRUE(store().ensure_keys(kT0, kLifetime));
  auto before = store().load();
  ASSERT_TRUE(before);
  const std::string old_rs = before->current_signing_key(Algorithm::kRs256, kT0)->kid();
  const std::string old_es = before->current_signing_key(Algorithm::kEs256, kT0)->kid();

  const std::int64_t t1 = kT0 + 86'400;
  KeyRotationOptions by_staff;
  by_staff.actor_kind = ActorKind::kStaff;
  by_staff.actor_id = "42";
  auto rotated = store().rotate(t1, kLifetime, by_staff);
  ASSERT_TRUE(rotated) << rotated.error().detail;

  // What rotate() returned is what another node loads.
  auto loaded = SigningKeyStore(*open_another(), kek_).load();
  ASSERT_TRUE(loaded) << loaded.error().detail;
  ASSERT_EQ(loaded->records().size(), 4u);
  const std::string new_rs = loaded->current_signing_key(Algorithm::kRs256, t1)->kid();
  const std::string new_es = loaded->current_signing_key(Algorithm::kEs256, t1)->kid();
  EXPECT_NE(new_rs, old_rs);
  EXPECT_NE(new_es, old_es);
  EXPECT_EQ(rotated->current_signing_key(Algorithm::kRs256, t1)->kid(), new_rs);

  // Old and new are published while the old keys' last tokens may still be valid.
  EXPECT_EQ(published(*loaded, t1), 4u);
  EXPECT_TRUE(loaded->verification_key(old_rs, t1 + kLifetime - 1));
  for (const auto& k : rows()) {
    if (k.kid == old_rs || k.kid == old_es) {
      EXPECT_EQ(k.retired_at, t1);
      EXPECT_EQ(k.expires_at, t1 + kLifetime);
    } else {
      EXPECT_FALSE(k.retired_at);
      EXPECT_FALSE(k.expires_at);
    }
  }
  // Then only the new ones.
  const auto after_expiry = loaded->jwks(t1 + kLifetime).at("keys").as_array();
  ASSERT_EQ(after_expiry.size(), 2u);
  for (const auto& jwk : after_expiry) {
    const auto kid = jwk.as_object().at("kid").as_string();
    EXPECT_TRUE(kid == new_rs || kid == new_es) << kid;
  }

  const auto details = audit_details("keys.rotated");
  ASSERT_EQ(details.size(), 1u);
  const auto detail = boost::json::parse(details[0]).as_object();
  EXPECT_EQ(detail.at("added").as_array().size(), 2u);
  EXPECT_EQ(detail.at("retired").as_array().size(), 2u);
  EXPECT_TRUE(detail.at("removed").as_array().empty());
  EXPECT_NE(details[0].find(old_rs), std::string::npos);
  EXPECT_EQ(details[0].find("PRIVATE"), std::string::npos);
  EXPECT_TRUE(AuditLog(db()).verify()->ok);
}

TEST_P(SigningKeyStoreTest, NextRotationDeletesExpiredKeys) {
  ASSERT_TRUE(store().ensure_keys(kT0, kLifetime));
  const std::int64_t t1 = kT0 + 86'400;
  ASSERT_TRUE(store().rotate(t1, kLifetime));
  const std::int64_t t2 = t1 + kLifetime;  // the first keys have just expired
  auto rotated = store().rotate(t2, kLifetime);
  ASSERT_TRUE(rotated) << rotated.error().detail;
  EXPECT_EQ(rows().size(), 4u);  // the second generation (retired now) and the third
  EXPECT_EQ(rotated->records().size(), 4u);
  const auto details = audit_details("keys.rotated");
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(boost::json::parse(details[1]).at("removed").as_array().size(), 2u);
}

TEST_P(SigningKeyStoreTest, PublishedAheadKeysAppearBeforeTheySign) {
  ASSERT_TRUE(store().ensure_keys(kT0, kLifetime));
  const std::int64_t t1 = kT0 + 86'400;
  KeyRotationOptions ahead;
  ahead.publish_ahead = 600;
  auto rotated = store().rotate(t1, kLifetime, ahead);
  ASSERT_TRUE(rotated);
  auto set = store().load();
  ASSERT_TRUE(set);
  const auto old_rs = set->current_signing_key(Algorithm::kRs256, kT0)->kid();
  EXPECT_EQ(published(*set, t1), 4u);
  EXPECT_EQ(set->current_signing_key(Algorithm::kRs256, t1 + 599)->kid(), old_rs);
  EXPECT_NE(set->current_signing_key(Algorithm::kRs256, t1 + 600)->kid(), old_rs);
}

TEST_P(SigningKeyStoreTest, EnsureKeysBridgesTheGapBeforeAPublishedAheadKey) {
  // A first rotation with publish_ahead on an empty store leaves nothing signing until t0+600.
  KeyRotationOptions ahead;
  ahead.publish_ahead = 600;
  ASSERT_TRUE(store().rotate(kT0, kLifetime, ahead));
  ASSERT_TRUE(store().ensure_keys(kT0, kLifetime));
  auto set = store().load();
  ASSERT_TRUE(set);
  ASSERT_EQ(set->records().size(), 4u);
  const auto bridge = set->current_signing_key(Algorithm::kEs256, kT0);
  ASSERT_TRUE(bridge);
  const auto later = set->current_signing_key(Algorithm::kEs256, kT0 + 600);
  ASSERT_TRUE(later);
  EXPECT_NE(bridge->kid(), later->kid());
  // The bridge retires when the published-ahead key starts and leaves with its last tokens.
  EXPECT_TRUE(set->verification_key(bridge->kid(), kT0 + 600 + kLifetime - 1));
  EXPECT_FALSE(set->verification_key(bridge->kid(), kT0 + 600 + kLifetime));
}

TEST_P(SigningKeyStoreTest, LoadingWithAnotherKekFailsClearly) {
  ASSERT_TRUE(store().ensure_keys(kT0, kLifetime));
  const KeyEncryption wrong(crypto::random_bytes(32));
  SigningKeyStore with_wrong(db(), wrong);
  auto loaded = with_wrong.load();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().kind, ErrorKind::kInternal);
  EXPECT_EQ(loaded.error().user_key, "identity.keys.unreadable");
  EXPECT_NE(loaded.error().detail.find("key-encryption key"), std::string::npos);

  // A rotation under the wrong KEK changes nothing.
  auto rotated = with_wrong.rotate(kT0 + 86'400, kLifetime);
  ASSERT_FALSE(rotated);
  EXPECT_EQ(rotated.error().user_key, "identity.keys.unreadable");
  EXPECT_EQ(rows().size(), 2u);
  EXPECT_TRUE(audit_details("keys.rotated").empty());

  // Nor does a start that would add a key: nothing sealed under two KEKs.
  ASSERT_TRUE(db().transaction([](soci::session& sql) -> Status {
    sql << "DELETE FROM signing_keys WHERE alg = 'ES256'";
    return {};
  }));
  const Status started = with_wrong.ensure_keys(kT0, kLifetime);
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error().user_key, "identity.keys.unreadable");
  EXPECT_EQ(rows().size(), 1u);
  EXPECT_TRUE(store().load());
}

TEST_P(SigningKeyStoreTest, SealedKeyMovedToAnotherRowIsRejected) {
  ASSERT_TRUE(store().ensure_keys(kT0, kLifetime));
  const auto stored = rows();
  ASSERT_EQ(stored.size(), 2u);
  // Someone with write access to the table swaps the two sealed keys.
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    sql << "UPDATE signing_keys SET sealed_private_key = :s WHERE kid = :k",
        soci::use(stored[1].sealed), soci::use(stored[0].kid);
    sql << "UPDATE signing_keys SET sealed_private_key = :s WHERE kid = :k",
        soci::use(stored[0].sealed), soci::use(stored[1].kid);
    return {};
  }));
  auto loaded = store().load();
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().user_key, "identity.keys.unreadable");
}

TEST_P(SigningKeyStoreTest, KeysSignAfterAReload) {
  ASSERT_TRUE(store().ensure_keys(kT0, kLifetime));
  auto set = store().load();
  ASSERT_TRUE(set);
  auto again = store().load();
  ASSERT_TRUE(again);
  for (Algorithm alg : jose::kAllAlgorithms) {
    const auto key = set->current_signing_key(alg, kT0);
    const std::string token = jose::sign_jwt(
        *key, {{"iss", "https://llave.example"}, {"sub", "abc"}, {"iat", kT0}, {"exp", kT0 + 300}});
    jose::VerifyOptions opts;
    opts.now = kT0;
    opts.issuer = "https://llave.example";
    auto claims = jose::verify_jwt(token, again->lookup_at(kT0), opts);
    EXPECT_TRUE(claims) << claims.error().detail;
  }
}

TEST_P(SigningKeyStoreTest, NegativeDurationsAreRejected) {
  EXPECT_EQ(store().ensure_keys(kT0, -1).error().user_key, "identity.keys.invalid");
  EXPECT_EQ(store().rotate(kT0, -1).error().user_key, "identity.keys.invalid");
  KeyRotationOptions ahead;
  ahead.publish_ahead = -5;
  EXPECT_EQ(store().rotate(kT0, kLifetime, ahead).error().user_key, "identity.keys.invalid");
  EXPECT_TRUE(rows().empty());
}

ZOCALO_INSTANTIATE_DB_TEST(SigningKeyStoreTest);

}  // namespace
}  // namespace zocalo::identity
