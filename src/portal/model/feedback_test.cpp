#include "portal/model/feedback.hpp"

#include <gtest/gtest.h>

namespace zocalo::portal {
namespace {

TEST(FeedbackTest, TrimsAndKeepsTheMessage) {
  auto f = make_feedback("  Falta el horario de la oficina.\n", "/alcaldias");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "Falta el horario de la oficina.");
  EXPECT_EQ(f->page, "/alcaldias");
}

TEST(FeedbackTest, EmptyOrBlankMessageIsRejected) {
  for (std::string_view blank : {"", "   ", "\n\t "}) {
    auto f = make_feedback(blank, "");
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().user_key, "portal.feedback.empty");
  }
}

TEST(FeedbackTest, LimitCountsCharactersNotBytes) {
  std::string accents;
  for (std::size_t i = 0; i < kFeedbackMaxChars; ++i) accents += "á";  // 2 bytes each
  EXPECT_TRUE(make_feedback(accents, ""));
  auto over = make_feedback(accents + "a", "");
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().user_key, "portal.feedback.too_long");
}

TEST(FeedbackTest, PageIsKeptOnlyWhenItIsOneOfOurPaths) {
  EXPECT_EQ(make_feedback("x", "https://evil.example/")->page, "");
  EXPECT_EQ(make_feedback("x", "//evil.example/")->page, "");
  EXPECT_EQ(make_feedback("x", "/\\evil")->page, "");
  EXPECT_EQ(make_feedback("x", "/" + std::string(300, 'a'))->page, "");
  EXPECT_EQ(make_feedback("x", "/servicios")->page, "/servicios");
}

}  // namespace
}  // namespace zocalo::portal
