#include "identity/model/recovery_codes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "platform/core/crypto.hpp"

namespace zocalo::identity::recovery_codes {
namespace {

std::string hex_to_bytes(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

TEST(RecoveryCodes, EachCodeCarriesAtLeastFiftyBits) {
  EXPECT_EQ(kAlphabet.size(), 31u);
  EXPECT_GE(static_cast<double>(kSymbols) * std::log2(static_cast<double>(kAlphabet.size())), 50.0);
}

TEST(RecoveryCodes, AlphabetHasNoLookAlikes) {
  for (char c : std::string_view("0O1IL")) {
    EXPECT_EQ(kAlphabet.find(c), std::string_view::npos) << c;
  }
  EXPECT_EQ(std::set<char>(kAlphabet.begin(), kAlphabet.end()).size(), kAlphabet.size());
}

TEST(RecoveryCodes, GenerateGivesTenGroupedCodesAndTheirHashes) {
  const RecoveryCodes codes = generate();
  ASSERT_EQ(codes.plaintext.size(), 10u);
  ASSERT_EQ(codes.hashes.size(), 10u);
  const std::regex shape("[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}");
  for (const auto& code : codes.plaintext) {
    EXPECT_TRUE(std::regex_match(code, shape)) << code;
  }
  EXPECT_EQ(std::set<std::string>(codes.plaintext.begin(), codes.plaintext.end()).size(), 10u);
  EXPECT_EQ(std::set<std::string>(codes.hashes.begin(), codes.hashes.end()).size(), 10u);
}

TEST(RecoveryCodes, StoredFormIsSaltAndSha256OfTheNormalisedCode) {
  const RecoveryCodes codes = generate();
  for (std::size_t i = 0; i < codes.plaintext.size(); ++i) {
    const std::string& stored = codes.hashes[i];
    const auto cut = stored.find('$');
    ASSERT_NE(cut, std::string::npos) << stored;
    const std::string salt_hex = stored.substr(0, cut);
    EXPECT_EQ(salt_hex.size(), 32u);
    const std::string normalised = *normalise(codes.plaintext[i]);
    EXPECT_EQ(stored.substr(cut + 1), crypto::sha256_hex(hex_to_bytes(salt_hex) + normalised));
    EXPECT_EQ(stored.find(normalised), std::string::npos);  // the code itself is never stored
  }
}

TEST(RecoveryCodes, SymbolsAreDrawnFromTheWholeAlphabet) {
  // 200 sets * 120 symbols: each of the 31 symbols is expected ~774 times. A modulo bias or a
  // symbol that never comes up would fall far outside these bounds.
  std::map<char, int> counts;
  for (int set = 0; set < 200; ++set) {
    for (const auto& code : generate().plaintext) {
      const std::string symbols = *normalise(code);  // named: a range-for over *temporary dangles
      for (char c : symbols) ++counts[c];
    }
  }
  ASSERT_EQ(counts.size(), kAlphabet.size());
  for (const auto& [symbol, count] : counts) {
    EXPECT_GT(count, 600) << symbol;
    EXPECT_LT(count, 950) << symbol;
  }
}

TEST(RecoveryCodes, NormaliseForgivesCaseSpacesAndDashes) {
  EXPECT_EQ(normalise("7KQM-XW3P-HT9C"), "7KQMXW3PHT9C");
  EXPECT_EQ(normalise("7kqm-xw3p-ht9c"), "7KQMXW3PHT9C");
  EXPECT_EQ(normalise("7kqm xw3p ht9c"), "7KQMXW3PHT9C");
  EXPECT_EQ(normalise("  7KQMXW3PHT9C  "), "7KQMXW3PHT9C");
  EXPECT_EQ(normalise("7-K-Q-M--XW3P\tHT9C"), "7KQMXW3PHT9C");
}

TEST(RecoveryCodes, NormaliseRejectsWhatCannotBeACode) {
  for (std::string_view bad :
       {"", "7KQM-XW3P-HT9", "7KQM-XW3P-HT9CC", "0KQM-XW3P-HT9C", "OKQM-XW3P-HT9C",
        "1KQM-XW3P-HT9C", "IKQM-XW3P-HT9C", "LKQM-XW3P-HT9C", "7KQM_XW3P_HT9C", "7KQM.XW3P.HT9C",
        "7KQM-XW3P-HT9\xc3\x87", "7KQM-XW3P-HT9C\n"}) {
    EXPECT_FALSE(normalise(bad).has_value()) << bad;
  }
}

TEST(RecoveryCodes, MatchFindsTheIndexOfEveryCodeHoweverTyped) {
  const RecoveryCodes codes = generate();
  for (std::size_t i = 0; i < codes.plaintext.size(); ++i) {
    std::string typed = codes.plaintext[i];
    for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(match(codes.plaintext[i], codes.hashes), i);
    EXPECT_EQ(match(typed, codes.hashes), i);
    EXPECT_EQ(match(*normalise(codes.plaintext[i]), codes.hashes), i);
  }
}

TEST(RecoveryCodes, MatchRejectsCodesOfAnotherSetAndMalformedInput) {
  const RecoveryCodes mine = generate();
  const RecoveryCodes theirs = generate();
  for (const auto& code : theirs.plaintext) EXPECT_FALSE(match(code, mine.hashes).has_value());
  EXPECT_FALSE(match("", mine.hashes).has_value());
  EXPECT_FALSE(match("not a code", mine.hashes).has_value());
  EXPECT_FALSE(match(mine.plaintext[0], {}).has_value());
}

TEST(RecoveryCodes, UsedCodeNoLongerMatchesOnceTheCallerBlanksIt) {
  RecoveryCodes codes = generate();
  const auto used = match(codes.plaintext[3], codes.hashes);
  ASSERT_EQ(used, 3u);
  codes.hashes[*used].clear();
  EXPECT_FALSE(match(codes.plaintext[3], codes.hashes).has_value());
  EXPECT_EQ(match(codes.plaintext[4], codes.hashes), 4u);  // the others still work
}

TEST(RecoveryCodes, BrokenStoredEntriesNeverMatch) {
  const RecoveryCodes codes = generate();
  const std::string code = *normalise(codes.plaintext[0]);
  const std::string digest = codes.hashes[0].substr(codes.hashes[0].find('$') + 1);
  // Without its salt, with a short or non-hex salt, or truncated, the stored hash is unusable.
  const std::vector<std::string> broken = {
      digest,
      "$" + digest,
      "00$" + digest,
      "zz" + codes.hashes[0].substr(2),
      codes.hashes[0].substr(0, codes.hashes[0].size() - 1),
      crypto::sha256_hex(code),
  };
  EXPECT_FALSE(match(code, broken).has_value());
}

}  // namespace
}  // namespace zocalo::identity::recovery_codes
