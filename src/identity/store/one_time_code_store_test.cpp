#include "identity/store/one_time_code_store.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "identity/store/account_store.hpp"

namespace zocalo::identity {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;

class OneTimeCodeStoreTest : public testing::DbTest {
 protected:
  long long account(const std::string& email) {
    NewAccount a;
    a.email = email;
    a.given_name = "Ana";
    auto created = AccountStore(db()).create(a, kNow);
    EXPECT_TRUE(created) << created.error().detail;
    return created ? created->id : 0;
  }
  template <class F>
  auto tx(F&& fn) {
    std::optional<decltype(fn(std::declval<soci::session&>()))> out;
    const Status st = db().transaction([&](soci::session& sql) -> Status {
      out.emplace(fn(sql));
      return {};
    });
    EXPECT_TRUE(st) << st.error().detail;
    return std::move(*out);
  }
};

TEST_P(OneTimeCodeStoreTest, LinkIsSingleUseAndBoundToItsAccount) {
  const long long ana = account("ana@example.mx");
  auto token = tx([&](auto& sql) {
    return OneTimeCodeStore::issue(sql, ana, CodePurpose::kEmailVerify, kNow);
  });
  ASSERT_TRUE(token);
  EXPECT_EQ(token->size(), 43u);
  // The wrong purpose does not use it.
  auto wrong = tx([&](auto& sql) {
    return OneTimeCodeStore::use_link(sql, CodePurpose::kPasswordReset, *token, kNow);
  });
  ASSERT_TRUE(wrong);
  EXPECT_FALSE(wrong->has_value());
  auto used = tx([&](auto& sql) {
    return OneTimeCodeStore::use_link(sql, CodePurpose::kEmailVerify, *token, kNow + 10);
  });
  ASSERT_TRUE(used);
  EXPECT_EQ(*used, std::optional<long long>(ana));
  auto again = tx([&](auto& sql) {
    return OneTimeCodeStore::use_link(sql, CodePurpose::kEmailVerify, *token, kNow + 20);
  });
  EXPECT_FALSE(again->has_value());
}

TEST_P(OneTimeCodeStoreTest, LinkExpiresAfterADay) {
  const long long ana = account("ana@example.mx");
  auto token = tx([&](auto& sql) {
    return OneTimeCodeStore::issue(sql, ana, CodePurpose::kEmailVerify, kNow);
  });
  auto late = tx([&](auto& sql) {
    return OneTimeCodeStore::use_link(sql, CodePurpose::kEmailVerify, *token, kNow + 86'400);
  });
  EXPECT_FALSE(late->has_value());
  auto garbage = tx([&](auto& sql) {
    return OneTimeCodeStore::use_link(sql, CodePurpose::kEmailVerify, "nope", kNow);
  });
  EXPECT_FALSE(garbage->has_value());
}

TEST_P(OneTimeCodeStoreTest, CodeAllowsFiveAttemptsThenDies) {
  const long long ana = account("ana@example.mx");
  auto code = tx([&](auto& sql) {
    return OneTimeCodeStore::issue(sql, ana, CodePurpose::kPhoneVerify, kNow);
  });
  ASSERT_TRUE(code);
  ASSERT_EQ(code->size(), 6u);
  const std::string wrong = (*code)[0] == '0' ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) {
    auto r = tx([&](auto& sql) {
      return OneTimeCodeStore::check(sql, ana, CodePurpose::kPhoneVerify, wrong, kNow);
    });
    EXPECT_EQ(*r, CodeCheck::kWrong);
  }
  auto right = tx([&](auto& sql) {
    return OneTimeCodeStore::check(sql, ana, CodePurpose::kPhoneVerify, *code, kNow);
  });
  EXPECT_EQ(*right, CodeCheck::kNoCode);
}

TEST_P(OneTimeCodeStoreTest, RightCodeWorksOnceAndOnlyBeforeExpiry) {
  const long long ana = account("ana@example.mx");
  const long long bea = account("bea@example.mx");
  auto code = tx([&](auto& sql) {
    return OneTimeCodeStore::issue(sql, ana, CodePurpose::kPasswordReset, kNow);
  });
  ASSERT_EQ(code->size(), 8u);
  // Someone else's code is not this account's.
  EXPECT_EQ(*tx([&](auto& sql) {
    return OneTimeCodeStore::check(sql, bea, CodePurpose::kPasswordReset, *code, kNow);
  }),
            CodeCheck::kNoCode);
  EXPECT_TRUE(*tx([&](auto& sql) {
    return OneTimeCodeStore::has_live(sql, ana, CodePurpose::kPasswordReset, kNow);
  }));
  EXPECT_EQ(*tx([&](auto& sql) {
    return OneTimeCodeStore::check(sql, ana, CodePurpose::kPasswordReset, *code, kNow + 900);
  }),
            CodeCheck::kNoCode);  // 15 minutes are over
  EXPECT_EQ(*tx([&](auto& sql) {
    return OneTimeCodeStore::check(sql, ana, CodePurpose::kPasswordReset, *code, kNow + 899);
  }),
            CodeCheck::kOk);
  EXPECT_EQ(*tx([&](auto& sql) {
    return OneTimeCodeStore::check(sql, ana, CodePurpose::kPasswordReset, *code, kNow + 899);
  }),
            CodeCheck::kNoCode);
  EXPECT_FALSE(*tx([&](auto& sql) {
    return OneTimeCodeStore::has_live(sql, ana, CodePurpose::kPasswordReset, kNow);
  }));
}

TEST_P(OneTimeCodeStoreTest, ANewCodeEndsTheEarlierOne) {
  const long long ana = account("ana@example.mx");
  auto first = tx(
      [&](auto& sql) { return OneTimeCodeStore::issue(sql, ana, CodePurpose::kSigninSms, kNow); });
  auto second = tx([&](auto& sql) {
    return OneTimeCodeStore::issue(sql, ana, CodePurpose::kSigninSms, kNow + 1);
  });
  if (*first != *second) {
    EXPECT_EQ(*tx([&](auto& sql) {
      return OneTimeCodeStore::check(sql, ana, CodePurpose::kSigninSms, *first, kNow);
    }),
              CodeCheck::kWrong);
  }
  EXPECT_EQ(*tx([&](auto& sql) {
    return OneTimeCodeStore::check(sql, ana, CodePurpose::kSigninSms, *second, kNow);
  }),
            CodeCheck::kOk);
  auto purged = tx([&](auto& sql) { return OneTimeCodeStore::purge(sql, kNow + 10'000, 0); });
  ASSERT_TRUE(purged);
  EXPECT_EQ(*purged, 2);
}

ZOCALO_INSTANTIATE_DB_TEST(OneTimeCodeStoreTest);

}  // namespace
}  // namespace zocalo::identity
