#include "identity/store/staff_role_store.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "identity/store/account_store.hpp"

namespace zocalo::identity {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;

class StaffRoleStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    NewAccount a;
    a.email = "oficial@cdmx.gob.mx";
    a.given_name = "Luz";
    auto created = AccountStore(db()).create(a, kNow);
    ASSERT_TRUE(created) << created.error().detail;
    account_ = created->id;
    // Two agencies of the city (the portal's demo seeds 36; these tests need two).
    db().with_session([&](soci::session& sql) {
      sql << "INSERT INTO agencies (code, name_es, name_en, kind) VALUES "
             "('obras', 'Obras', 'Works', 'city'), ('agua', 'Agua', 'Water', 'city')";
      sql << "SELECT id FROM agencies WHERE code = 'obras'", soci::into(agency_);
      sql << "SELECT id FROM agencies WHERE code = 'agua'", soci::into(other_agency_);
    });
  }

  Status grant(const RoleGrant& g, long long account = 0) {
    return db().transaction([&](soci::session& sql) {
      return StaffRoleStore::grant(sql, account ? account : account_, g, 1, kNow);
    });
  }
  Status revoke(const RoleGrant& g) {
    return db().transaction(
        [&](soci::session& sql) { return StaffRoleStore::revoke(sql, account_, g); });
  }

  long long account_ = 0;
  long long agency_ = 0;
  long long other_agency_ = 0;
};

TEST_P(StaffRoleStoreTest, GrantedRolesAreWhatTheAccountMayDo) {
  StaffRoleStore store(db());
  EXPECT_TRUE(store.roles_of(account_)->empty());
  ASSERT_TRUE(grant({Role::kAgencyStaff, agency_}));
  ASSERT_TRUE(grant({Role::kOperator, std::nullopt}));
  auto roles = store.roles_of(account_);
  ASSERT_TRUE(roles);
  EXPECT_EQ(roles->grants.size(), 2u);
  EXPECT_TRUE(roles->has(Role::kOperator));
  EXPECT_FALSE(roles->is_admin());
  EXPECT_TRUE(roles->works_for(agency_));
  EXPECT_FALSE(roles->works_for(other_agency_));
  EXPECT_EQ(roles->agencies(), std::vector<long long>{agency_});

  ASSERT_TRUE(grant({Role::kAdmin, std::nullopt}));
  EXPECT_TRUE(store.roles_of(account_)->works_for(other_agency_));
}

TEST_P(StaffRoleStoreTest, GrantingTwiceChangesNothing) {
  ASSERT_TRUE(grant({Role::kVerifier, std::nullopt}));
  ASSERT_TRUE(grant({Role::kVerifier, std::nullopt}));
  EXPECT_EQ(StaffRoleStore(db()).roles_of(account_)->grants.size(), 1u);
  ASSERT_TRUE(grant({Role::kAgencyStaff, agency_}));
  ASSERT_TRUE(grant({Role::kAgencyStaff, other_agency_}));
  EXPECT_EQ(StaffRoleStore(db()).roles_of(account_)->grants.size(), 3u);
}

TEST_P(StaffRoleStoreTest, ScopeMustFitTheRole) {
  Status st = grant({Role::kAgencyStaff, std::nullopt});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().user_key, "identity.role.invalid");
  st = grant({Role::kAdmin, agency_});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().user_key, "identity.role.invalid");
  st = grant({Role::kAgencyStaff, 999999});
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::kNotFound);
  st = grant({Role::kAdmin, std::nullopt}, 999999);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::kNotFound);
  EXPECT_TRUE(StaffRoleStore(db()).roles_of(account_)->empty());
}

TEST_P(StaffRoleStoreTest, RevokeRemovesOnlyThatGrant) {
  ASSERT_TRUE(grant({Role::kAgencyStaff, agency_}));
  ASSERT_TRUE(grant({Role::kAgencyStaff, other_agency_}));
  ASSERT_TRUE(revoke({Role::kAgencyStaff, agency_}));
  auto roles = StaffRoleStore(db()).roles_of(account_);
  EXPECT_EQ(roles->agencies(), std::vector<long long>{other_agency_});
  const Status again = revoke({Role::kAgencyStaff, agency_});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::kNotFound);
}

TEST_P(StaffRoleStoreTest, HoldersByRoleAndAgency) {
  NewAccount b;
  b.email = "otra@cdmx.gob.mx";
  auto other = AccountStore(db()).create(b, kNow);
  ASSERT_TRUE(other);
  ASSERT_TRUE(grant({Role::kAgencyStaff, agency_}));
  ASSERT_TRUE(grant({Role::kAgencyStaff, other_agency_}, other->id));
  StaffRoleStore store(db());
  EXPECT_EQ(*store.holders(Role::kAgencyStaff, agency_), std::vector<long long>{account_});
  EXPECT_EQ(store.holders(Role::kAgencyStaff, std::nullopt)->size(), 2u);
  EXPECT_TRUE(store.holders(Role::kAdmin, std::nullopt)->empty());
}

ZOCALO_INSTANTIATE_DB_TEST(StaffRoleStoreTest);

}  // namespace
}  // namespace zocalo::identity
