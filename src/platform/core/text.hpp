#pragma once
// Small text helpers every layer needs; one copy each.
#include <cstddef>
#include <string>
#include <string_view>

namespace zocalo::text {

// ASCII whitespace (space, tab, CR, LF, FF, VT) removed from both ends: what a person typing
// into a form does not mean. HTTP's own OWS (space and tab only) is http::trim_ows.
std::string_view trim_space(std::string_view s);

// Every byte is printable ASCII (0x20..0x7E).
bool is_printable_ascii(std::string_view s);

// Untrusted input quoted for an Error detail or a log line: its first `max_chars` bytes between
// single quotes, each byte outside printable ASCII as '?', "..." when cut — so hostile input
// can neither forge log lines nor flood them.
std::string quote_for_log(std::string_view input, std::size_t max_chars = 40);

// Appends `s` to `out` as the inside of a JSON string (RFC 8259 §7; quotes not included).
void append_json_escaped(std::string& out, std::string_view s);

inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

// Markup text. XML 1.0 (§2.2, production [2] Char) forbids the C0 controls other than tab, LF
// and CR, and U+FFFE/U+FFFF; no escape can carry them. Policy: replace, never reject — output
// is built from stored data, and one bad byte in an old record must not break a whole page or
// API answer. Input is where text is refused.
bool is_xml_char(char32_t c);
// `text` as valid UTF-8 of XML characters only: each ill-formed byte and each forbidden
// character becomes U+FFFD.
std::string clean_xml_text(std::string_view text);
// clean_xml_text(), then & < > " ' as entity references and CR as &#13; (so that parsers do not
// fold it into LF). Safe in XML and HTML text and in quoted attribute values.
std::string escape_xml(std::string_view text);

}  // namespace zocalo::text
