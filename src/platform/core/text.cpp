#include "platform/core/text.hpp"

#include <cstdio>

#include "platform/core/utf8.hpp"

namespace zocalo::text {

std::string_view trim_space(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

bool is_xml_char(char32_t c) {
  // XML 1.0 §2.2: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

namespace {

// The code point of a well-formed sequence of `length` bytes at s[i].
char32_t decode_at(std::string_view s, std::size_t i, std::size_t length) {
  auto byte = [&](std::size_t k) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[k]));
  };
  if (length == 1) return byte(i);
  static constexpr char32_t kLeadMask[] = {0, 0, 0x1F, 0x0F, 0x07};
  char32_t c = byte(i) & kLeadMask[length];
  for (std::size_t k = 1; k < length; ++k) c = (c << 6) | (byte(i + k) & 0x3F);
  return c;
}

}  // namespace

std::string clean_xml_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8::sequence_length(text, i);
    if (length == 0) {  // an ill-formed byte: replaced alone, resynchronising on the next one
      out += kReplacementCharacter;
      ++i;
      continue;
    }
    if (is_xml_char(decode_at(text, i, length))) {
      out.append(text.substr(i, length));
    } else {
      out += kReplacementCharacter;
    }
    i += length;
  }
  return out;
}

std::string escape_xml(std::string_view text) {
  const std::string clean = clean_xml_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (char c : clean) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':  // required only in "]]>", escaped everywhere for simplicity
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool is_printable_ascii(std::string_view s) {
  for (const unsigned char c : s) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

std::string quote_for_log(std::string_view input, std::size_t max_chars) {
  std::string out = "'";
  for (const char c : input.substr(0, max_chars)) {
    const auto b = static_cast<unsigned char>(c);
    out += (b >= 0x20 && b < 0x7F) ? c : '?';
  }
  return out + (input.size() > max_chars ? "...'" : "'");
}

void append_json_escaped(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
}

}  // namespace zocalo::text
