#include "requests/routes/operator_folio_speech.hpp"

#include <gtest/gtest.h>

#include "requests/model/folio.hpp"

namespace zocalo::requests {
namespace {

TEST(OperatorFolioSpeechTest, SpellsTwoGroupsWithAHintForEachLetter) {
  const SpokenFolio spoken = speak_folio("4K7P2M9X");
  EXPECT_EQ(spoken.spelled, "4 K 7 P \u2013 2 M 9 X");
  ASSERT_EQ(spoken.first.size(), 4u);
  ASSERT_EQ(spoken.second.size(), 4u);
  EXPECT_FALSE(spoken.first[0].is_letter);
  EXPECT_TRUE(spoken.first[0].hint_key.empty());
  EXPECT_TRUE(spoken.first[1].is_letter);
  EXPECT_EQ(spoken.first[1].hint_key, "operador.phonetic.k");
  EXPECT_EQ(spoken.second[3].hint_key, "operador.phonetic.x");
}

TEST(OperatorFolioSpeechTest, EveryLetterOfTheFolioAlphabetHasAHintKey) {
  for (const char c : kFolioAlphabet) {
    const std::string folio(8, c);
    const SpokenFolio spoken = speak_folio(folio);
    const bool letter = c >= 'A' && c <= 'Z';
    EXPECT_EQ(spoken.first[0].is_letter, letter) << c;
    EXPECT_EQ(spoken.first[0].hint_key.empty(), !letter) << c;
  }
}

}  // namespace
}  // namespace zocalo::requests
