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

TEST_P(DemoAccountsTest, SeedsAgencyStaffScopedToTheirAgencies) {
  db().with_session([&](soci::session& sql) {
    sql << "INSERT INTO agencies (code, name_es, name_en, kind) VALUES ('sacmex', 'Agua', 'Water', "
           "'city')";
    sql << "INSERT INTO agencies (code, name_es, name_en, kind) VALUES ('alcaldia-09015', "
           "'Cuauhtémoc', 'Cuauhtémoc', 'alcaldia')";
  });
  long long sacmex = 0, cuauhtemoc = 0;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT id FROM agencies WHERE code = 'sacmex'", soci::into(sacmex);
    sql << "SELECT id FROM agencies WHERE code = 'alcaldia-09015'", soci::into(cuauhtemoc);
  });
  const PasswordHasher hasher(Argon2idParams::interactive());
  ASSERT_TRUE(seed_demo_accounts(db(), hasher, kNow));
  AccountStore accounts(db());
  const auto roles_of = [&](const char* email) {
    auto account = accounts.find_by_email(email);
    EXPECT_TRUE(account && *account) << email;
    return *StaffRoleStore(db()).roles_of((*account)->id);
  };
  for (const char* email : {"agua@demo.zocalo.mx", "fugas@demo.zocalo.mx"}) {
    const StaffRoles roles = roles_of(email);
    EXPECT_TRUE(roles.works_for(sacmex)) << email;
    EXPECT_FALSE(roles.works_for(cuauhtemoc)) << email;
    EXPECT_FALSE(roles.is_admin()) << email;
  }
  const StaffRoles borough = roles_of("cuauhtemoc@demo.zocalo.mx");
  EXPECT_TRUE(borough.works_for(cuauhtemoc));
  EXPECT_FALSE(borough.works_for(sacmex));
  auto agua = accounts.find_by_email("agua@demo.zocalo.mx");
  EXPECT_TRUE(hasher.verify(*(*agua)->password_hash, "Agua-Demo-2026"));
  auto alcaldia = accounts.find_by_email("cuauhtemoc@demo.zocalo.mx");
  EXPECT_TRUE(hasher.verify(*(*alcaldia)->password_hash, "Cuauhtemoc-Demo-2026"));
}

ZOCALO_INSTANTIATE_DB_TEST(DemoAccountsTest);

}  // namespace
}  // namespace zocalo::identity
