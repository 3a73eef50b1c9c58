#include "platform/notify/mime.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "platform/core/crypto.hpp"
#include "platform/core/text.hpp"

namespace zocalo::notify {
namespace {

bool is_atext(unsigned char c) {
  // RFC 5322 §3.2.3 atext.
  static constexpr std::string_view kSpecials = "!#$%&'*+-/=?^_`{|}~";
  return std::isalnum(c) || kSpecials.find(static_cast<char>(c)) != std::string_view::npos;
}

bool has_line_break(std::string_view s) {
  return s.find_first_of("\r\n") != std::string_view::npos;
}

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the NUL libsodium writes
  return out;
}

// Length of the UTF-8 sequence starting with `lead` (1 for anything unexpected).
std::size_t utf8_length(unsigned char lead) {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;
}

// A display name as an RFC 5322 phrase: a quoted-string when ASCII, encoded-words otherwise.
std::string format_mailbox(const MailAddress& a) {
  if (a.name.empty()) return "<" + a.address + ">";
  std::string phrase;
  if (text::is_printable_ascii(a.name) && a.name.find("=?") == std::string::npos) {
    phrase = "\"";
    for (char c : a.name) {
      if (c == '"' || c == '\\') phrase.push_back('\\');
      phrase.push_back(c);
    }
    phrase += "\"";
  } else {
    phrase = encode_header_text(a.name);
  }
  return phrase + " <" + a.address + ">";
}

}  // namespace

bool is_valid_email_address(std::string_view address) {
  if (address.empty() || address.size() > 254) return false;
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return false;
  const std::string_view local = address.substr(0, at);
  const std::string_view domain = address.substr(at + 1);
  // dot-atom: atoms separated by single dots, no leading or trailing dot.
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
    return false;
  }
  for (unsigned char c : local) {
    if (c != '.' && !is_atext(c)) return false;
  }
  if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos) {
    return false;
  }
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= domain.size(); ++i) {
    if (i == domain.size() || domain[i] == '.') {
      const std::string_view label = domain.substr(label_start, i - label_start);
      if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        return false;
      }
      label_start = i + 1;
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(domain[i]);
    if (!std::isalnum(c) && c != '-') return false;
  }
  return true;
}

std::string encode_header_text(std::string_view utf8) {
  if (text::is_printable_ascii(utf8) && utf8.find("=?") == std::string_view::npos &&
      utf8.size() <= 900) {
    return std::string(utf8);
  }
  // "=?UTF-8?B?" + 60 base64 characters + "?=" is 72 <= 75; 60 characters carry 45 bytes.
  constexpr std::size_t kBytesPerWord = 45;
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t end = i;
    while (end < utf8.size()) {
      const std::size_t len = utf8_length(static_cast<unsigned char>(utf8[end]));
      if (end + len - i > kBytesPerWord) break;
      end += len;
    }
    if (end == i) end = std::min(utf8.size(), i + kBytesPerWord);  // malformed input: just cut
    end = std::min(end, utf8.size());
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string quoted_printable(std::string_view utf8) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t line_len = 0;
  auto emit = [&](std::string_view piece) {
    // Soft line break (a trailing "=") keeps every encoded line within 76 characters.
    if (line_len + piece.size() > 75) {
      out += "=\r\n";
      line_len = 0;
    }
    out += piece;
    line_len += piece.size();
  };
  std::size_t i = 0;
  while (i < utf8.size()) {
    const unsigned char c = static_cast<unsigned char>(utf8[i]);
    if (c == '\r' || c == '\n') {
      out += "\r\n";
      line_len = 0;
      i += (c == '\r' && i + 1 < utf8.size() && utf8[i + 1] == '\n') ? 2 : 1;
      continue;
    }
    const bool line_end = i + 1 == utf8.size() || utf8[i + 1] == '\r' || utf8[i + 1] == '\n';
    // Spaces before a line end would be stripped in transit (§6.7 rule 3); a dot opening a
    // line is encoded so that no SMTP hop can mistake it for the end of DATA.
    const bool literal = (c >= 33 && c <= 126 && c != '=' && !(c == '.' && line_len == 0)) ||
                         ((c == ' ' || c == '\t') && !line_end);
    if (literal) {
      const char ch = static_cast<char>(c);
      emit(std::string_view(&ch, 1));
    } else {
      const char enc[3] = {'=', kHex[c >> 4], kHex[c & 15]};
      emit(std::string_view(enc, 3));
    }
    ++i;
  }
  return out;
}

std::string rfc5322_date(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string make_message_id(std::string_view domain) {
  return "<" + crypto::hex_encode(crypto::random_bytes(16)) + "@" + std::string(domain) + ">";
}

Result<std::string> build_email(const MimeEmail& email) {
  for (const MailAddress* a : {&email.from, &email.to}) {
    if (!is_valid_email_address(a->address)) {
      return fail(Error::invalid("error.email_address", "invalid e-mail address: " + a->address));
    }
    if (has_line_break(a->name) || !utf8::is_valid(a->name)) {
      return fail(Error::invalid("error.email_header", "display name with CR/LF or bad UTF-8"));
    }
  }
  if (has_line_break(email.subject) || !utf8::is_valid(email.subject)) {
    return fail(Error::invalid("error.email_header", "subject with CR/LF or bad UTF-8"));
  }
  if (has_line_break(email.message_id) || !text::is_printable_ascii(email.message_id)) {
    return fail(Error::invalid("error.email_header", "bad Message-ID"));
  }
  if (!utf8::is_valid(email.text)) {
    return fail(Error::invalid("error.email_body", "body is not UTF-8"));
  }
  std::string m;
  m += "Date: " + rfc5322_date(email.date) + "\r\n";
  m += "From: " + format_mailbox(email.from) + "\r\n";
  m += "To: " + format_mailbox(email.to) + "\r\n";
  m += "Subject: " + encode_header_text(email.subject) + "\r\n";
  m += "Message-ID: " + email.message_id + "\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=utf-8\r\n";
  m += "Content-Transfer-Encoding: quoted-printable\r\n";
  m += "\r\n";
  m += quoted_printable(email.text);
  if (m.size() < 2 || m.compare(m.size() - 2, 2, "\r\n") != 0) m += "\r\n";
  return m;
}

}  // namespace zocalo::notify
