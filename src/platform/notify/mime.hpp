#pragma once
// Building an Internet Message Format (RFC 5322) e-mail with a MIME (RFC 2045) text body: pure
// functions, no I/O, so every rule is unit-tested.
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::notify {

struct MailAddress {
  std::string address;  // "vecina@example.mx"
  std::string name;     // display name, may be empty or non-ASCII ("Agencia Digital")
};

struct MimeEmail {
  MailAddress from;
  MailAddress to;
  std::string subject;     // UTF-8
  std::string text;        // UTF-8 plain text; \n or \r\n line ends
  std::int64_t date = 0;   // unix seconds
  std::string message_id;  // "<unique@domain>"
};

// An ASCII addr-spec we can hand to any SMTP server: dot-atom local part (RFC 5322 §3.4.1,
// no quoted local parts), a domain of letters, digits and hyphens with at least one dot, at
// most 254 bytes in all (RFC 5321 §4.5.3.1 path limit). Internationalised addresses (SMTPUTF8)
// are not supported yet.
bool is_valid_email_address(std::string_view address);

// RFC 2047 "encoded-word"s (UTF-8, B encoding) for non-ASCII header text, split into words
// of at most 75 characters on UTF-8 character boundaries and folded with CRLF SP. Printable
// ASCII text is returned as is.
std::string encode_header_text(std::string_view utf8);
// RFC 2045 §6.7 quoted-printable with CRLF line ends and lines of at most 76 characters.
std::string quoted_printable(std::string_view utf8);
// RFC 5322 §3.3 date-time in UTC: "Sun, 22 Nov 2026 21:43:03 +0000".
std::string rfc5322_date(std::int64_t unix_seconds);
// "<hex@domain>" with 128 random bits; `domain` is the sender's domain.
std::string make_message_id(std::string_view domain);

// The whole message, CRLF line ends, ready for SMTP DATA. kInvalidInput when an address is
// invalid, a header value holds CR or LF (header injection), or text is not UTF-8.
Result<std::string> build_email(const MimeEmail& email);

}  // namespace zocalo::notify
