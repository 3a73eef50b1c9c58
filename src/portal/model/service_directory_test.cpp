#include "portal/model/service_directory.hpp"

#include <gtest/gtest.h>

namespace zocalo::portal {
namespace {

DirectoryEntry entry(std::string id, std::string href, std::string category = "government") {
  return {.id = std::move(id),
          .title_key = "t",
          .summary_key = "s",
          .href = std::move(href),
          .keywords = {},
          .category = std::move(category)};
}

TEST(ServiceDirectoryTest, KeepsCategoriesAndEntriesInOrder) {
  ServiceDirectory directory;
  ASSERT_TRUE(directory.add_category({"government", "portal.category.government"}));
  ASSERT_TRUE(directory.add_category({"reports", "portal.category.reports"}));
  ASSERT_TRUE(directory.add(entry("b", "/b", "reports")));
  ASSERT_TRUE(directory.add(entry("a", "/a")));
  ASSERT_EQ(directory.categories().size(), 2u);
  EXPECT_EQ(directory.categories()[1].id, "reports");
  EXPECT_EQ(directory.entries()[0].id, "b");
  ASSERT_NE(directory.find("a"), nullptr);
  EXPECT_EQ(directory.find("a")->href, "/a");
  EXPECT_EQ(directory.find("zzz"), nullptr);
}

TEST(ServiceDirectoryTest, RefusesDuplicatesAndUnknownCategories) {
  ServiceDirectory directory;
  ASSERT_TRUE(directory.add_category({"government", "k"}));
  EXPECT_FALSE(directory.add_category({"government", "k"}));
  EXPECT_FALSE(directory.add_category({"", "k"}));
  ASSERT_TRUE(directory.add(entry("a", "/a")));
  const Status duplicate = directory.add(entry("a", "/other"));
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().kind, ErrorKind::kConflict);
  EXPECT_FALSE(directory.add(entry("c", "/c", "nowhere")));
  EXPECT_FALSE(directory.add({.id = "d",
                              .title_key = "",
                              .summary_key = "s",
                              .href = "/d",
                              .keywords = {},
                              .category = "government"}));
}

TEST(ServiceDirectoryTest, LinksOnlyToSameSitePaths) {
  ServiceDirectory directory;
  ASSERT_TRUE(directory.add_category({"government", "k"}));
  for (const std::string href : {"https://example.com/", "//example.com", "/\\example.com",
                                 "javascript:alert(1)", "", "relative"}) {
    EXPECT_FALSE(directory.add(entry("x", href))) << href;
  }
  EXPECT_TRUE(directory.add(entry("ok", "/servicios?x=1")));
}

}  // namespace
}  // namespace zocalo::portal
