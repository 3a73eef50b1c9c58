#include "requests/model/attribute.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>

#include "platform/core/text.hpp"
#include "platform/core/time.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::requests {
namespace {

constexpr std::array<std::pair<AttributeDatatype, std::string_view>, 6> kDatatypeNames{{
    {AttributeDatatype::kString, "string"},
    {AttributeDatatype::kNumber, "number"},
    {AttributeDatatype::kDatetime, "datetime"},
    {AttributeDatatype::kText, "text"},
    {AttributeDatatype::kSingleValueList, "singlevaluelist"},
    {AttributeDatatype::kMultiValueList, "multivaluelist"},
}};

// A number has no business being longer than this; it also bounds from_chars' work.
constexpr std::size_t kNumberMaxBytes = 64;

Error invalid_value(std::string detail) {
  return Error::invalid("requests.attribute.invalid", std::move(detail));
}

Error invalid_definition(std::string detail) {
  return Error::invalid("requests.attribute.definition_invalid", std::move(detail));
}

bool is_list(AttributeDatatype t) {
  return t == AttributeDatatype::kSingleValueList || t == AttributeDatatype::kMultiValueList;
}

// Calls `f(code_point)` for each code point of text already checked to be valid UTF-8.
template <class F>
void for_each_code_point(std::string_view utf8, F f) {
  for (std::size_t i = 0; i < utf8.size();) {
    const auto b0 = static_cast<unsigned char>(utf8[i]);
    const std::size_t n = b0 < 0x80 ? 1 : b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    for (std::size_t k = 1; k < n; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    f(cp);
    i += n;
  }
}

// C0 and C1 control characters and DEL are never meaningful in an answer; they hide text from
// staff and break the CSV and XML we export. Text may keep line breaks and tabs.
bool has_control_characters(std::string_view utf8, bool allow_line_breaks) {
  bool found = false;
  for_each_code_point(utf8, [&](char32_t cp) {
    if (allow_line_breaks && (cp == U'\n' || cp == U'\t')) return;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) found = true;
  });
  return found;
}

// Browsers send a textarea's line breaks as CRLF (HTML's form submission rules); storing LF
// keeps one answer one length.
std::string normalise_line_breaks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// A finite decimal number as std::from_chars reads it ("-12", "3.5", "1e3"); no "+", no hex,
// no "inf"/"nan", no comma decimal separator. Returns its shortest round-trip form.
std::optional<std::string> normalise_number(std::string_view s) {
  if (s.empty() || s.size() > kNumberMaxBytes) return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  std::array<char, 32> buf{};
  const auto [out_end, out_ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  if (out_ec != std::errc()) return std::nullopt;
  return std::string(buf.data(), out_end);
}

bool is_code_character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

const AttributeDefinition* find_definition(const std::vector<AttributeDefinition>& defs,
                                           std::string_view code) {
  for (const auto& d : defs) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

// Validates and normalises the non-blank values of one present attribute.
Result<AttributeAnswer> answer_for(const AttributeDefinition& def,
                                   const std::vector<std::string_view>& values) {
  const std::string name = "attribute " + def.code + ": ";
  AttributeAnswer answer{def.code, def.datatype, {}};
  if (def.datatype != AttributeDatatype::kMultiValueList && values.size() != 1) {
    return fail(
        invalid_value(name + std::to_string(values.size()) + " values where one is expected"));
  }
  switch (def.datatype) {
    case AttributeDatatype::kString:
    case AttributeDatatype::kText: {
      const bool text = def.datatype == AttributeDatatype::kText;
      std::string v = text ? normalise_line_breaks(values[0]) : std::string(values[0]);
      if (has_control_characters(v, text)) {
        return fail(
            invalid_value(name + "control characters in " + std::string(to_string(def.datatype))));
      }
      const std::size_t max = text ? kAttributeTextMaxChars : kAttributeStringMaxChars;
      if (utf8::count_code_points(v) > max) {
        return fail(invalid_value(name + std::to_string(utf8::count_code_points(v)) +
                                  " characters, at most " + std::to_string(max)));
      }
      answer.values.push_back(std::move(v));
      break;
    }
    case AttributeDatatype::kNumber: {
      auto n = normalise_number(values[0]);
      if (!n)
        return fail(invalid_value(name + "not a finite number: " + text::quote_for_log(values[0])));
      answer.values.push_back(std::move(*n));
      break;
    }
    case AttributeDatatype::kDatetime: {
      auto t = time::parse_iso8601(values[0]);
      if (!t) {
        return fail(invalid_value(
            name + "not an ISO 8601 datetime with a zone: " + text::quote_for_log(values[0])));
      }
      answer.values.push_back(time::to_iso8601(*t));
      break;
    }
    case AttributeDatatype::kSingleValueList:
    case AttributeDatatype::kMultiValueList: {
      std::vector<bool> chosen(def.values.size(), false);
      for (std::string_view v : values) {
        const auto it = std::find_if(def.values.begin(), def.values.end(),
                                     [&](const AttributeValue& av) { return av.key == v; });
        if (it == def.values.end()) {
          return fail(invalid_value(name + "value not in the list: " + text::quote_for_log(v)));
        }
        chosen[static_cast<std::size_t>(it - def.values.begin())] = true;
      }
      for (std::size_t i = 0; i < chosen.size(); ++i) {
        if (chosen[i]) answer.values.push_back(def.values[i].key);
      }
      break;
    }
  }
  return answer;
}

}  // namespace

std::string_view to_string(AttributeDatatype datatype) {
  for (const auto& [t, name] : kDatatypeNames) {
    if (t == datatype) return name;
  }
  return "string";
}

Result<AttributeDatatype> parse_attribute_datatype(std::string_view name) {
  for (const auto& [t, n] : kDatatypeNames) {
    if (n == name) return t;
  }
  return fail(invalid_definition("unknown datatype " + text::quote_for_log(name)));
}

Status validate_attribute_definitions(const std::vector<AttributeDefinition>& definitions) {
  for (std::size_t i = 0; i < definitions.size(); ++i) {
    const AttributeDefinition& d = definitions[i];
    // Codes travel inside form names (attribute[CODE]), XML text and URLs: a small, safe set.
    if (d.code.empty() || d.code.size() > kAttributeCodeMaxChars ||
        !std::all_of(d.code.begin(), d.code.end(), is_code_character)) {
      return fail(invalid_definition("attribute code " + text::quote_for_log(d.code) +
                                     " must be 1-100 of A-Z a-z 0-9 _ - ."));
    }
    const std::string name = "attribute " + d.code + ": ";
    for (std::size_t j = 0; j < i; ++j) {
      if (definitions[j].code == d.code) return fail(invalid_definition(name + "code repeated"));
      // GeoReport v2: `order` is unique within a service.
      if (definitions[j].order == d.order) {
        return fail(invalid_definition(name + "order " + std::to_string(d.order) +
                                       " already used by " + definitions[j].code));
      }
    }
    if (text::trim_space(d.description).empty() || !utf8::is_valid(d.description) ||
        !utf8::is_valid(d.datatype_description)) {
      return fail(invalid_definition(name + "needs a UTF-8 description"));
    }
    // An information-only attribute cannot be answered, so it cannot be required.
    if (!d.variable && d.required) {
      return fail(invalid_definition(name + "required but not variable"));
    }
    if (!is_list(d.datatype)) {
      if (!d.values.empty()) {
        return fail(
            invalid_definition(name + "values given for a " + std::string(to_string(d.datatype))));
      }
      continue;
    }
    if (d.values.empty()) return fail(invalid_definition(name + "a list needs values"));
    for (std::size_t k = 0; k < d.values.size(); ++k) {
      const AttributeValue& v = d.values[k];
      // Submitted answers are trimmed, so a key with edge spaces could never be chosen.
      if (v.key.empty() || text::trim_space(v.key) != v.key || !utf8::is_valid(v.key) ||
          has_control_characters(v.key, false)) {
        return fail(invalid_definition(name + "bad key " + text::quote_for_log(v.key)));
      }
      if (text::trim_space(v.name).empty() || !utf8::is_valid(v.name)) {
        return fail(invalid_definition(name + "key " + v.key + " needs a name"));
      }
      for (std::size_t m = 0; m < k; ++m) {
        if (d.values[m].key == v.key) {
          return fail(invalid_definition(name + "key " + v.key + " repeated"));
        }
      }
    }
  }
  return {};
}

Result<std::vector<SubmittedAttribute>> collect_attribute_fields(
    const std::vector<std::pair<std::string, std::string>>& form_fields) {
  constexpr std::string_view kPrefix = "attribute[";
  std::vector<SubmittedAttribute> out;
  for (const auto& [field, value] : form_fields) {
    const std::string_view name = field;
    if (name.substr(0, kPrefix.size()) != kPrefix) continue;
    const std::size_t close = name.find(']', kPrefix.size());
    if (close == std::string_view::npos) {
      return fail(invalid_value("malformed attribute field " + text::quote_for_log(name)));
    }
    const std::string_view code = name.substr(kPrefix.size(), close - kPrefix.size());
    const std::string_view rest = name.substr(close + 1);
    if (code.empty() || (!rest.empty() && rest != "[]")) {
      return fail(invalid_value("malformed attribute field " + text::quote_for_log(name)));
    }
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const SubmittedAttribute& s) { return s.code == code; });
    if (it == out.end()) {
      out.push_back({std::string(code), {}});
      it = out.end() - 1;
    }
    it->values.push_back(value);
  }
  return out;
}

Result<std::vector<AttributeAnswer>> validate_attribute_values(
    const std::vector<AttributeDefinition>& definitions,
    const std::vector<SubmittedAttribute>& submitted) {
  // Non-blank values per definition (index into `definitions`), merged across repeated entries.
  std::vector<std::vector<std::string_view>> present(definitions.size());
  for (const SubmittedAttribute& s : submitted) {
    const AttributeDefinition* def = find_definition(definitions, s.code);
    if (def == nullptr) {
      return fail(
          invalid_value("attribute " + text::quote_for_log(s.code) + ": unknown for this service"));
    }
    const auto index = static_cast<std::size_t>(def - definitions.data());
    for (const std::string& raw : s.values) {
      // Checked before anything else looks at the bytes; the form parser already refuses
      // invalid UTF-8, but answers may arrive by other paths (imports, the JSON API).
      if (!utf8::is_valid(raw) || raw.find('\0') != std::string::npos) {
        return fail(invalid_value("attribute " + def->code + ": not valid UTF-8 text"));
      }
      const std::string_view v = text::trim_space(raw);
      if (!v.empty()) present[index].push_back(v);
    }
    // GeoReport v2: variable=false attributes are information only, never answers.
    if (!def->variable && !present[index].empty()) {
      return fail(invalid_value("attribute " + def->code + ": information only, not an answer"));
    }
  }

  std::vector<std::size_t> by_order(definitions.size());
  for (std::size_t i = 0; i < by_order.size(); ++i) by_order[i] = i;
  std::stable_sort(by_order.begin(), by_order.end(), [&](std::size_t a, std::size_t b) {
    return definitions[a].order < definitions[b].order;
  });

  std::vector<AttributeAnswer> answers;
  for (std::size_t i : by_order) {
    const AttributeDefinition& def = definitions[i];
    if (present[i].empty()) {
      if (def.required && def.variable) {
        return fail(invalid_value("attribute " + def.code + ": required"));
      }
      continue;
    }
    auto answer = answer_for(def, present[i]);
    if (!answer) return fail(answer.error());
    answers.push_back(std::move(*answer));
  }
  return answers;
}

}  // namespace zocalo::requests
