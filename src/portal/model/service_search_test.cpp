#include "portal/model/service_search.hpp"

#include <gtest/gtest.h>

namespace zocalo::portal {
namespace {

ServiceSearch city_search() {
  ServiceSearch search;
  search.add({"alcaldias",
              {"Alcaldías", "Boroughs (alcaldías)"},
              {"Las 16 alcaldías de la Ciudad de México.", "Mexico City's 16 boroughs."},
              {"delegación", "municipio", "borough"}});
  search.add({"agua",
              {"Pago del agua", "Water bill"},
              {"Paga tu boleta de agua en línea.", "Pay your water bill online."},
              {"sacmex", "boleta", "water"}});
  search.add({"dependencias",
              {"Dependencias", "Agencies"},
              {"Las dependencias del gobierno de la ciudad y las alcaldías.",
               "The agencies of the city government and the boroughs."},
              {"secretaría", "agency"}});
  return search;
}

using Ids = std::vector<std::string>;

TEST(ServiceSearchTest, IgnoresAccentsAndCase) {
  const ServiceSearch search = city_search();
  EXPECT_EQ(search.search("alcaldia").front(), "alcaldias");
  EXPECT_EQ(search.search("ALCALDÍAS").front(), "alcaldias");
  EXPECT_EQ(search.search("Delegacion"), Ids{"alcaldias"});
}

TEST(ServiceSearchTest, FindsSpanishAndEnglishWords) {
  const ServiceSearch search = city_search();
  EXPECT_EQ(search.search("water"), Ids{"agua"});
  EXPECT_EQ(search.search("agua"), Ids{"agua"});
  EXPECT_EQ(search.search("borough"), (Ids{"alcaldias", "dependencias"}));
  EXPECT_EQ(search.search("SACMEX"), Ids{"agua"});
}

TEST(ServiceSearchTest, EveryWordMustMatch) {
  const ServiceSearch search = city_search();
  EXPECT_EQ(search.search("pago agua"), Ids{"agua"});
  EXPECT_TRUE(search.search("pago alcaldía").empty());
  EXPECT_TRUE(search.search("bache").empty());
}

TEST(ServiceSearchTest, StopWordsDoNotCount) {
  const ServiceSearch search = city_search();
  EXPECT_EQ(search.search("pago del agua"), Ids{"agua"});
  EXPECT_EQ(search.search("the water"), Ids{"agua"});
  EXPECT_TRUE(search.search("de la").empty());
  EXPECT_TRUE(search.search("").empty());
  EXPECT_TRUE(search.search("  ¿? ").empty());
}

TEST(ServiceSearchTest, PrefixesAndPluralsMatch) {
  const ServiceSearch search = city_search();
  EXPECT_EQ(search.search("alcal").front(), "alcaldias");
  EXPECT_EQ(search.search("boletas"), Ids{"agua"});  // plural of a keyword
  EXPECT_EQ(search.search("agencies"), Ids{"dependencias"});
  EXPECT_TRUE(search.search("al").empty());  // too short to be a prefix
}

TEST(ServiceSearchTest, TitleMatchesRankAboveSummaryMatches) {
  const ServiceSearch search = city_search();
  // "alcaldías" is in the title of one and only the summary of the other.
  EXPECT_EQ(search.search("alcaldías"), (Ids{"alcaldias", "dependencias"}));
  EXPECT_EQ(search.search("gobierno"), Ids{"dependencias"});
}

TEST(ServiceSearchTest, LimitBoundsResults) {
  const ServiceSearch search = city_search();
  EXPECT_EQ(search.search("borough", 1).size(), 1u);
}

TEST(ServiceSearchTest, QueryLengthIsBoundedInCharactersNotBytes) {
  EXPECT_TRUE(check_search_query(std::string(200, 'a')));
  EXPECT_TRUE(check_search_query([] {
    std::string s;
    for (int i = 0; i < 200; ++i) s += "ñ";  // 400 bytes, 200 characters
    return s;
  }()));
  const Status too_long = check_search_query(std::string(201, 'a'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(too_long.error().user_key, "portal.search.too_long");
}

}  // namespace
}  // namespace zocalo::portal
