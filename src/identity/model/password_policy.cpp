#include "identity/model/password_policy.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "platform/core/assets.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::identity {
namespace {

constexpr std::string_view kCommonPasswordsPath = "data/identity/common-passwords.txt";

// The service's own names (§5.1.1.2: "the name of the service"), as folded below.
constexpr std::array<std::u32string_view, 4> kServiceWords = {U"zocalo", U"llave", U"cdmx",
                                                              U"llavecdmx"};

// A context word shorter than this is not compared: "li" or "jp" taken from an e-mail address
// would reject passwords that merely contain two common letters.
constexpr std::size_t kMinContextWordChars = 3;
// The smallest core (a password stripped of leading/trailing digits and symbols) that is looked
// up in the common list: "love" + "2024!" is a trivial variation, "x" + seven digits is not.
constexpr std::size_t kMinCommonCoreChars = 4;

// Case- and accent-insensitive comparison key: "Zócalo" and "ZOCALO" are the same word to
// someone guessing. ASCII and Latin-1 cover Spanish names and the (ASCII) common list; full
// Unicode case folding would need ICU for no gain here.
char32_t fold(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c - U'A' + U'a';
  if (c < 0xC0 || c > 0xFF) return c;
  // U+00C0..U+00DF and U+00E0..U+00FF share a layout; '.' keeps the letter (lower-cased).
  constexpr std::string_view kBase = "aaaaaa.ceeeeiiii.nooooo.ouuuuy..";
  const char base = kBase[(c - 0xC0) & 0x1F];
  if (base != '.') return static_cast<char32_t>(base);
  if (c <= 0xDE && c != 0xD7) return c + 0x20;  // Æ -> æ, Ð -> ð, Þ -> þ
  return c;
}

std::u32string fold(std::u32string_view text) {
  std::u32string out(text);
  for (auto& c : out) c = fold(c);
  return out;
}

bool is_ascii_letter(char32_t c) {
  return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}
bool is_ascii_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}
bool is_ascii_symbol(char32_t c) {
  return c < 0x80 && !is_ascii_letter(c) && !is_ascii_digit(c);
}
// What people put around a word to satisfy old composition rules: digits, years, "!", ".".
bool is_decoration(char32_t c) {
  return is_ascii_digit(c) || is_ascii_symbol(c);
}

std::u32string_view strip_trailing_symbols(std::u32string_view s) {
  while (!s.empty() && is_ascii_symbol(s.back())) s.remove_suffix(1);
  return s;
}

// The word inside its decorations: "**Monkey2024!" -> "monkey" (already folded).
std::u32string_view core(std::u32string_view s) {
  while (!s.empty() && is_decoration(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_decoration(s.back())) s.remove_suffix(1);
  return s;
}

// §5.1.1.2: "repetitive or sequential characters (e.g. 'aaaaaa', '1234abcd')". A short unit
// repeated ("aaaa", "121212", "abcabc"), a run up or down the alphabet or the digits, or a run
// along a keyboard row.
bool is_repetitive(std::u32string_view s) {
  for (std::size_t unit = 1; unit <= 3 && unit * 2 <= s.size(); ++unit) {
    bool periodic = true;
    for (std::size_t i = unit; i < s.size() && periodic; ++i) periodic = s[i] == s[i - unit];
    if (periodic) return true;
  }
  return false;
}

bool is_sequence(std::u32string_view s) {
  if (s.size() < 2) return false;
  const auto step = static_cast<long>(s[1]) - static_cast<long>(s[0]);
  if (step != 1 && step != -1) return false;
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (static_cast<long>(s[i]) - static_cast<long>(s[i - 1]) != step) return false;
  }
  return true;
}

// Rows as folded: the Spanish layout's ñ after l reads as n.
bool is_keyboard_run(std::u32string_view s) {
  constexpr std::array<std::u32string_view, 8> kRows = {U"1234567890", U"qwertyuiop", U"asdfghjkln",
                                                        U"zxcvbnm",    U"0987654321", U"poiuytrewq",
                                                        U"nlkjhgfdsa", U"mnbvcxz"};
  return std::any_of(kRows.begin(), kRows.end(), [&](std::u32string_view row) {
    return row.find(s) != std::u32string_view::npos;
  });
}

bool is_trivial(std::u32string_view s) {
  return is_repetitive(s) || is_sequence(s) || is_keyboard_run(s);
}

// The bundled list (see data/identity/README.md), read once from the embedded asset: ASCII,
// lower case, one per line. nullopt only if the build forgot to embed it.
const std::optional<std::unordered_set<std::string>>& common_passwords() {
  static const auto list = []() -> std::optional<std::unordered_set<std::string>> {
    const auto file = assets::find(kCommonPasswordsPath);
    if (!file) return std::nullopt;
    std::unordered_set<std::string> words;
    std::string_view rest = *file;
    while (!rest.empty()) {
      const auto eol = rest.find('\n');
      std::string_view line = rest.substr(0, eol);
      rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;
      std::string word(line);
      std::transform(word.begin(), word.end(), word.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      });
      words.insert(std::move(word));
    }
    return words;
  }();
  return list;
}

// One context word, folded, labelled for the log (never the word itself: it is personal data).
struct ContextWord {
  std::u32string text;
  std::string_view source;
};

void add_word(std::vector<ContextWord>& words, std::u32string text, std::string_view source) {
  if (text.size() >= kMinContextWordChars) words.push_back({std::move(text), source});
}

// Adds a text, its pieces between separators and the pieces joined without them:
// "Juan.Perez" -> "juan.perez", "juan", "perez", "juanperez".
void add_with_pieces(std::vector<ContextWord>& words, std::string_view utf8,
                     std::u32string_view separators, std::string_view source) {
  const auto decoded = utf8::decode(utf8);
  if (!decoded) return;
  const std::u32string text = fold(*decoded);
  add_word(words, text, source);
  if (separators.empty()) return;
  std::u32string joined;
  std::u32string piece;
  for (char32_t c : text) {
    if (separators.find(c) != std::u32string_view::npos) {
      add_word(words, piece, source);
      piece.clear();
    } else {
      piece += c;
      joined += c;
    }
  }
  add_word(words, piece, source);
  add_word(words, joined, source);
}

std::vector<ContextWord> context_words(const PasswordContext& context) {
  std::vector<ContextWord> words;
  for (auto w : kServiceWords) words.push_back({std::u32string(w), "service name"});

  std::string_view local = context.email.substr(0, context.email.rfind('@'));
  add_with_pieces(words, local, U"._-+", "e-mail");
  // "ana+zocalo@" is ana's address: the sub-address is a tag, not part of the name.
  add_with_pieces(words, local.substr(0, local.find('+')), U"._-", "e-mail");

  // The CURP's first 10 characters are the resident's initials and birth date.
  add_with_pieces(words, context.curp, U"", "CURP");
  add_with_pieces(words, context.curp.substr(0, 10), U"", "CURP");

  for (std::string_view name : context.names) add_with_pieces(words, name, U" -'.", "name");
  return words;
}

std::string digits_of(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c >= '0' && c <= '9') out += c;
  }
  return out;
}

// A phone number with some punctuation or a prefix ("+52 55 1234 5678", "04455 1234 5678") is
// still the phone number. Mexican numbers have 10 digits after the country code 52.
bool contains_phone(std::u32string_view password, std::string_view phone) {
  std::string national = digits_of(phone);
  if (national.size() > 10) national = national.substr(national.size() - 10);
  if (national.size() < 7) return false;
  if (std::any_of(password.begin(), password.end(), [](char32_t c) { return !is_decoration(c); })) {
    return false;
  }
  std::string typed;
  for (char32_t c : password) {
    if (is_ascii_digit(c)) typed += static_cast<char>(c);
  }
  return typed.find(national) != std::string::npos;
}

Status context_failure(std::string_view source) {
  return fail(Error::invalid("identity.password.context",
                             "password is or varies a context word (" + std::string(source) + ")"));
}

Status common_failure(std::string_view why) {
  return fail(Error::invalid("identity.password.common", std::string(why)));
}

}  // namespace

Status check_password(std::string_view password, const PasswordContext& context) {
  // A code point takes at most 4 bytes: anything longer is too long before we decode it.
  if (password.size() > kPasswordMaxChars * 4) {
    return fail(Error::invalid("identity.password.too_long", "more than 1024 bytes"));
  }
  const auto decoded = utf8::decode(password);
  if (!decoded) return fail(Error::invalid("identity.password.invalid", "not valid UTF-8"));
  // §5.1.1.2 suggests NFKC before hashing; we count code points as typed and hash the bytes as
  // sent, so a password typed the same way always verifies.
  if (decoded->size() < kPasswordMinChars) {
    return fail(Error::invalid("identity.password.too_short", "fewer than 8 code points"));
  }
  if (decoded->size() > kPasswordMaxChars) {
    return fail(Error::invalid("identity.password.too_long", "more than 256 code points"));
  }

  const std::u32string folded = fold(*decoded);
  const std::u32string_view full = folded;
  const std::u32string_view word = core(full);

  for (const auto& w : context_words(context)) {
    const std::u32string_view w_core = core(w.text);
    if (full == w.text ||
        (!word.empty() && w_core.size() >= kMinContextWordChars && word == w_core)) {
      return context_failure(w.source);
    }
  }
  if (contains_phone(full, context.phone)) return context_failure("phone");

  const auto& list = common_passwords();
  if (!list) return fail(Error::internal("common-password list is not embedded"));
  const std::u32string_view trimmed = strip_trailing_symbols(full);
  // The password itself, then its trivial variations: without its trailing symbols, and its
  // core, when enough of them is left to mean something.
  const std::array<std::u32string_view, 3> variants = {full, trimmed, word};
  for (std::size_t i = 0; i < variants.size(); ++i) {
    if (i > 0 && variants[i].size() < kMinCommonCoreChars) continue;
    if (list->count(utf8::encode(variants[i]))) {
      return common_failure(i == 0 ? "on the common-password list"
                                   : "a common password with digits or symbols around it");
    }
    if (is_trivial(variants[i])) {
      return common_failure("repeated characters or a simple sequence");
    }
  }
  return {};
}

}  // namespace zocalo::identity
