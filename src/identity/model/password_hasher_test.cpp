#include "identity/model/password_hasher.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <chrono>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace zocalo::identity {
namespace {

using namespace std::string_view_literals;

// Cheap parameters so the behavioural tests run in microseconds; production cost is measured
// once, below.
constexpr Argon2idParams kFast{1, 64 * 1024};

TEST(PasswordHasherTest, VerifiesTheRightPasswordOnly) {
  const PasswordHasher hasher(kFast);
  struct Case {
    std::string_view password;
    std::string_view attempt;
    bool match;
  };
  const Case cases[] = {
      {"tortuga de chapultepec", "tortuga de chapultepec", true},
      {"tortuga de chapultepec", "Tortuga de chapultepec", false},  // case matters
      {"tortuga de chapultepec", "tortuga de chapultepec ", false},
      {"tortuga de chapultepec", "", false},
      {"ñandú pequeño", "ñandú pequeño", true},
      {"ñandú pequeño", "n\u0303andu\u0301 pequen\u0303o", false},  // same text, NFD bytes
      {"abc\0def"sv, "abc\0def"sv, true},  // every byte counts, NULs included
      {"abc\0def"sv, "abc\0xyz"sv, false},
      {"", "", true},  // the policy forbids it; the hasher does not care
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.password) + " / " + std::string(c.attempt));
    auto encoded = hasher.hash(c.password);
    ASSERT_TRUE(encoded) << encoded.error().detail;
    EXPECT_EQ(hasher.verify(*encoded, c.attempt), c.match);
  }
}

TEST(PasswordHasherTest, WritesArgon2idPhcStringsWithFreshSalt) {
  const PasswordHasher hasher(kFast);
  auto a = hasher.hash("ajolotes azules");
  auto b = hasher.hash("ajolotes azules");
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_TRUE(a->starts_with("$argon2id$v=19$m=64,t=1,p=1$")) << *a;
  EXPECT_NE(*a, *b);  // random salt: equal passwords never show as equal hashes
  EXPECT_TRUE(hasher.verify(*a, "ajolotes azules"));
  EXPECT_TRUE(hasher.verify(*b, "ajolotes azules"));
  EXPECT_EQ(a->find("ajolotes"), std::string::npos);
}

TEST(PasswordHasherTest, VerifyRejectsWhatIsNotOurHash) {
  const PasswordHasher hasher(kFast);
  auto good = hasher.hash("nopal verde");
  ASSERT_TRUE(good);
  std::string argon2i = *good;
  argon2i.replace(0, 10, "$argon2i$");
  std::string tampered = *good;
  tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
  const std::string cases[] = {
      "",
      "nopal verde",
      "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",  // bcrypt
      argon2i,
      tampered,
      good->substr(0, good->size() - 5),
      *good + std::string("\0trailing", 9),  // libsodium would stop reading at the NUL
      *good + std::string(200, 'A'),
  };
  for (const auto& encoded : cases) {
    SCOPED_TRACE(encoded);
    EXPECT_FALSE(hasher.verify(encoded, "nopal verde"));
  }
}

TEST(PasswordHasherTest, NeedsRehashWhenParametersChange) {
  const PasswordHasher fast(kFast);
  auto encoded = fast.hash("chile en nogada");
  ASSERT_TRUE(encoded);
  EXPECT_FALSE(fast.needs_rehash(*encoded));

  struct Case {
    Argon2idParams params;
    bool rehash;
  };
  const Case cases[] = {
      {kFast, false},
      {{2, kFast.memlimit}, true},
      {{kFast.opslimit, 128 * 1024}, true},
      {Argon2idParams::production(), true},
  };
  for (const auto& c : cases) {
    const PasswordHasher other(c.params);
    EXPECT_EQ(other.needs_rehash(*encoded), c.rehash);
    // Old hashes keep verifying whatever the current parameters are.
    EXPECT_TRUE(other.verify(*encoded, "chile en nogada"));
  }
  EXPECT_TRUE(fast.needs_rehash(""));
  EXPECT_TRUE(fast.needs_rehash("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"));
}

TEST(PasswordHasherTest, DummyVerifyNeverSucceeds) {
  const PasswordHasher hasher(kFast);
  for (std::string_view pw : {"", "tortuga de chapultepec", "$argon2id$v=19$m=64,t=1,p=1$"}) {
    EXPECT_FALSE(hasher.dummy_verify(pw));
  }
}

TEST(PasswordHasherTest, ParametersAreCheckedUpFront) {
  EXPECT_THROW(PasswordHasher({0, kFast.memlimit}), std::invalid_argument);
  EXPECT_THROW(PasswordHasher({1, 1024}), std::invalid_argument);
  EXPECT_NO_THROW(PasswordHasher({1, crypto_pwhash_argon2id_MEMLIMIT_MIN}));
}

TEST(PasswordHasherTest, DefaultsAreTheDocumentedOnes) {
  EXPECT_EQ(PasswordHasher().params(), Argon2idParams::production());
  EXPECT_EQ(Argon2idParams::production().opslimit, 3u);
  EXPECT_EQ(Argon2idParams::production().memlimit, 64u * 1024 * 1024);
  EXPECT_EQ(Argon2idParams::interactive().opslimit, crypto_pwhash_OPSLIMIT_INTERACTIVE);
  EXPECT_EQ(Argon2idParams::interactive().memlimit, crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

// Not a benchmark (bench/ has those) and nothing is asserted about time: it records what one
// hash, verify and dummy verify cost with the production parameters on the machine running the
// tests, in the output and as test properties.
TEST(PasswordHasherTest, ReportsProductionCost) {
  const PasswordHasher hasher;
  using Clock = std::chrono::steady_clock;
  const auto ms = [](Clock::duration d) {
    return std::chrono::duration<double, std::milli>(d).count();
  };

  auto t0 = Clock::now();
  auto encoded = hasher.hash("tortuga de chapultepec");
  const double hash_ms = ms(Clock::now() - t0);
  ASSERT_TRUE(encoded) << encoded.error().detail;
  EXPECT_TRUE(encoded->starts_with("$argon2id$v=19$m=65536,t=3,p=1$")) << *encoded;

  t0 = Clock::now();
  EXPECT_TRUE(hasher.verify(*encoded, "tortuga de chapultepec"));
  const double verify_ms = ms(Clock::now() - t0);

  t0 = Clock::now();
  EXPECT_FALSE(hasher.dummy_verify("tortuga de chapultepec"));
  const double dummy_ms = ms(Clock::now() - t0);

  std::cout << "argon2id t=3 m=64MiB: hash " << hash_ms << " ms, verify " << verify_ms
            << " ms, dummy_verify " << dummy_ms << " ms\n";
  RecordProperty("hash_ms", std::to_string(hash_ms));
  RecordProperty("verify_ms", std::to_string(verify_ms));
  RecordProperty("dummy_verify_ms", std::to_string(dummy_ms));
}

}  // namespace
}  // namespace zocalo::identity
