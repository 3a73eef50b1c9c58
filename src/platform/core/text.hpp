#pragma once
// Small text helpers every layer needs; one copy each.
#include <string_view>

namespace zocalo::text {

// ASCII whitespace (space, tab, CR, LF, FF, VT) removed from both ends: what a person typing
// into a form does not mean. HTTP's own OWS (space and tab only) is http::trim_ows.
std::string_view trim_space(std::string_view s);

}  // namespace zocalo::text
