// Staff actions on both databases: each is one transaction with its update row; refused
// actions change nothing.
#include "requests/store/assignment_store.hpp"

#include <gtest/gtest.h>

#include <string>

#include "db_fixture.hpp"
#include "identity/store/account_store.hpp"
#include "portal/store/demo_seed.hpp"
#include "requests/store/demo_catalog.hpp"
#include "requests/store/inbox_store.hpp"
#include "requests/store/request_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

constexpr std::int64_t kNow = 1793642400;
constexpr GeoPoint kZocalo{-99.1332, 19.4326};

class AssignmentStoreTest : public testing::DbTest {
 protected:
  void SetUp() override {
    DbTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(portal::seed_demo(db()));
    ASSERT_TRUE(seed_demo_catalog(db()));
    locator_ = std::make_unique<AreaLocator>(db());
    staff_ = account("staff@example.mx", "Ana", "Pérez");
    reporter_ = account("vecina@example.mx", "Rosa", "López");
  }

  long long account(const std::string& email, const std::string& given, const std::string& family) {
    identity::NewAccount a;
    a.email = email;
    a.given_name = given;
    a.family_name = family;
    auto created = identity::AccountStore(db()).create(a, kNow - 100);
    EXPECT_TRUE(created) << (created ? "" : created.error().detail);
    return created ? created->id : 0;
  }

  std::string file(const std::string& code, const std::string& account_id = "") {
    auto service = ServiceStore(db()).find(code);
    EXPECT_TRUE(service && *service);
    NewServiceRequest r;
    r.service_code = code;
    r.point = kZocalo;
    r.description = "Descripción";
    r.contact.email = "vecina@example.mx";
    r.contact.account_id = account_id;
    r.channel = "web";
    r.requested_at = kNow - 3600;
    auto created = RequestStore(db(), *locator_).create(r, **service);
    EXPECT_TRUE(created);
    return created ? created->folio : "";
  }

  StaffRequest load(const std::string& folio) {
    auto found = InboxStore(db()).find(folio);
    EXPECT_TRUE(found && *found);
    return found && *found ? **found : StaffRequest{};
  }

  StaffAction action(const std::string& folio, const std::string& agency = "sobse") {
    return {folio, agency, staff_, kNow};
  }

  AssignmentStore store() { return AssignmentStore(db(), "https://zocalo.example"); }

  std::unique_ptr<AreaLocator> locator_;
  long long staff_ = 0;
  long long reporter_ = 0;
};

TEST_P(AssignmentStoreTest, StatusChangeAddsAPublicUpdateWithItsNote) {
  const std::string folio = file("bache");
  ASSERT_TRUE(
      store().change_status(action(folio), RequestStatus::kInProgress, "Cuadrilla en camino"));
  StaffRequest r = load(folio);
  EXPECT_EQ(r.status, RequestStatus::kInProgress);
  EXPECT_EQ(r.status_notes, "Cuadrilla en camino");
  ASSERT_EQ(r.updates.size(), 2u);
  EXPECT_TRUE(r.updates[1].is_public);
  EXPECT_EQ(r.updates[1].actor, "staff:" + std::to_string(staff_));

  ASSERT_TRUE(store().change_status(action(folio), RequestStatus::kFixed, ""));
  EXPECT_TRUE(load(folio).closed_at);
}

TEST_P(AssignmentStoreTest, RefusedChangesLeaveEverythingAsItWas) {
  const std::string folio = file("bache");
  // No change; a transition the model refuses; duplicate without its parent; another agency.
  auto same = store().change_status(action(folio), RequestStatus::kOpen, "");
  ASSERT_FALSE(same);
  EXPECT_EQ(same.error().kind, ErrorKind::kConflict);
  auto reopen = store().change_status(action(folio), RequestStatus::kReopened, "");
  ASSERT_FALSE(reopen);
  EXPECT_EQ(reopen.error().user_key, "requests.status.not_allowed");
  auto duplicate = store().change_status(action(folio), RequestStatus::kDuplicate, "");
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().user_key, "atencion.merge.parent_required");
  auto moved = store().change_status(action(folio, "sacmex"), RequestStatus::kFixed, "");
  ASSERT_FALSE(moved);
  EXPECT_EQ(moved.error().user_key, "atencion.agency_changed");
  auto unknown = store().change_status(action("0000000Z"), RequestStatus::kFixed, "");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::kNotFound);

  const StaffRequest r = load(folio);
  EXPECT_EQ(r.status, RequestStatus::kOpen);
  EXPECT_EQ(r.updates.size(), 1u);
}

TEST_P(AssignmentStoreTest, InternalNotesStayOutOfThePublicUpdates) {
  const std::string folio = file("bache");
  ASSERT_TRUE(store().add_internal_note(action(folio), "Vecino conflictivo; ir con cuidado"));
  EXPECT_FALSE(store().add_internal_note(action(folio), ""));
  const StaffRequest r = load(folio);
  ASSERT_EQ(r.updates.size(), 2u);
  EXPECT_FALSE(r.updates[1].is_public);
  EXPECT_EQ(r.status, RequestStatus::kOpen);
  EXPECT_EQ(r.status_notes, "");
  auto published = RequestStore(db(), *locator_).updates({.service_request_ids = {folio}});
  ASSERT_TRUE(published);
  EXPECT_EQ(published->size(), 1u);
}

TEST_P(AssignmentStoreTest, AssigningAcknowledgesAnOpenRequestAndClearingKeepsTheStatus) {
  const std::string folio = file("bache");
  ASSERT_TRUE(store().assign(action(folio), staff_, "Asignada a Ana Pérez"));
  StaffRequest r = load(folio);
  ASSERT_TRUE(r.assignee_account_id);
  EXPECT_EQ(*r.assignee_account_id, staff_);
  EXPECT_EQ(r.status, RequestStatus::kAcknowledged);
  ASSERT_EQ(r.updates.size(), 3u);
  EXPECT_TRUE(r.updates[1].is_public);   // acknowledged: the resident sees it
  EXPECT_FALSE(r.updates[2].is_public);  // who: internal
  EXPECT_EQ(r.updates[2].description, "Asignada a Ana Pérez");

  ASSERT_TRUE(store().assign(action(folio), std::nullopt, "Asignación retirada"));
  r = load(folio);
  EXPECT_FALSE(r.assignee_account_id);
  EXPECT_EQ(r.status, RequestStatus::kAcknowledged);
  EXPECT_EQ(r.updates.size(), 4u);
}

TEST_P(AssignmentStoreTest, MergeClosesTheDuplicateAndItsPeopleFollowTheParent) {
  const std::string parent = file("bache");
  const std::string child = file("bache", std::to_string(reporter_));
  const long long follower = account("seguidor@example.mx", "Luis", "Gómez");
  const long long child_id = load(child).id;
  db().with_session([&](soci::session& sql) {
    long long now = kNow;
    sql << "INSERT INTO service_request_followers (request_id, account_id, created_at) "
           "VALUES (:r, :a, :t)",
        soci::use(child_id), soci::use(follower), soci::use(now);
  });
  EXPECT_FALSE(store().merge_into(action(child), child, ""));
  EXPECT_FALSE(store().merge_into(action(child), "0000000Z", ""));
  ASSERT_TRUE(store().merge_into(action(child), parent, "Ya reportado"));
  const StaffRequest r = load(child);
  EXPECT_EQ(r.status, RequestStatus::kDuplicate);
  EXPECT_EQ(r.parent_folio, parent);
  EXPECT_TRUE(r.closed_at);
  const long long parent_id = load(parent).id;
  long long followers = 0;
  db().with_session([&](soci::session& sql) {
    sql << "SELECT COUNT(*) FROM service_request_followers WHERE request_id = :r AND "
           "account_id IN (:a, :b)",
        soci::use(parent_id), soci::use(follower), soci::use(reporter_), soci::into(followers);
  });
  EXPECT_EQ(followers, 2);
  // A duplicate cannot be the parent of another.
  const std::string third = file("bache");
  auto chained = store().merge_into(action(third), child, "");
  ASSERT_FALSE(chained);
  EXPECT_EQ(chained.error().user_key, "atencion.merge.parent_duplicate");
  EXPECT_EQ(load(third).status, RequestStatus::kOpen);
}

TEST_P(AssignmentStoreTest, RerouteMovesTheRequestToAnotherAgencyOpenAndUnassigned) {
  const std::string folio = file("bache");
  ASSERT_TRUE(store().assign(action(folio), staff_, "Asignada"));
  auto unknown = store().reroute(action(folio), "no-existe", "");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().user_key, "atencion.reroute.unknown");
  EXPECT_FALSE(store().reroute(action(folio), "sobse", ""));
  ASSERT_TRUE(store().reroute(action(folio), "sacmex", "Es una fuga, no un bache"));
  const StaffRequest r = load(folio);
  EXPECT_EQ(r.agency_code, "sacmex");
  EXPECT_EQ(r.status, RequestStatus::kOpen);
  EXPECT_FALSE(r.assignee_account_id);
  EXPECT_EQ(r.status_notes, "Es una fuga, no un bache");
  ASSERT_GE(r.updates.size(), 2u);
  EXPECT_EQ(r.updates[r.updates.size() - 2].status, RequestStatus::kNotOurs);
  EXPECT_EQ(r.updates.back().status, RequestStatus::kOpen);
  // The old agency's staff no longer act on it.
  EXPECT_EQ(store().add_internal_note(action(folio, "sobse"), "x").error().user_key,
            "atencion.agency_changed");
}

TEST_P(AssignmentStoreTest, TheResidentIsToldOfPublicChangesButNotOfInternalNotes) {
  const std::string folio = file("bache");
  const auto jobs = [&] {
    long long n = 0;
    // A named string: SOCI runs the statement when the expression ends, after a temporary
    // bound with use() would already be gone.
    const std::string pattern = "%" + folio + "%";
    db().with_session([&](soci::session& sql) {
      sql << "SELECT COUNT(*) FROM jobs WHERE payload LIKE :folio", soci::use(pattern),
          soci::into(n);
    });
    return n;
  };
  const long long at_start = jobs();
  ASSERT_TRUE(store().add_internal_note(action(folio), "solo personal"));
  EXPECT_EQ(jobs(), at_start);
  ASSERT_TRUE(store().change_status(action(folio), RequestStatus::kInProgress, "En camino"));
  const long long after_change = jobs();
  EXPECT_GT(after_change, at_start);  // the reporter left an e-mail
  // A refused change queues nothing.
  EXPECT_FALSE(store().change_status(action(folio), RequestStatus::kInProgress, ""));
  EXPECT_EQ(jobs(), after_change);
  ASSERT_TRUE(store().change_status(action(folio), RequestStatus::kFixed, "Listo"));
  EXPECT_GT(jobs(), after_change);
}

ZOCALO_INSTANTIATE_DB_TEST(AssignmentStoreTest);

}  // namespace
}  // namespace zocalo::requests
