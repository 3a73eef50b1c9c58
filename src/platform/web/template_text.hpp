#pragma once
// Load-time passes over template source, run once per template and locale so that rendering
// does no lookups:
//   {{> portal/_directory}}  a partial, inlined (kainjow would re-parse it on every render)
//   [[portal.home.title]]    a catalog message, replaced by its HTML-escaped text
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"

namespace zocalo::web {

class Catalog;

// True when every mustache tag in `text` is a plain escaped variable such as {{q}}.
bool only_plain_variables(std::string_view text);

// True when `source` turns escaping off ({{{x}}}, {{&x}}) or changes the delimiters ({{=...=}},
// which could hide either). Page templates must not: all output is escaped.
bool has_unescaped_tag(std::string_view source);

// The catalog keys named by [[key]] markers, in order of appearance.
std::vector<std::string> marker_keys(std::string_view source);

// Replaces every [[key]] with the escaped catalog text; fails naming the first unknown key or
// malformed marker.
Result<std::string> translate_markers(std::string_view source, const Catalog& catalog);

// Replaces every {{> name}} with the source of template `name` (recursively, a few levels
// deep); fails on an unknown partial or a cycle.
using TemplateLookup = std::function<std::optional<std::string_view>(std::string_view name)>;
Result<std::string> inline_partials(std::string_view source, const TemplateLookup& lookup);

}  // namespace zocalo::web
