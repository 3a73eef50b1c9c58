// identity::find_agency_staff and find_resident(session) (resident.hpp) on both databases: only
// active agency staff of the named agency, by name; nothing else about them leaves identity.
#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "identity/resident.hpp"
#include "identity/store/account_store.hpp"
#include "identity/store/staff_role_store.hpp"

namespace zocalo::identity {
namespace {

constexpr std::int64_t kNow = 1'790'000'000;

class AgencyStaffTest : public testing::DbTest {
 protected:
  long long agency(const std::string& code) {
    long long id = 0;
    db().with_session([&](soci::session& sql) {
      sql << "INSERT INTO agencies (code, name_es, name_en, kind) VALUES (:c, :es, :en, 'city')",
          soci::use(code), soci::use(code), soci::use(code);
      sql << "SELECT id FROM agencies WHERE code = :c", soci::use(code), soci::into(id);
    });
    return id;
  }

  long long person(const std::string& email, const std::string& given, const std::string& family,
                   std::optional<RoleGrant> grant) {
    NewAccount n;
    n.email = email;
    n.given_name = given;
    n.family_name = family;
    long long id = 0;
    EXPECT_TRUE(db().transaction([&](soci::session& sql) -> Status {
      auto a = AccountStore::create(sql, n, kNow);
      if (!a) return fail(a.error());
      id = a->id;
      if (auto s = AccountStore::set_email_verified(sql, id, kNow); !s) return s;
      if (grant) return StaffRoleStore::grant(sql, id, *grant, 0, kNow);
      return {};
    }));
    return id;
  }
};

TEST_P(AgencyStaffTest, OnlyActiveStaffOfThatAgencyByName) {
  const long long water = agency("sacmex");
  const long long works = agency("sobse");
  const long long zoe = person("zoe@x.mx", "Zoe", "Ávila", RoleGrant{Role::kAgencyStaff, water});
  const long long ana = person("ana@x.mx", "Ana", "Bravo", RoleGrant{Role::kAgencyStaff, water});
  person("otro@x.mx", "Otro", "Obras", RoleGrant{Role::kAgencyStaff, works});
  person("admin@x.mx", "Ada", "Admin", RoleGrant{Role::kAdmin, std::nullopt});
  person("vecina@x.mx", "Vecina", "Sin Rol", std::nullopt);
  const long long gone =
      person("baja@x.mx", "Baja", "Cerrada", RoleGrant{Role::kAgencyStaff, water});
  ASSERT_TRUE(db().transaction([&](soci::session& sql) {
    return AccountStore::set_status(sql, gone, AccountStatus::kClosed, kNow);
  }));

  auto staff = find_agency_staff(db(), "sacmex");
  ASSERT_TRUE(staff) << staff.error().detail;
  ASSERT_EQ(staff->size(), 2u);
  EXPECT_EQ((*staff)[0].account_id, ana);
  EXPECT_EQ((*staff)[0].display_name, "Ana Bravo");
  EXPECT_EQ((*staff)[1].account_id, zoe);
  EXPECT_TRUE(find_agency_staff(db(), "no-such-agency")->empty());
  EXPECT_TRUE(find_agency_staff(db(), "")->empty());
  EXPECT_TRUE(find_agency_staff(db(), "' OR 1=1 --")->empty());

  // The session overload sees what the pool one does, inside a transaction.
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    auto c = find_resident(sql, zoe);
    EXPECT_TRUE(c && *c);
    EXPECT_EQ((*c)->email.value_or(""), "zoe@x.mx");
    auto closed = find_resident(sql, gone);
    EXPECT_TRUE(closed && !*closed);
    return {};
  }));
}

ZOCALO_INSTANTIATE_DB_TEST(AgencyStaffTest);

}  // namespace
}  // namespace zocalo::identity
