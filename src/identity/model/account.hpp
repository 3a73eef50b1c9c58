#pragma once
// A resident's Llave account: who they are to every service of the city (one key), how sure the
// city is of it (the level of assurance) and the small rules for the identifiers they sign in
// with. Plain data and pure functions; the SQL lives in store/account_store.*.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/core/crypto.hpp"
#include "platform/core/result.hpp"
#include "platform/core/utf8.hpp"
#include "platform/notify/sms_sender.hpp"

namespace zocalo::identity {

// How sure the city is that the account belongs to the person it names (STANDARDS.md, "acr").
// Levels only go up through the store's transitions: a verified contact, then a CURP the
// registry confirmed, then an official who saw the person and a document.
enum class LevelOfAssurance : int {
  kUnverified = 0,       // signed up, nothing confirmed yet
  kContactVerified = 1,  // e-mail or phone proven by a code or link
  kCurpValidated = 2,    // CURP confirmed against RENAPO
  kInPerson = 3,         // identity checked in person by an official (a staff action)
};

// The OpenID Connect `acr` claim for a level: "urn:zocalo:loa:N".
inline std::string acr(LevelOfAssurance level) {
  return "urn:zocalo:loa:" + std::to_string(static_cast<int>(level));
}

// nullopt for numbers outside 0..3 (a database row that no rule could have written).
inline std::optional<LevelOfAssurance> level_from_int(int n) {
  if (n < 0 || n > 3) return std::nullopt;
  return static_cast<LevelOfAssurance>(n);
}

// Parses an `acr_values` entry; nullopt for anything but "urn:zocalo:loa:0".."3".
inline std::optional<LevelOfAssurance> level_from_acr(std::string_view acr_value) {
  constexpr std::string_view kPrefix = "urn:zocalo:loa:";
  if (acr_value.size() != kPrefix.size() + 1 || acr_value.substr(0, kPrefix.size()) != kPrefix) {
    return std::nullopt;
  }
  return level_from_int(acr_value.back() - '0');
}

enum class AccountStatus { kActive, kLocked, kClosed };

inline std::string_view to_string(AccountStatus status) {
  switch (status) {
    case AccountStatus::kActive:
      return "active";
    case AccountStatus::kLocked:
      return "locked";
    case AccountStatus::kClosed:
      return "closed";
  }
  return "closed";  // unreachable; closed is the safe reading of a corrupt value
}

inline std::optional<AccountStatus> parse_account_status(std::string_view text) {
  if (text == "active") return AccountStatus::kActive;
  if (text == "locked") return AccountStatus::kLocked;
  if (text == "closed") return AccountStatus::kClosed;
  return std::nullopt;
}

// What sign-up provides; the store fills in the rest (id, subject, level 0, 'active', times).
struct NewAccount {
  std::optional<std::string> email;  // normalised by the store (normalize_email)
  std::optional<std::string> phone;  // normalised by the store (normalize_phone)
  std::optional<std::string> curp;   // as typed; parsed and upper-cased, but not yet validated
  std::string given_name;
  std::string family_name;
  std::optional<std::string> birth_date;     // ISO 8601 date, "1990-05-17"
  std::optional<std::string> address;        // JSON object (OIDC Core §5.1.1 address claim)
  std::optional<std::string> password_hash;  // Argon2id PHC string; none for code-only sign-in
};

// One row of `accounts` (migrations/*/0004_identity_accounts.sql). Times are unix seconds.
struct Account {
  long long id = 0;
  std::string subject;  // the OIDC `sub`: random, stable, never reused or derived from data
  std::optional<std::string> email;
  std::optional<std::int64_t> email_verified_at;
  std::optional<std::string> phone;
  std::optional<std::int64_t> phone_verified_at;
  std::optional<std::string> curp;
  std::optional<std::int64_t> curp_validated_at;
  std::string given_name;
  std::string family_name;
  std::optional<std::string> birth_date;
  std::optional<std::string> address;
  std::optional<std::string> password_hash;
  LevelOfAssurance loa = LevelOfAssurance::kUnverified;
  std::optional<long long> loa3_verified_by;  // the staff account that checked the person
  std::optional<std::int64_t> loa3_verified_at;
  std::optional<std::string> loa3_document;  // what was seen, e.g. "INE" (kind, not its number)
  AccountStatus status = AccountStatus::kActive;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// RFC 5321 §4.5.3.1: a path is at most 256 octets, so an address at most 254.
inline constexpr std::size_t kMaxEmailBytes = 254;
inline constexpr std::size_t kMaxEmailLocalBytes = 64;

// The stored form of an e-mail address: trimmed, ASCII letters lower-cased (so "Ana@X.mx" and
// "ana@x.mx" are one account; no provider we know treats them as two mailboxes). Rejects, with
// identity.email.invalid: more than 254 bytes, not exactly one '@', an empty or over-long
// local part, a domain without a dot or with an empty label, any space, control character
// (CR/LF would smuggle headers into the verification e-mail) or invalid UTF-8.
inline Result<std::string> normalize_email(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  auto bad = [](const char* why) { return fail(Error::invalid("identity.email.invalid", why)); };
  if (text.empty() || text.size() > kMaxEmailBytes) return bad("e-mail must be 1..254 bytes");
  if (!utf8::is_valid(text)) return bad("e-mail is not valid UTF-8");
  std::string out;
  out.reserve(text.size());
  std::size_t at = std::string_view::npos;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c <= 0x20 || c == 0x7f) return bad("e-mail contains a space or control character");
    if (c == '@') {
      if (at != std::string_view::npos) return bad("e-mail has more than one @");
      at = i;
    }
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
  }
  if (at == std::string_view::npos) return bad("e-mail has no @");
  if (at == 0 || at > kMaxEmailLocalBytes) return bad("e-mail local part must be 1..64 bytes");
  const std::string_view domain = std::string_view(out).substr(at + 1);
  if (domain.find('.') == std::string_view::npos) return bad("e-mail domain has no dot");
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return bad("e-mail domain has an empty label");
  }
  return out;
}

// The stored form of a mobile number: E.164 ("+5215512345678"). Spaces, dashes, dots and
// parentheses that people type between digit groups are dropped; anything else must already be
// "+" and 8..15 digits (notify::is_valid_e164, the rule the SMS sender applies).
inline Result<std::string> normalize_phone(std::string_view text) {
  if (text.size() > 32) return fail(Error::invalid("identity.phone.invalid", "phone too long"));
  std::string out;
  for (const char c : text) {
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
    out += c;
  }
  if (!notify::is_valid_e164(out)) {
    return fail(Error::invalid("identity.phone.invalid", "phone is not E.164 (+ and digits)"));
  }
  return out;
}

// A fresh OIDC subject: 16 random bytes as 22 base64url characters. Random rather than the row
// id so that `sub` reveals neither how many residents there are nor when one signed up.
inline std::string new_subject() {
  return crypto::random_token(16);
}

// The folded form of a name for prefix search (`accounts.name_search`): lower case, accents and
// tildes removed (Latin-1 letters: "Núñez" -> "nunez"), combining marks dropped (so decomposed
// input folds alike), runs of white space collapsed to one space, trimmed. Officials type names
// on whatever keyboard they have; "nunez" must find "Núñez". Other scripts pass unchanged.
inline std::string fold_for_search(std::string_view text) {
  // U+00C0..U+00FF, in order; "" for the two non-letters (× and ÷), which are dropped.
  static constexpr const char* kLatin1[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};
  const std::string valid = utf8::to_valid(text);
  const auto decoded = utf8::decode(valid);
  std::string out;
  if (!decoded) return out;
  bool pending_space = false;
  for (const char32_t cp : *decoded) {
    const bool space = cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r' || cp == 0xA0;
    if (space) {
      pending_space = !out.empty();
      continue;
    }
    if (cp >= 0x300 && cp <= 0x36F) continue;  // combining diacritical marks
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    if (cp >= U'A' && cp <= U'Z') {
      out += static_cast<char>(cp - U'A' + U'a');
    } else if (cp >= 0xC0 && cp <= 0xFF) {
      out += kLatin1[cp - 0xC0];
    } else {
      out += utf8::encode(std::u32string_view(&cp, 1));
    }
  }
  return out;
}

}  // namespace zocalo::identity
