#include "identity/store/demo_accounts.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/staff_role_store.hpp"

namespace zocalo::identity {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;

class DemoAccountsTest : public testing::DbTest {};

TEST_P(DemoAccountsTest, SeedsTheDocumentedPeopleOnce) {
  const PasswordHasher hasher(Argon2idParams::interactive());
  ASSERT_TRUE(seed_demo_accounts(db(), hasher, kNow));
  ASSERT_TRUE(seed_demo_accounts(db(), hasher, kNow + 1));  // idempotent
  AccountStore accounts(db());
  auto resident = accounts.find_by_email("residente@demo.zocalo.mx");
  ASSERT_TRUE(resident && *resident);
  EXPECT_EQ((*resident)->loa, LevelOfAssurance::kCurpValidated);
  EXPECT_TRUE(hasher.verify(*(*resident)->password_hash, "Llave-Demo-2026"));
  EXPECT_TRUE(StaffRoleStore(db()).roles_of((*resident)->id)->empty());

  auto admin = accounts.find_by_email("admin@demo.zocalo.mx");
  ASSERT_TRUE(admin && *admin);
  auto roles = StaffRoleStore(db()).roles_of((*admin)->id);
  EXPECT_TRUE(roles->is_admin());
  EXPECT_TRUE(roles->has(Role::kVerifier));
  EXPECT_TRUE(hasher.verify(*(*admin)->password_hash, "Admin-Demo-2026"));

  auto operator_account = accounts.find_by_email("operador@demo.zocalo.mx");
  ASSERT_TRUE(operator_account && *operator_account);
  EXPECT_EQ((*operator_account)->loa, LevelOfAssurance::kContactVerified);
  EXPECT_TRUE(StaffRoleStore(db()).roles_of((*operator_account)->id)->has(Role::kOperator));
  int count = 0;
  db().with_session(
      [&](soci::session& sql) { sql << "SELECT count(*) FROM accounts", soci::into(count); });
  EXPECT_EQ(count, 3);
}

ZOCALO_INSTANTIATE_DB_TEST(DemoAccountsTest);

}  // namespace
}  // namespace zocalo::identity
