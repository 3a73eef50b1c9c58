#include "requests/model/catalog_import.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "platform/core/text.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::requests {
namespace {

namespace json = boost::json;

constexpr std::string_view kInvalidKey = "requests.catalog.invalid";
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
// A catalog nests array > service > attributes > attribute > values > value: 6 levels. The
// slack is for nothing legitimate; the bound keeps a hostile file from exhausting the stack.
constexpr std::size_t kJsonMaxDepth = 16;
constexpr std::size_t kAttributeKeyMaxChars = 100;
constexpr std::size_t kAttributeValueNameMaxChars = 200;

Error invalid(std::string detail) {
  return Error::invalid(std::string(kInvalidKey), std::move(detail));
}

std::string trimmed(std::string_view s) {
  return std::string(text::trim_space(s));
}

std::string_view without_bom(std::string_view s) {
  return s.starts_with(kByteOrderMark) ? s.substr(kByteOrderMark.size()) : s;
}

// A field-level problem in one service; the caller knows where the service came from (a CSV
// line, a JSON item) and says so. `field` uses the CSV column names.
struct Problem {
  std::string field;
  std::string message;
};

// C0/C1 controls and DEL hide text from staff and break the XML and CSV we publish; longer
// texts may keep line breaks and tabs.
std::optional<std::string> text_problem(std::string_view text, std::size_t max_chars,
                                        bool multiline) {
  const auto code_points = utf8::decode(text);
  if (!code_points) return "not valid UTF-8";
  for (const char32_t cp : *code_points) {
    if (multiline && (cp == U'\n' || cp == U'\t')) continue;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return "contains a control character";
  }
  if (code_points->size() > max_chars) {
    return "longer than " + std::to_string(max_chars) + " characters";
  }
  return std::nullopt;
}

std::optional<Problem> check_code(std::string field, std::string_view code) {
  if (code.empty()) return Problem{std::move(field), "required"};
  if (!is_valid_service_code(code)) {
    return Problem{std::move(field),
                   text::quote_for_log(code) + " must be 1-64 of A-Z a-z 0-9 _ -"};
  }
  return std::nullopt;
}

std::optional<Problem> check_attributes(const std::vector<AttributeDefinition>& attributes) {
  const std::string field = "attributes";
  if (attributes.size() > kServiceAttributesMax) {
    return Problem{field, "more than " + std::to_string(kServiceAttributesMax)};
  }
  for (const AttributeDefinition& a : attributes) {
    const std::string name = "attribute " + text::quote_for_log(a.code) + ": ";
    if (a.order < -kServiceOrderMax || a.order > kServiceOrderMax) {
      return Problem{field, name + "order out of range"};
    }
    if (auto p = text_problem(a.description, kAttributeDescriptionMaxChars, true)) {
      return Problem{field, name + "description " + *p};
    }
    if (auto p = text_problem(a.datatype_description, kAttributeDescriptionMaxChars, true)) {
      return Problem{field, name + "datatype_description " + *p};
    }
    if (a.values.size() > kAttributeValuesMax) {
      return Problem{field, name + "more than " + std::to_string(kAttributeValuesMax) + " values"};
    }
    for (const AttributeValue& v : a.values) {
      if (auto p = text_problem(v.key, kAttributeKeyMaxChars, false)) {
        return Problem{field, name + "key " + text::quote_for_log(v.key) + " " + *p};
      }
      if (auto p = text_problem(v.name, kAttributeValueNameMaxChars, false)) {
        return Problem{field, name + "name of key " + text::quote_for_log(v.key) + " " + *p};
      }
    }
  }
  // Codes, order uniqueness, list values, required-but-not-variable: the model's own rules.
  const Status definitions = validate_attribute_definitions(attributes);
  if (!definitions) return Problem{field, definitions.error().detail};
  return std::nullopt;
}

std::optional<Problem> check_service(const Service& s) {
  if (auto p = check_code("code", s.code)) return p;
  struct Text {
    const char* field;
    const std::string& value;
    std::size_t max_chars;
    bool multiline;
  };
  const Text texts[] = {
      {"name_es", s.name.es, kServiceNameMaxChars, false},
      {"name_en", s.name.en, kServiceNameMaxChars, false},
      {"description_es", s.description.es, kServiceDescriptionMaxChars, true},
      {"description_en", s.description.en, kServiceDescriptionMaxChars, true},
      {"group_es", s.group.es, kServiceGroupMaxChars, false},
      {"group_en", s.group.en, kServiceGroupMaxChars, false},
  };
  for (const Text& t : texts) {
    if (auto p = text_problem(t.value, t.max_chars, t.multiline)) return Problem{t.field, *p};
  }
  // Spanish is the language every resident's text falls back to (LocalizedText::in).
  if (trimmed(s.name.es).empty()) return Problem{"name_es", "required"};
  if (s.keywords.size() > kServiceKeywordsMax) {
    return Problem{"keywords", "more than " + std::to_string(kServiceKeywordsMax)};
  }
  for (const std::string& k : s.keywords) {
    if (trimmed(k).empty()) return Problem{"keywords", "empty keyword"};
    if (k.find(',') != std::string::npos) {
      return Problem{"keywords",
                     text::quote_for_log(k) + " contains a comma (Open311 joins them with commas)"};
    }
    if (auto p = text_problem(k, kServiceKeywordMaxChars, false)) {
      return Problem{"keywords", text::quote_for_log(k) + " " + *p};
    }
  }
  if (auto p = check_code("agency_code", s.agency_code)) return p;
  if (!std::isfinite(s.sla_hours) || s.sla_hours < 0 || s.sla_hours > kServiceSlaHoursMax) {
    return Problem{"sla_hours", "must be a number from 0 to 10000"};
  }
  if (s.order < -kServiceOrderMax || s.order > kServiceOrderMax) {
    return Problem{"order", "must be from -1000000 to 1000000"};
  }
  return check_attributes(s.attributes);
}

// Where a service came from, for error details.
using Locate = std::string (*)(const std::vector<std::size_t>& lines, std::size_t index,
                               const Service& s);

std::string json_location(const std::vector<std::size_t>&, std::size_t index, const Service& s) {
  return "item " + std::to_string(index + 1) +
         (s.code.empty() ? "" : " (" + text::quote_for_log(s.code) + ")");
}

std::string csv_location(const std::vector<std::size_t>& lines, std::size_t index, const Service&) {
  return "line " + std::to_string(lines[index]);
}

// JSON spells the localized fields as objects: name.es rather than the CSV's name_es.
std::string json_field(std::string field) {
  for (const char* prefix : {"name_", "description_", "group_"}) {
    if (field.starts_with(prefix)) field[field.size() - 3] = '.';
  }
  return field;
}

Status validate(const std::vector<Service>& services, const std::vector<std::size_t>& lines,
                bool csv) {
  if (services.size() > kCatalogMaxServices) {
    return fail(invalid("more than " + std::to_string(kCatalogMaxServices) + " services"));
  }
  const Locate locate = csv ? csv_location : json_location;
  std::unordered_map<std::string_view, std::size_t> seen;
  for (std::size_t i = 0; i < services.size(); ++i) {
    const Service& s = services[i];
    if (auto p = check_service(s)) {
      const std::string field = csv ? "column " + p->field : json_field(p->field);
      return fail(invalid(locate(lines, i, s) + ", " + field + ": " + p->message));
    }
    const auto [it, inserted] = seen.emplace(s.code, i);
    if (!inserted) {
      const std::string first = csv ? "line " + std::to_string(lines[it->second])
                                    : "item " + std::to_string(it->second + 1);
      return fail(invalid(locate(lines, i, s) + (csv ? ", column code" : ", code") +
                          ": repeated (first at " + first + ")"));
    }
  }
  return {};
}

// ---- JSON ----

// Reads one JSON object's members into a struct, naming the path in every error.
class JsonReader {
 public:
  JsonReader(const json::object& object, std::string where)
      : object_(object), where_(std::move(where)) {}

  const std::string& where() const { return where_; }

  // Members not in `known` are errors: a misspelt "sla_hour" must not silently become 0.
  Status only(std::initializer_list<std::string_view> known) const {
    for (const auto& member : object_) {
      if (std::find(known.begin(), known.end(), member.key()) == known.end()) {
        return fail(invalid(where_ + ": unknown member " + text::quote_for_log(member.key())));
      }
    }
    return {};
  }

  const json::value* find(std::string_view key) const { return object_.if_contains(key); }

  Status text(std::string_view key, std::string& out, bool required = false) const {
    const json::value* v = find(key);
    if (!v || v->is_null()) {
      return required ? fail(invalid(path(key) + ": required")) : Status{};
    }
    if (!v->is_string()) return fail(invalid(path(key) + ": must be a string"));
    out = trimmed(v->get_string());
    return {};
  }

  Status boolean(std::string_view key, bool& out) const {
    const json::value* v = find(key);
    if (!v || v->is_null()) return {};
    if (!v->is_bool()) return fail(invalid(path(key) + ": must be true or false"));
    out = v->get_bool();
    return {};
  }

  Status number(std::string_view key, double& out) const {
    const json::value* v = find(key);
    if (!v || v->is_null()) return {};
    if (!v->is_number()) return fail(invalid(path(key) + ": not a number"));
    out = v->to_number<double>();
    return {};
  }

  Status integer(std::string_view key, int& out) const {
    const json::value* v = find(key);
    if (!v || v->is_null()) return {};
    std::optional<std::int64_t> n;
    if (v->is_int64()) n = v->get_int64();
    if (v->is_double() && std::trunc(v->get_double()) == v->get_double() &&
        std::abs(v->get_double()) <= kServiceOrderMax) {
      n = static_cast<std::int64_t>(v->get_double());
    }
    if (!n || *n < -kServiceOrderMax || *n > kServiceOrderMax) {
      return fail(invalid(path(key) + ": must be an integer from -1000000 to 1000000"));
    }
    out = static_cast<int>(*n);
    return {};
  }

  Status localized(std::string_view key, LocalizedText& out) const {
    const json::value* v = find(key);
    if (!v || v->is_null()) return {};
    if (!v->is_object()) {
      return fail(invalid(path(key) + ": must be an object {\"es\": ..., \"en\": ...}"));
    }
    const JsonReader text(v->get_object(), path(key));
    if (Status s = text.only({"es", "en"}); !s) return s;
    if (Status s = text.text("es", out.es); !s) return s;
    return text.text("en", out.en);
  }

  std::string path(std::string_view key) const { return where_ + ", " + std::string(key); }

 private:
  const json::object& object_;
  std::string where_;
};

Result<AttributeValue> read_attribute_value(const json::value& v, const std::string& where) {
  if (!v.is_object()) return fail(invalid(where + ": must be an object {\"key\", \"name\"}"));
  const JsonReader r(v.get_object(), where);
  AttributeValue value;
  if (Status s = r.only({"key", "name"}); !s) return fail(s.error());
  if (Status s = r.text("key", value.key, true); !s) return fail(s.error());
  if (Status s = r.text("name", value.name, true); !s) return fail(s.error());
  return value;
}

Result<AttributeDefinition> read_attribute(const json::value& v, const std::string& where,
                                           std::size_t position) {
  if (!v.is_object()) return fail(invalid(where + ": must be an object"));
  const JsonReader r(v.get_object(), where);
  if (Status s = r.only({"code", "datatype", "variable", "required", "order", "description",
                         "datatype_description", "values"});
      !s) {
    return fail(s.error());
  }
  AttributeDefinition a;
  a.order = static_cast<int>(position + 1);
  std::string datatype;
  for (Status s : {r.text("code", a.code, true), r.text("datatype", datatype, true),
                   r.boolean("variable", a.variable), r.boolean("required", a.required),
                   r.integer("order", a.order), r.text("description", a.description, true),
                   r.text("datatype_description", a.datatype_description)}) {
    if (!s) return fail(s.error());
  }
  auto parsed = parse_attribute_datatype(datatype);
  if (!parsed) {
    return fail(
        invalid(r.path("datatype") + ": unknown datatype " + text::quote_for_log(datatype)));
  }
  a.datatype = *parsed;
  if (const json::value* values = r.find("values"); values && !values->is_null()) {
    if (!values->is_array()) return fail(invalid(r.path("values") + ": must be an array"));
    if (values->get_array().size() > kAttributeValuesMax) {
      return fail(invalid(r.path("values") + ": more than " + std::to_string(kAttributeValuesMax) +
                          " values"));
    }
    for (std::size_t k = 0; k < values->get_array().size(); ++k) {
      auto value = read_attribute_value(values->get_array()[k],
                                        where + ", values[" + std::to_string(k) + "]");
      if (!value) return fail(value.error());
      a.values.push_back(std::move(*value));
    }
  }
  return a;
}

Result<Service> read_service(const json::value& v, std::size_t index) {
  std::string where = "item " + std::to_string(index + 1);
  if (!v.is_object()) return fail(invalid(where + ": must be an object"));
  const json::object& object = v.get_object();
  if (const json::value* code = object.if_contains("code"); code && code->is_string()) {
    where += " (" + text::quote_for_log(trimmed(code->get_string())) + ")";
  }
  const JsonReader r(object, where);
  if (Status s = r.only({"code", "name", "description", "group", "keywords", "agency_code",
                         "sla_hours", "type", "order", "active", "attributes"});
      !s) {
    return fail(s.error());
  }
  Service service;
  std::string type = "realtime";
  for (Status s :
       {r.text("code", service.code, true), r.localized("name", service.name),
        r.localized("description", service.description), r.localized("group", service.group),
        r.text("agency_code", service.agency_code, true), r.number("sla_hours", service.sla_hours),
        r.text("type", type), r.integer("order", service.order),
        r.boolean("active", service.active)}) {
    if (!s) return fail(s.error());
  }
  const auto parsed_type = parse_service_type(type);
  if (!parsed_type) {
    return fail(invalid(r.path("type") + ": unknown type " + text::quote_for_log(type) +
                        " (realtime, batch, blackbox)"));
  }
  service.type = *parsed_type;
  if (const json::value* keywords = r.find("keywords"); keywords && !keywords->is_null()) {
    if (!keywords->is_array()) return fail(invalid(r.path("keywords") + ": must be an array"));
    if (keywords->get_array().size() > kServiceKeywordsMax) {
      return fail(
          invalid(r.path("keywords") + ": more than " + std::to_string(kServiceKeywordsMax)));
    }
    for (const json::value& k : keywords->get_array()) {
      if (!k.is_string()) return fail(invalid(r.path("keywords") + ": must hold strings"));
      service.keywords.push_back(trimmed(k.get_string()));
    }
  }
  if (const json::value* attributes = r.find("attributes"); attributes && !attributes->is_null()) {
    if (!attributes->is_array()) return fail(invalid(r.path("attributes") + ": must be an array"));
    const json::array& list = attributes->get_array();
    if (list.size() > kServiceAttributesMax) {
      return fail(
          invalid(r.path("attributes") + ": more than " + std::to_string(kServiceAttributesMax)));
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string at = where + ", attributes[" + std::to_string(i) + "]";
      if (list[i].is_object()) {
        if (const json::value* code = list[i].get_object().if_contains("code");
            code && code->is_string()) {
          at += " (" + text::quote_for_log(code->get_string()) + ")";
        }
      }
      auto attribute = read_attribute(list[i], at, i);
      if (!attribute) return fail(attribute.error());
      service.attributes.push_back(std::move(*attribute));
    }
  }
  return service;
}

// 1-based line and column (in bytes) of `offset`, for syntax errors.
std::string position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const std::size_t line =
      1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t last_break = before.rfind('\n');
  const std::size_t column =
      last_break == std::string_view::npos ? offset + 1 : offset - last_break;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// ---- CSV ----

struct CsvRecord {
  std::size_t line = 0;  // where the record starts
  std::vector<std::string> fields;
};

// RFC 4180 §2 with LF accepted as well as CRLF. Inside quotes a line break is kept as LF, so
// that a description reads the same whichever line ends the file used.
Result<std::vector<CsvRecord>> split_csv(std::string_view s) {
  std::vector<CsvRecord> records;
  std::size_t i = 0;
  std::size_t line = 1;
  while (i < s.size()) {
    CsvRecord record{line, {}};
    bool any_quoted = false;
    while (true) {
      std::string field;
      if (i < s.size() && s[i] == '"') {
        any_quoted = true;
        ++i;
        while (true) {
          if (i >= s.size()) {
            return fail(
                invalid("line " + std::to_string(record.line) + ": quoted field never closed"));
          }
          if (s[i] == '"') {
            if (i + 1 < s.size() && s[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
          if (s[i] == '\n') ++line;
          field += s[i] == '\r' ? '\n' : s[i];
          ++i;
        }
        if (i < s.size() && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
          return fail(invalid("line " + std::to_string(line) + ", field " +
                              std::to_string(record.fields.size() + 1) +
                              ": text after a closing quote"));
        }
      } else {
        while (i < s.size() && s[i] != ',' && s[i] != '\r' && s[i] != '\n') {
          // RFC 4180 §2.5: a field that holds quotes must be quoted as a whole.
          if (s[i] == '"') {
            return fail(invalid("line " + std::to_string(line) + ", field " +
                                std::to_string(record.fields.size() + 1) +
                                ": quote inside an unquoted field"));
          }
          field += s[i++];
        }
      }
      record.fields.push_back(std::move(field));
      if (i >= s.size()) break;
      if (s[i] == ',') {
        ++i;
        continue;
      }
      if (s[i] == '\r') {
        if (i + 1 >= s.size() || s[i + 1] != '\n') {
          return fail(
              invalid("line " + std::to_string(line) + ": carriage return without a line feed"));
        }
        ++i;
      }
      ++i;  // the LF
      ++line;
      break;
    }
    const bool blank =
        !any_quoted && record.fields.size() == 1 && trimmed(record.fields[0]).empty();
    if (blank) continue;
    // Header + the maximum: stop early instead of splitting a hostile file to the end.
    if (records.size() > kCatalogMaxServices) {
      return fail(invalid("more than " + std::to_string(kCatalogMaxServices) + " services"));
    }
    records.push_back(std::move(record));
  }
  return records;
}

constexpr std::string_view kCsvColumns[] = {
    "code",     "name_es",  "name_en",  "description_es", "description_en",
    "group_es", "group_en", "keywords", "agency_code",    "sla_hours",
    "type",     "order",    "active"};

std::optional<bool> parse_active(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (value.empty() || value == "true" || value == "1" || value == "yes" || value == "si" ||
      value == "s\xC3\xAD" || value == "s\xC3\x8D") {
    return true;
  }
  if (value == "false" || value == "0" || value == "no") return false;
  return std::nullopt;
}

// One cell into its field; returns the problem's message, empty when fine.
std::string set_cell(Service& s, std::string_view column, std::string value) {
  if (column == "code") s.code = std::move(value);
  if (column == "name_es") s.name.es = std::move(value);
  if (column == "name_en") s.name.en = std::move(value);
  if (column == "description_es") s.description.es = std::move(value);
  if (column == "description_en") s.description.en = std::move(value);
  if (column == "group_es") s.group.es = std::move(value);
  if (column == "group_en") s.group.en = std::move(value);
  if (column == "agency_code") s.agency_code = std::move(value);
  if (column == "keywords") s.keywords = split_keyword_list(value);
  if (column == "sla_hours" && !value.empty()) {
    const char* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, s.sla_hours);
    if (ec != std::errc{} || ptr != end) return "not a number";
  }
  if (column == "order" && !value.empty()) {
    const char* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, s.order);
    if (ec != std::errc{} || ptr != end) return "not an integer";
  }
  if (column == "type" && !value.empty()) {
    const auto type = parse_service_type(value);
    if (!type) return "unknown type " + text::quote_for_log(value) + " (realtime, batch, blackbox)";
    s.type = *type;
  }
  if (column == "active") {
    const auto active = parse_active(value);
    if (!active) return "not true or false";
    s.active = *active;
  }
  return {};
}

std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8::sequence_length(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

Status check_size(std::string_view input) {
  if (input.size() > kCatalogMaxBytes) {
    return fail(Error{ErrorKind::kTooLarge, std::string(kInvalidKey),
                      "file of " + std::to_string(input.size()) + " bytes, the limit is " +
                          std::to_string(kCatalogMaxBytes)});
  }
  return {};
}

}  // namespace

Status validate_catalog(const std::vector<Service>& services) {
  return validate(services, {}, false);
}

Result<std::vector<Service>> parse_catalog_json(std::string_view input) {
  if (Status s = check_size(input); !s) return fail(s.error());
  const std::string_view text = without_bom(input);
  json::parse_options options;
  options.max_depth = kJsonMaxDepth;
  json::stream_parser parser({}, options);
  boost::system::error_code ec;
  // Boost.JSON rejects invalid UTF-8 inside strings (RFC 8259 §8.1) by default.
  const std::size_t consumed = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    return fail(invalid(position_of(text, consumed) + ": invalid JSON (" + ec.message() + ")"));
  }
  const json::value root = parser.release();
  if (!root.is_array()) return fail(invalid("line 1: the catalog must be a JSON array"));
  const json::array& items = root.get_array();
  if (items.size() > kCatalogMaxServices) {
    return fail(invalid("more than " + std::to_string(kCatalogMaxServices) + " services"));
  }
  std::vector<Service> services;
  services.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto service = read_service(items[i], i);
    if (!service) return fail(service.error());
    services.push_back(std::move(*service));
  }
  if (Status s = validate(services, {}, false); !s) return fail(s.error());
  return services;
}

Result<std::vector<Service>> parse_catalog_csv(std::string_view input) {
  if (Status s = check_size(input); !s) return fail(s.error());
  const std::string_view text = without_bom(input);
  if (const auto bad = first_invalid_utf8(text)) {
    return fail(invalid(position_of(text, *bad) + ": not valid UTF-8"));
  }
  auto records = split_csv(text);
  if (!records) return fail(records.error());
  if (records->empty()) return fail(invalid("line 1: a header row is required"));

  std::vector<std::string_view> columns;
  for (const std::string& raw : records->front().fields) {
    const std::string name = trimmed(raw);
    const auto known = std::find(std::begin(kCsvColumns), std::end(kCsvColumns), name);
    if (known == std::end(kCsvColumns)) {
      return fail(invalid("line 1: unknown column " + text::quote_for_log(name)));
    }
    if (std::find(columns.begin(), columns.end(), *known) != columns.end()) {
      return fail(invalid("line 1: column " + std::string(*known) + " repeated"));
    }
    columns.push_back(*known);
  }
  for (const std::string_view required : {"code", "name_es", "agency_code"}) {
    if (std::find(columns.begin(), columns.end(), required) == columns.end()) {
      return fail(invalid("line 1: column " + std::string(required) + " missing"));
    }
  }

  std::vector<Service> services;
  std::vector<std::size_t> lines;
  for (std::size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    const std::string line = "line " + std::to_string(record.line);
    // RFC 4180 §2.4: every record has as many fields as the header.
    if (record.fields.size() != columns.size()) {
      return fail(invalid(line + ": " + std::to_string(record.fields.size()) +
                          " fields, the header has " + std::to_string(columns.size())));
    }
    Service service;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string problem = set_cell(service, columns[c], trimmed(record.fields[c]));
      if (!problem.empty()) {
        return fail(invalid(line + ", column " + std::string(columns[c]) + ": " + problem));
      }
    }
    services.push_back(std::move(service));
    lines.push_back(record.line);
  }
  if (Status s = validate(services, lines, true); !s) return fail(s.error());
  return services;
}

}  // namespace zocalo::requests
