#pragma once
// Pieces of RFC 9110's list syntax shared by every header we negotiate on (Accept,
// Accept-Encoding, Accept-Language).
#include <optional>
#include <string_view>

namespace zocalo::http {

// OWS trimmed from both ends (RFC 9110 §5.6.3: spaces and tabs).
std::string_view trim_ows(std::string_view s);

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 9110 §12.4.2), in
// thousandths (0..1000); nullopt when malformed. Callers decide what a malformed weight means.
std::optional<int> parse_qvalue(std::string_view text);

}  // namespace zocalo::http
