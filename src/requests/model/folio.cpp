#include "requests/model/folio.hpp"

#include <array>
#include <string>

#include "platform/core/crypto.hpp"

namespace zocalo::requests {
namespace {

constexpr std::size_t kRandomSymbols = kFolioLength - 1;
// Longest input worth looking at: "XXXX-XXXX" with generous spacing. Anything longer is not a
// folio, and refusing it early keeps the error detail short.
constexpr std::size_t kMaxInputBytes = 32;

// GF(2^5) with the primitive polynomial x^5 + x^2 + 1, so α = x (2) generates all 31 non-zero
// elements and α^0..α^7 are distinct.
constexpr unsigned kFieldPolynomial = 0b100101;

constexpr unsigned gf32_multiply(unsigned a, unsigned b) {
  unsigned product = 0;
  for (int bit = 0; bit < 5; ++bit) {
    if ((b >> bit) & 1u) product ^= a;
    a <<= 1;
    if (a & 0b100000u) a ^= kFieldPolynomial;
  }
  return product;
}

// weight[i] = α^(7-i): position 7 (the check symbol) has weight 1.
constexpr std::array<unsigned, kFolioLength> kWeights = [] {
  std::array<unsigned, kFolioLength> w{};
  unsigned power = 1;
  for (std::size_t i = kFolioLength; i-- > 0;) {
    w[i] = power;
    power = gf32_multiply(power, 2);
  }
  return w;
}();

// Index of a canonical symbol in kFolioAlphabet, or -1.
int symbol_value(char c) {
  const auto pos = kFolioAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// Crockford's decoding rules: case folds, and letters absent from the alphabet that look like
// digits become those digits. U stays an error: it is not a look-alike of any one symbol.
char canonical_symbol(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'O') return '0';
  if (c == 'I' || c == 'L') return '1';
  return c;
}

// For the log: the character itself when printable ASCII, its byte value otherwise.
std::string describe(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x21 && byte < 0x7F) return std::string("'") + c + "'";
  return "byte " + std::to_string(byte);
}

unsigned syndrome(std::string_view symbols) {
  unsigned sum = 0;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    sum ^= gf32_multiply(kWeights[i], static_cast<unsigned>(symbol_value(symbols[i])));
  }
  return sum;
}

}  // namespace

char folio_check_symbol(std::string_view seven_symbols) {
  // Σ_{i<7} w_i·d_i + 1·c = 0 and addition in GF(2^5) is XOR, so c is the sum itself.
  return kFolioAlphabet[syndrome(seven_symbols.substr(0, kRandomSymbols))];
}

Folio Folio::from_entropy(std::uint64_t entropy) {
  std::string code;
  code.reserve(kFolioLength);
  for (std::size_t i = 0; i < kRandomSymbols; ++i) {
    code += kFolioAlphabet[entropy & 0x1Fu];
    entropy >>= 5;
  }
  code += folio_check_symbol(code);
  return Folio(std::move(code));
}

Folio Folio::generate() {
  // 5 bytes = 40 bits, of which from_entropy uses 35; 32 is a power of two, so every symbol is
  // equally likely.
  const std::string bytes = crypto::random_bytes(5);
  std::uint64_t entropy = 0;
  for (unsigned char b : bytes) entropy = (entropy << 8) | b;
  return from_entropy(entropy);
}

std::string Folio::display() const {
  return code_.substr(0, 4) + "-" + code_.substr(4);
}

Result<Folio> parse_folio(std::string_view text) {
  if (text.size() > kMaxInputBytes) {
    return fail(Error::invalid("requests.folio.invalid", "folio input too long"));
  }
  std::string code;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    const char s = canonical_symbol(c);
    if (symbol_value(s) < 0) {
      return fail(Error::invalid("requests.folio.invalid",
                                 "folio has a character outside the alphabet: " + describe(c)));
    }
    code += s;
  }
  if (code.size() != kFolioLength) {
    return fail(Error::invalid("requests.folio.invalid",
                               "folio has " + std::to_string(code.size()) + " symbols, not 8"));
  }
  if (syndrome(code) != 0) {
    return fail(Error::invalid("requests.folio.invalid", "folio check symbol does not match"));
  }
  return Folio(std::move(code));
}

}  // namespace zocalo::requests
