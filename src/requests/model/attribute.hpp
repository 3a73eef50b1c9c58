#pragma once
// Open311 GeoReport v2 service attributes: the extra questions a service asks ("Which side of
// the street?", "How many trees?"), as published by GET /services/{code} when a service has
// `metadata=true`, and the answers a POST /requests carries as `attribute[CODE]=v` (and
// `attribute[CODE][]=v` for a multivaluelist). Spec: wiki.open311.org/GeoReport_v2, "GET
// Service Definition" and "POST Service Request".
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/core/result.hpp"

namespace zocalo::requests {

enum class AttributeDatatype {
  kString,
  kNumber,
  kDatetime,
  kText,
  kSingleValueList,
  kMultiValueList
};

// The GeoReport v2 names: "string", "number", "datetime", "text", "singlevaluelist",
// "multivaluelist". Unknown names fail with "requests.attribute.definition_invalid".
std::string_view to_string(AttributeDatatype datatype);
Result<AttributeDatatype> parse_attribute_datatype(std::string_view name);

// One choice of a list attribute: `key` is what is submitted, `name` what is shown.
struct AttributeValue {
  std::string key;
  std::string name;
};

struct AttributeDefinition {
  std::string code;  // unique per service; appears in form names as attribute[CODE]
  AttributeDatatype datatype = AttributeDatatype::kString;
  // false: information only; the description is shown and nothing may be submitted.
  bool variable = true;
  bool required = false;
  int order = 0;                       // display order, unique per service
  std::string description;             // the question, or the information
  std::string datatype_description;    // optional hint, e.g. "A number of trees, 1 to 50"
  std::vector<AttributeValue> values;  // list datatypes only
};

// Answers as they came from the form: one entry per code, values in submission order.
struct SubmittedAttribute {
  std::string code;
  std::vector<std::string> values;
};

// A validated answer, normalised: trimmed text (line breaks as LF), numbers in their shortest
// form, datetimes in UTC ("2025-06-02T15:00:00Z"), list keys deduplicated in definition order.
struct AttributeAnswer {
  std::string code;
  AttributeDatatype datatype = AttributeDatatype::kString;
  std::vector<std::string> values;
  friend bool operator==(const AttributeAnswer&, const AttributeAnswer&) = default;
};

// In characters (code points), as a resident counts them.
inline constexpr std::size_t kAttributeStringMaxChars = 1'000;
inline constexpr std::size_t kAttributeTextMaxChars = 4'000;  // as POST `description`
inline constexpr std::size_t kAttributeCodeMaxChars = 100;

// Checks one service's definitions before they are published: codes well formed and unique,
// order unique, list types with at least one value, keys unique, nothing required that cannot
// be submitted. Errors carry "requests.attribute.definition_invalid" and name the attribute.
Status validate_attribute_definitions(const std::vector<AttributeDefinition>& definitions);

// Picks the attribute fields out of a decoded form: `attribute[CODE]` and `attribute[CODE][]`
// (other fields are ignored), merging repeated codes in order. A malformed name such as
// "attribute[X" or "attribute[X][0]" fails with "requests.attribute.invalid".
Result<std::vector<SubmittedAttribute>> collect_attribute_fields(
    const std::vector<std::pair<std::string, std::string>>& form_fields);

// Validates the answers against the service's definitions and returns them normalised, in
// definition order. An empty or blank value counts as absent (as GeoReport v2 treats empty
// parameters). Every failure is "requests.attribute.invalid" with a detail naming the attribute:
// unknown code, information-only attribute submitted, required one missing, more than one value
// where one is expected, invalid UTF-8 or control characters, over-long text, a number that is
// not a finite decimal, a datetime without a zone, a key not in the list.
Result<std::vector<AttributeAnswer>> validate_attribute_values(
    const std::vector<AttributeDefinition>& definitions,
    const std::vector<SubmittedAttribute>& submitted);

}  // namespace zocalo::requests
