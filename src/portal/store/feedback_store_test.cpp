#include "portal/store/feedback_store.hpp"

#include <gtest/gtest.h>

#include "db_fixture.hpp"

namespace zocalo::portal {
namespace {

class FeedbackStoreTest : public testing::DbTest {};

TEST_P(FeedbackStoreTest, StoresAndFindsFeedback) {
  long long id = 0;
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
    id = FeedbackStore::add(sql, {"Me gustaría pagar el predial aquí.", "/servicios"}, "es-MX",
                            1'790'000'000);
    return {};
  }));
  ASSERT_GT(id, 0);
  auto found = FeedbackStore(db()).find(id);
  ASSERT_TRUE(found) << found.error().detail;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->feedback.message, "Me gustaría pagar el predial aquí.");
  EXPECT_EQ((*found)->feedback.page, "/servicios");
  EXPECT_EQ((*found)->locale, "es-MX");
  EXPECT_EQ((*found)->created_at, 1'790'000'000);
}

TEST_P(FeedbackStoreTest, RolledBackFeedbackLeavesNothing) {
  long long id = 0;
  const Status s = db().transaction([&](soci::session& sql) -> Status {
    id = FeedbackStore::add(sql, {"se deshace", ""}, "en", 1);
    return fail(Error::internal("abort on purpose"));
  });
  ASSERT_FALSE(s);
  auto found = FeedbackStore(db()).find(id);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_value());
}

TEST_P(FeedbackStoreTest, UnknownIdIsEmpty) {
  auto found = FeedbackStore(db()).find(987654);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_value());
}

ZOCALO_INSTANTIATE_DB_TEST(FeedbackStoreTest);

}  // namespace
}  // namespace zocalo::portal
