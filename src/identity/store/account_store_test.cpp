#include "identity/store/account_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "db_fixture.hpp"
#include "identity/model/curp.hpp"

namespace zocalo::identity {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;

// A CURP with a correct check digit for the 17 characters given (tests need several).
std::string curp_from(const std::string& first17) {
  for (char d = '0'; d <= '9'; ++d) {
    if (parse_curp(first17 + d)) return first17 + d;
  }
  ADD_FAILURE() << "no check digit makes a CURP of " << first17;
  return {};
}

NewAccount resident(std::string email, std::string given = "Ana", std::string family = "López") {
  NewAccount a;
  a.email = std::move(email);
  a.given_name = std::move(given);
  a.family_name = std::move(family);
  return a;
}

std::vector<std::string> emails_of(const std::vector<Account>& accounts) {
  std::vector<std::string> out;
  for (const auto& a : accounts) out.push_back(a.email.value_or(a.phone.value_or("?")));
  std::sort(out.begin(), out.end());
  return out;
}

class AccountStoreTest : public testing::DbTest {
 protected:
  Account make(const NewAccount& a) {
    auto created = AccountStore(db()).create(a, kNow);
    EXPECT_TRUE(created) << created.error().detail;
    return created ? *created : Account{};
  }

  Status in_tx(const std::function<Status(soci::session&)>& fn) { return db().transaction(fn); }
};

TEST_P(AccountStoreTest, CreatesAndFindsByEveryIdentifier) {
  NewAccount a;
  a.email = " Ana.Lopez@Example.MX ";
  a.phone = "+52 55 1234 5678";
  a.curp = "hegg560427mvzrrl04";
  a.given_name = "Ana";
  a.family_name = "López Hernández";
  a.birth_date = "1956-04-27";
  a.address = R"({"locality":"Ciudad de México","postal_code":"06000"})";
  a.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA";
  const Account created = make(a);
  ASSERT_GT(created.id, 0);
  EXPECT_EQ(created.subject.size(), 22u);
  EXPECT_EQ(created.email, "ana.lopez@example.mx");
  EXPECT_EQ(created.phone, "+525512345678");
  EXPECT_EQ(created.curp, "HEGG560427MVZRRL04");
  EXPECT_EQ(created.family_name, "López Hernández");
  EXPECT_EQ(created.birth_date, "1956-04-27");
  EXPECT_EQ(created.address, a.address);
  EXPECT_EQ(created.password_hash, a.password_hash);
  EXPECT_EQ(created.loa, LevelOfAssurance::kUnverified);
  EXPECT_EQ(created.status, AccountStatus::kActive);
  EXPECT_FALSE(created.email_verified_at);
  EXPECT_FALSE(created.curp_validated_at);
  EXPECT_EQ(created.created_at, kNow);
  EXPECT_EQ(created.updated_at, kNow);

  AccountStore store(db());
  auto check = [&](const Result<std::optional<Account>>& found, const char* how) {
    ASSERT_TRUE(found) << how << ": " << found.error().detail;
    ASSERT_TRUE(found->has_value()) << how;
    EXPECT_EQ((*found)->id, created.id) << how;
    EXPECT_EQ((*found)->subject, created.subject) << how;
  };
  check(store.find_by_id(created.id), "id");
  check(store.find_by_subject(created.subject), "subject");
  check(store.find_by_email("ANA.LOPEZ@example.mx"), "email");
  check(store.find_by_phone("+52 (55) 1234-5678"), "phone");
  check(store.find_by_curp("hegg560427mvzrrl04"), "curp");

  for (auto found : {store.find_by_id(created.id + 1000), store.find_by_subject("nobody"),
                     store.find_by_email("otra@example.mx"), store.find_by_email("not an email"),
                     store.find_by_phone("+525500000000"), store.find_by_curp("XX")}) {
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->has_value());
  }
}

TEST_P(AccountStoreTest, SubjectsAreDistinct) {
  const Account a = make(resident("a@example.mx"));
  const Account b = make(resident("b@example.mx"));
  EXPECT_NE(a.subject, b.subject);
}

TEST_P(AccountStoreTest, DuplicateIdentifiersAreOneIndistinctConflict) {
  NewAccount first = resident("ana@example.mx");
  first.phone = "+525512345678";
  first.curp = "HEGG560427MVZRRL04";
  make(first);

  NewAccount same_email = resident("ANA@Example.mx");  // another case is the same address
  NewAccount same_phone = resident("otra@example.mx");
  same_phone.phone = "+52 55 1234 5678";
  NewAccount same_curp = resident("tercera@example.mx");
  same_curp.curp = "hegg560427mvzrrl04";
  for (const NewAccount& dup : {same_email, same_phone, same_curp}) {
    auto r = AccountStore(db()).create(dup, kNow);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::kConflict);
    // One key whatever collided: sign-up must not tell which identifier is registered.
    EXPECT_EQ(r.error().user_key, "identity.account.exists");
  }
}

TEST_P(AccountStoreTest, ConflictLeavesTheCallersTransactionUsable) {
  make(resident("ana@example.mx"));
  long long second = 0;
  ASSERT_TRUE(in_tx([&](soci::session& sql) -> Status {
    auto dup = AccountStore::create(sql, resident("ana@example.mx"), kNow);
    EXPECT_FALSE(dup);
    auto other = AccountStore::create(sql, resident("beto@example.mx"), kNow);
    if (!other) return fail(other.error());
    second = other->id;
    return {};
  }));
  auto found = AccountStore(db()).find_by_email("beto@example.mx");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, second);
}

TEST_P(AccountStoreTest, CreateValidatesItsInput) {
  AccountStore store(db());
  NewAccount none;
  none.given_name = "Sin contacto";
  auto r = store.create(none, kNow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().user_key, "identity.account.contact_required");

  auto bad_email = store.create(resident("ana@"), kNow);
  ASSERT_FALSE(bad_email);
  EXPECT_EQ(bad_email.error().user_key, "identity.email.invalid");

  NewAccount phone_only;
  phone_only.phone = "55 1234 5678";  // no country code
  auto bad_phone = store.create(phone_only, kNow);
  ASSERT_FALSE(bad_phone);
  EXPECT_EQ(bad_phone.error().user_key, "identity.phone.invalid");

  NewAccount bad_curp = resident("c@example.mx");
  bad_curp.curp = "HEGG560427MVZRRL05";
  auto c = store.create(bad_curp, kNow);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().user_key, "identity.curp.check_digit");

  for (auto edit : std::vector<std::function<void(NewAccount&)>>{
           [](NewAccount& a) { a.birth_date = "1990-02-30"; },
           [](NewAccount& a) { a.birth_date = "17/05/1990"; },
           [](NewAccount& a) { a.address = "Calle 5"; },
           [](NewAccount& a) { a.given_name = std::string(201, 'a'); },
           [](NewAccount& a) { a.family_name = "L\x01pez"; },
           [](NewAccount& a) { a.password_hash = ""; }}) {
    NewAccount a = resident("d@example.mx");
    edit(a);
    auto bad = store.create(a, kNow);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().user_key, "identity.account.invalid");
  }

  NewAccount phone_ok;
  phone_ok.phone = "+525598765432";
  EXPECT_TRUE(store.create(phone_ok, kNow));
}

TEST_P(AccountStoreTest, LevelsRiseOneStepAtATime) {
  NewAccount n = resident("ana@example.mx");
  const Account a = make(n);
  const std::string curp = "HEGG560427MVZRRL04";
  AccountStore store(db());
  auto level = [&] { return (*store.find_by_id(a.id))->loa; };

  Status s = in_tx([&](soci::session& sql) {
    return AccountStore::set_curp_validated(sql, a.id, curp, kNow + 1);
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().user_key, "identity.loa.contact_unverified");

  s = in_tx([&](soci::session& sql) { return AccountStore::set_phone_verified(sql, a.id, kNow); });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().user_key, "identity.account.no_phone");

  ASSERT_TRUE(in_tx(
      [&](soci::session& sql) { return AccountStore::set_email_verified(sql, a.id, kNow + 2); }));
  EXPECT_EQ(level(), LevelOfAssurance::kContactVerified);

  s = in_tx(
      [&](soci::session& sql) { return AccountStore::record_loa3(sql, a.id, 7, "INE", kNow + 3); });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().user_key, "identity.loa.curp_unvalidated");

  ASSERT_TRUE(in_tx([&](soci::session& sql) {
    return AccountStore::set_curp_validated(sql, a.id, "hegg560427mvzrrl04", kNow + 4);
  }));
  auto at2 = *store.find_by_id(a.id);
  EXPECT_EQ(at2->loa, LevelOfAssurance::kCurpValidated);
  EXPECT_EQ(at2->curp, curp);
  EXPECT_EQ(at2->curp_validated_at, kNow + 4);
  EXPECT_EQ(acr(at2->loa), "urn:zocalo:loa:2");

  s = in_tx([&](soci::session& sql) {
    return AccountStore::set_curp_validated(sql, a.id, "BOXW310820HNERXN09", kNow + 5);
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().user_key, "identity.curp.already_validated");

  ASSERT_TRUE(in_tx([&](soci::session& sql) {
    return AccountStore::record_loa3(sql, a.id, 7, "INE", kNow + 6);
  }));
  auto at3 = *store.find_by_id(a.id);
  EXPECT_EQ(at3->loa, LevelOfAssurance::kInPerson);
  EXPECT_EQ(at3->loa3_verified_by, 7);
  EXPECT_EQ(at3->loa3_verified_at, kNow + 6);
  EXPECT_EQ(at3->loa3_document, "INE");
  EXPECT_EQ(at3->updated_at, kNow + 6);

  // Verifying a contact again never lowers the level.
  ASSERT_TRUE(in_tx(
      [&](soci::session& sql) { return AccountStore::set_email_verified(sql, a.id, kNow + 7); }));
  EXPECT_EQ(level(), LevelOfAssurance::kInPerson);
}

TEST_P(AccountStoreTest, CurpValidatedOnAnotherAccountIsAConflict) {
  NewAccount first = resident("ana@example.mx");
  first.curp = "HEGG560427MVZRRL04";
  make(first);
  const Account b = make(resident("beto@example.mx"));
  ASSERT_TRUE(
      in_tx([&](soci::session& sql) { return AccountStore::set_email_verified(sql, b.id, kNow); }));
  const Status s = in_tx([&](soci::session& sql) {
    return AccountStore::set_curp_validated(sql, b.id, "HEGG560427MVZRRL04", kNow);
  });
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(s.error().user_key, "identity.account.exists");
}

TEST_P(AccountStoreTest, UnknownAccountIsNotFound) {
  for (auto fn : std::vector<std::function<Status(soci::session&)>>{
           [](soci::session& sql) { return AccountStore::set_email_verified(sql, 999, kNow); },
           [](soci::session& sql) { return AccountStore::set_phone_verified(sql, 999, kNow); },
           [](soci::session& sql) {
             return AccountStore::set_password_hash(sql, 999, "$argon2id$x", kNow);
           },
           [](soci::session& sql) {
             return AccountStore::set_curp_validated(sql, 999, "HEGG560427MVZRRL04", kNow);
           },
           [](soci::session& sql) { return AccountStore::record_loa3(sql, 999, 1, "INE", kNow); },
           [](soci::session& sql) {
             return AccountStore::set_status(sql, 999, AccountStatus::kLocked, kNow);
           }}) {
    const Status s = in_tx(fn);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, ErrorKind::kNotFound);
  }
}

TEST_P(AccountStoreTest, StatusAndPasswordChangesAreStored) {
  const Account a = make(resident("ana@example.mx"));
  ASSERT_TRUE(in_tx([&](soci::session& sql) {
    return AccountStore::set_status(sql, a.id, AccountStatus::kLocked, kNow + 1);
  }));
  ASSERT_TRUE(in_tx([&](soci::session& sql) {
    return AccountStore::set_password_hash(sql, a.id, "$argon2id$v=19$new", kNow + 2);
  }));
  auto found = AccountStore(db()).find_by_id(a.id);
  ASSERT_TRUE(found);
  EXPECT_EQ((*found)->status, AccountStatus::kLocked);
  EXPECT_EQ((*found)->password_hash, "$argon2id$v=19$new");
  EXPECT_EQ((*found)->updated_at, kNow + 2);
}

// --- search ------------------------------------------------------------------------------

class AccountSearchTest : public AccountStoreTest {
 protected:
  void SetUp() override {
    AccountStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    NewAccount jose = resident("jose.nunez@example.mx", "José", "Núñez Ávila");
    jose.curp = curp_from("NUAJ800101HDFXVS0");
    jose.phone = "+525511112222";
    make(jose);
    NewAccount maria = resident("maria@example.mx", "María", "de la O");
    maria.curp = curp_from("OXMA900215MDFXXR0");
    maria.phone = "+525533334444";
    make(maria);
    make(resident("50%off@example.mx", "Cupón", "Uno"));
    make(resident("50xoff@example.mx", "Cupón", "Dos"));
    make(resident("a_b@example.mx", "Guion", "Bajo"));
    make(resident("axb@example.mx", "Equis", "Be"));
    make(resident("back\\slash@example.mx", "Barra", "Invertida"));
    make(resident("backxslash@example.mx", "Barra", "Normal"));
  }

  std::vector<std::string> search(const std::string& prefix, int limit = 100) {
    auto r = AccountStore(db()).search(prefix, limit);
    EXPECT_TRUE(r) << prefix << ": " << r.error().detail;
    return r ? emails_of(*r) : std::vector<std::string>{};
  }
};

TEST_P(AccountSearchTest, FindsByCurpPrefix) {
  EXPECT_EQ(search("NUAJ80"), std::vector<std::string>{"jose.nunez@example.mx"});
  EXPECT_EQ(search("oxma9"), std::vector<std::string>{"maria@example.mx"});
}

TEST_P(AccountSearchTest, FindsByEmailPrefixInAnyCase) {
  EXPECT_EQ(search("JOSE.N"), std::vector<std::string>{"jose.nunez@example.mx"});
  EXPECT_EQ(search("maria@ex"), std::vector<std::string>{"maria@example.mx"});
}

TEST_P(AccountSearchTest, FindsByPhonePrefixWithOrWithoutPlus) {
  EXPECT_EQ(search("+52 55 3333"), std::vector<std::string>{"maria@example.mx"});
  EXPECT_EQ(search("52551111"), std::vector<std::string>{"jose.nunez@example.mx"});
  EXPECT_EQ(search("+5255").size(), 2u);
}

TEST_P(AccountSearchTest, FindsByNameIgnoringAccentsAndCase) {
  EXPECT_EQ(search("jose nu"), std::vector<std::string>{"jose.nunez@example.mx"});
  EXPECT_EQ(search("JOSÉ NÚÑ"), std::vector<std::string>{"jose.nunez@example.mx"});
  EXPECT_EQ(search("Maria de la"), std::vector<std::string>{"maria@example.mx"});
  EXPECT_EQ(search("cupon"), (std::vector<std::string>{"50%off@example.mx", "50xoff@example.mx"}));
}

TEST_P(AccountSearchTest, LikeMetacharactersMatchThemselves) {
  EXPECT_EQ(search("50%"), std::vector<std::string>{"50%off@example.mx"});
  EXPECT_EQ(search("a_"), std::vector<std::string>{"a_b@example.mx"});
  EXPECT_EQ(search("back\\"), std::vector<std::string>{"back\\slash@example.mx"});
  EXPECT_TRUE(search("%%").empty());
  EXPECT_TRUE(search("__").empty());
}

TEST_P(AccountSearchTest, LimitAndPrefixAreBounded) {
  AccountStore store(db());
  for (int bad : {0, -1, 101}) {
    auto r = store.search("cupon", bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().user_key, "identity.search.limit");
  }
  for (const char* bad : {"", "a", "  a  ", "é", "a\nb"}) {
    auto r = store.search(bad, 10);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().user_key, "identity.search.prefix");
  }
  ASSERT_FALSE(store.search(std::string(255, 'a'), 10));
  EXPECT_EQ(search("cupon", 1).size(), 1u);
  // Both "Barra" accounts match twice (name and e-mail "back..."), and are listed once each.
  EXPECT_EQ(search("ba", 100).size(), 2u);
  EXPECT_EQ(search("ba", 1).size(), 1u);
}

// Millions of accounts: every branch of the prefix search must be an index range, never a scan
// of the table. PostgreSQL: with seq scans priced out, any "Seq Scan" left means no index can
// serve the query. SQLite: each branch must read "SEARCH accounts USING [COVERING] INDEX".
TEST_P(AccountSearchTest, PrefixSearchUsesTheIndexes) {
  const std::string prefix = "55";  // a CURP, e-mail, phone and name prefix alike
  std::string plan;
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    if (postgres()) sql << "SET LOCAL enable_seqscan = off";
    auto p = AccountStore::explain_search(sql, db().dialect(), prefix, 20);
    if (!p) return fail(p.error());
    plan = *p;
    return {};
  }));
  SCOPED_TRACE(plan);
  for (const char* index :
       {"accounts_curp", "accounts_email", "accounts_phone", "accounts_name_search"}) {
    EXPECT_NE(plan.find(index), std::string::npos) << index;
  }
  if (postgres()) {
    EXPECT_NE(plan.find("Index"), std::string::npos);
    EXPECT_EQ(plan.find("Seq Scan"), std::string::npos);
    // Each branch is an index range on the prefix (LIKE 'p%' becomes ~>=~ 'p' AND ~<~ 'q')
    // read in index order, so the only sort is the final one by name, over <= 4 * limit rows.
    auto count = [&](const std::string& needle) {
      int n = 0;
      for (auto at = plan.find(needle); at != std::string::npos; at = plan.find(needle, at + 1)) {
        ++n;
      }
      return n;
    };
    EXPECT_EQ(count("~>=~"), 4);
    EXPECT_EQ(count("Sort  ("), 1);
  } else {
    std::istringstream lines(plan);
    int index_searches = 0;
    for (std::string line; std::getline(lines, line);) {
      EXPECT_NE(line.rfind("SCAN accounts", 0), 0u) << line;  // a full scan of the table
      if (line.rfind("SEARCH accounts USING INDEX", 0) == 0 ||
          line.rfind("SEARCH accounts USING COVERING INDEX", 0) == 0) {
        ++index_searches;
      }
    }
    EXPECT_EQ(index_searches, 4);
  }
}

ZOCALO_INSTANTIATE_DB_TEST(AccountStoreTest);
ZOCALO_INSTANTIATE_DB_TEST(AccountSearchTest);

}  // namespace
}  // namespace zocalo::identity
