#include "portal/model/search_text.hpp"

#include <gtest/gtest.h>

namespace zocalo::portal {
namespace {

TEST(SearchTextTest, FoldsCaseAndSpanishAccents) {
  EXPECT_EQ(fold_for_search("Álvaro Obregón"), "alvaro obregon");
  EXPECT_EQ(fold_for_search("CUAUHTÉMOC"), "cuauhtemoc");
  EXPECT_EQ(fold_for_search("Año, Pingüino; ñandú"), "ano pinguino nandu");
  EXPECT_EQ(fold_for_search("ÀÉÎÕÜÇ àéîõüç"), "aeiouc aeiouc");
}

TEST(SearchTextTest, PunctuationAndSpacesBecomeOneSpace) {
  EXPECT_EQ(fold_for_search("  ¿Dónde   pago\tel agua?  "), "donde pago el agua");
  EXPECT_EQ(fold_for_search("«Llave»—CDMX… “hola”"), "llave cdmx hola");
  EXPECT_EQ(fold_for_search("311/Locatel-24h"), "311 locatel 24h");
  EXPECT_EQ(fold_for_search(""), "");
  EXPECT_EQ(fold_for_search("!!!"), "");
}

TEST(SearchTextTest, OtherScriptsPassThrough) {
  EXPECT_EQ(fold_for_search("Náhuatl: Tenōchtitlan"),
            "nahuatl ten\xC5\x8D"
            "chtitlan");
  EXPECT_EQ(fold_for_search("東京"), "東京");
}

TEST(SearchTextTest, WordsDropStopWordsInBothLanguages) {
  EXPECT_EQ(search_words("Pago de la tenencia"), (std::vector<std::string>{"pago", "tenencia"}));
  EXPECT_EQ(search_words("The list of boroughs"), (std::vector<std::string>{"list", "boroughs"}));
  EXPECT_TRUE(search_words("de la y the").empty());
}

}  // namespace
}  // namespace zocalo::portal
