#include "requests/model/folio.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace zocalo::requests {
namespace {

// A spread of folios for the exhaustive error-detection tests: deterministic, so a failure
// names the same folio every run.
std::vector<Folio> sample_folios() {
  std::vector<Folio> out;
  std::uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 200; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out.push_back(Folio::from_entropy(x));
  }
  out.push_back(Folio::from_entropy(0));                 // "0000000" + check
  out.push_back(Folio::from_entropy((1ULL << 35) - 1));  // "ZZZZZZZ" + check
  return out;
}

TEST(FolioTest, GeneratedFolioHasEightSymbolsFromTheAlphabetAndParsesBack) {
  for (int i = 0; i < 100; ++i) {
    const Folio f = Folio::generate();
    ASSERT_EQ(f.compact().size(), kFolioLength);
    for (char c : f.compact()) EXPECT_NE(kFolioAlphabet.find(c), std::string_view::npos) << c;
    auto back = parse_folio(f.compact());
    ASSERT_TRUE(back) << f.compact();
    EXPECT_EQ(*back, f);
  }
}

TEST(FolioTest, GeneratedFoliosDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(Folio::generate().compact());
  // 1,000 draws from 2^35: a repeat would mean the generator is broken.
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(FolioTest, AlphabetLeavesOutAmbiguousLetters) {
  EXPECT_EQ(kFolioAlphabet.size(), 32u);
  for (char c : std::string_view("ILOU")) {
    EXPECT_EQ(kFolioAlphabet.find(c), std::string_view::npos) << c;
  }
}

TEST(FolioTest, DisplayGroupsInFours) {
  const Folio f = Folio::from_entropy(0);
  EXPECT_EQ(f.compact(), "00000000");  // all-zero data has a zero sum
  EXPECT_EQ(f.display(), "0000-0000");
}

TEST(FolioTest, FromEntropyUsesTheLowBitsFirst) {
  // 1 in the first symbol only: the check is that symbol times its weight α^7.
  const Folio f = Folio::from_entropy(1);
  EXPECT_EQ(f.compact().substr(0, 7), "1000000");
  EXPECT_EQ(f.compact()[7], folio_check_symbol("1000000"));
  // Bits above 35 are ignored.
  EXPECT_EQ(Folio::from_entropy(1ULL << 35), Folio::from_entropy(0));
}

TEST(FolioTest, ParseForgivesCaseSpacesAndDashes) {
  const Folio f = Folio::from_entropy(0x5A5A5A5A5ULL);
  std::string lower;
  for (char c : f.display()) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  const std::string spaced = " " + f.compact().substr(0, 2) + " " + f.compact().substr(2, 3) +
                             " - " + f.compact().substr(5) + "\t";
  for (const std::string& typed : {f.display(), f.compact(), lower, spaced}) {
    auto parsed = parse_folio(typed);
    ASSERT_TRUE(parsed) << typed << ": " << parsed.error().detail;
    EXPECT_EQ(*parsed, f) << typed;
  }
}

TEST(FolioTest, ParseReadsLookAlikeLettersAsDigits) {
  // Find a folio holding both a 0 and a 1, then type O for 0 and I or L for 1.
  for (std::uint64_t e = 0;; ++e) {
    const Folio f = Folio::from_entropy(e * 0x2545F4914FULL);
    const std::string& c = f.compact();
    if (c.find('0') == std::string::npos || c.find('1') == std::string::npos) continue;
    for (char one : {'I', 'L', 'i', 'l'}) {
      std::string typed = c;
      for (char& ch : typed) {
        if (ch == '0') ch = 'O';
        if (ch == '1') ch = one;
      }
      auto parsed = parse_folio(typed);
      ASSERT_TRUE(parsed) << typed;
      EXPECT_EQ(*parsed, f);
    }
    break;
  }
}

TEST(FolioTest, ParseRejectsWrongLengthAndForeignCharacters) {
  const std::string good = Folio::from_entropy(12345).compact();
  for (const std::string& bad :
       {std::string(), std::string("----"), good.substr(0, 7), good + "0", good.substr(0, 7) + "U",
        good.substr(0, 7) + "*", good.substr(0, 7) + "Ñ", std::string(200, '0'),
        good.substr(0, 4) + "_" + good.substr(4), good.substr(0, 4) + "." + good.substr(4),
        std::string("'; DROP TABLE requests; --")}) {
    auto parsed = parse_folio(bad);
    ASSERT_FALSE(parsed) << bad;
    EXPECT_EQ(parsed.error().user_key, "requests.folio.invalid");
    EXPECT_EQ(parsed.error().kind, ErrorKind::kInvalidInput);
  }
}

TEST(FolioTest, EverySingleSubstitutionIsDetected) {
  int checked = 0;
  for (const Folio& f : sample_folios()) {
    for (std::size_t pos = 0; pos < kFolioLength; ++pos) {
      for (char c : kFolioAlphabet) {
        if (c == f.compact()[pos]) continue;
        std::string typo = f.compact();
        typo[pos] = c;
        auto parsed = parse_folio(typo);
        ASSERT_FALSE(parsed) << f.compact() << " -> " << typo;
        EXPECT_EQ(parsed.error().user_key, "requests.folio.invalid");
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 202 * 8 * 31);
}

TEST(FolioTest, EveryAdjacentTranspositionIsDetected) {
  int checked = 0;
  for (const Folio& f : sample_folios()) {
    for (std::size_t pos = 0; pos + 1 < kFolioLength; ++pos) {
      std::string swapped = f.compact();
      if (swapped[pos] == swapped[pos + 1]) continue;  // swapping equal symbols changes nothing
      std::swap(swapped[pos], swapped[pos + 1]);
      EXPECT_FALSE(parse_folio(swapped)) << f.compact() << " -> " << swapped;
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(FolioTest, TranspositionsAcrossTheDashAndFurtherApartAreDetected) {
  // Distinct weights make any two-position swap visible, e.g. "ABCD-EFGH" read as "ABCE-DFGH".
  for (const Folio& f : sample_folios()) {
    for (std::size_t i = 0; i < kFolioLength; ++i) {
      for (std::size_t j = i + 1; j < kFolioLength; ++j) {
        std::string swapped = f.compact();
        if (swapped[i] == swapped[j]) continue;
        std::swap(swapped[i], swapped[j]);
        EXPECT_FALSE(parse_folio(swapped)) << f.compact() << " -> " << swapped;
      }
    }
  }
}

TEST(FolioTest, CheckSymbolIsTheWeightedFieldSum) {
  // Hand-computed: data "0000001" has only d_6 = 1 with weight α^1 = 2, so the check is '2';
  // "0000010" has d_5 = 1 with weight α^2 = 4, so '4'; and they add (XOR) in "0000011" → '6'.
  EXPECT_EQ(folio_check_symbol("0000001"), '2');
  EXPECT_EQ(folio_check_symbol("0000010"), '4');
  EXPECT_EQ(folio_check_symbol("0000011"), '6');
  // α^5 = α^2 + 1 under x^5 + x^2 + 1: d_2 = 1 has weight α^5 = 0b00101 = 5.
  EXPECT_EQ(folio_check_symbol("0010000"), '5');
}

}  // namespace
}  // namespace zocalo::requests
