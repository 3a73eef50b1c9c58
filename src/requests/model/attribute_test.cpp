#include "requests/model/attribute.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace zocalo::requests {
namespace {

using T = AttributeDatatype;
using Fields = std::vector<std::pair<std::string, std::string>>;

// "Árbol caído": one attribute of each datatype, plus an information-only notice.
std::vector<AttributeDefinition> fallen_tree() {
  return {
      {"NOTICE", T::kString, false, false, 1, "Si hay personas heridas, llame al 911.", "", {}},
      {"TREES", T::kNumber, true, true, 2, "¿Cuántos árboles?", "Un número", {}},
      {"SIDE",
       T::kSingleValueList,
       true,
       true,
       3,
       "¿De qué lado de la calle?",
       "",
       {{"N", "Norte"}, {"S", "Sur"}}},
      {"HAZARDS",
       T::kMultiValueList,
       true,
       false,
       4,
       "¿Qué está en riesgo?",
       "",
       {{"wires", "Cables"}, {"road", "Calle"}, {"house", "Casa"}}},
      {"NOTICED", T::kDatetime, true, false, 5, "¿Cuándo cayó?", "", {}},
      {"PLATE", T::kString, true, false, 6, "Placa del vehículo afectado", "", {}},
      {"DETAILS", T::kText, true, false, 7, "Detalles", "", {}},
  };
}

SubmittedAttribute sub(std::string code, std::vector<std::string> values) {
  return {std::move(code), std::move(values)};
}

// `extra`, plus valid answers to the two required attributes it does not answer itself.
std::vector<SubmittedAttribute> with_required(std::vector<SubmittedAttribute> extra) {
  std::vector<SubmittedAttribute> s;
  for (auto defaults : {sub("TREES", {"2"}), sub("SIDE", {"N"})}) {
    bool given = false;
    for (const auto& e : extra) given = given || e.code == defaults.code;
    if (!given) s.push_back(defaults);
  }
  s.insert(s.end(), extra.begin(), extra.end());
  return s;
}

void expect_invalid_value(const Result<std::vector<AttributeAnswer>>& r, std::string_view naming,
                          const std::string& why) {
  ASSERT_FALSE(r) << why;
  EXPECT_EQ(r.error().user_key, "requests.attribute.invalid") << why;
  EXPECT_EQ(r.error().kind, ErrorKind::kInvalidInput) << why;
  EXPECT_NE(r.error().detail.find(naming), std::string::npos)
      << why << ": detail '" << r.error().detail << "' does not name " << naming;
}

// The single normalised value of `code` in a valid submission with `value` added.
std::string accepted(std::string code, std::string value) {
  auto r = validate_attribute_values(fallen_tree(), with_required({sub(code, {value})}));
  EXPECT_TRUE(r) << code << "=" << value << ": " << (r ? "" : r.error().detail);
  if (!r) return {};
  for (const auto& a : *r) {
    if (a.code == code) return a.values.at(0);
  }
  return {};
}

void rejected(std::string code, std::string value, const std::string& why) {
  expect_invalid_value(
      validate_attribute_values(fallen_tree(), with_required({sub(code, {value})})), code, why);
}

// --- Definitions

TEST(AttributeDefinitionTest, TypicalServiceIsValid) {
  EXPECT_TRUE(validate_attribute_definitions(fallen_tree()));
  EXPECT_TRUE(validate_attribute_definitions({}));
}

void expect_invalid_definition(const std::vector<AttributeDefinition>& defs,
                               std::string_view naming, const char* why) {
  auto s = validate_attribute_definitions(defs);
  ASSERT_FALSE(s) << why;
  EXPECT_EQ(s.error().user_key, "requests.attribute.definition_invalid") << why;
  EXPECT_NE(s.error().detail.find(naming), std::string::npos) << why << ": " << s.error().detail;
}

TEST(AttributeDefinitionTest, OrderIsUniquePerService) {
  auto defs = fallen_tree();
  defs[4].order = defs[2].order;
  expect_invalid_definition(defs, "NOTICED", "order repeated");
}

TEST(AttributeDefinitionTest, CodesAreUniqueAndWellFormed) {
  auto defs = fallen_tree();
  defs[3].code = "SIDE";
  expect_invalid_definition(defs, "SIDE", "code repeated");
  for (std::string bad : {std::string(), std::string("A[B]"), std::string("A B"),
                          std::string("ÁRBOL"), std::string(101, 'A'), std::string("A&B")}) {
    defs = fallen_tree();
    defs[1].code = bad;
    expect_invalid_definition(defs, "attribute code", bad.c_str());
  }
  defs = fallen_tree();
  defs[1].code = "tree-count_2.v1";
  EXPECT_TRUE(validate_attribute_definitions(defs));
}

TEST(AttributeDefinitionTest, ListDatatypesNeedValues) {
  for (std::size_t i : {2u, 3u}) {
    auto defs = fallen_tree();
    defs[i].values.clear();
    expect_invalid_definition(defs, defs[i].code, "empty list");
  }
}

TEST(AttributeDefinitionTest, ListKeysAreUniqueNonBlankAndNamed) {
  auto defs = fallen_tree();
  defs[3].values.push_back({"road", "Banqueta"});
  expect_invalid_definition(defs, "HAZARDS", "key repeated");
  defs = fallen_tree();
  defs[3].values.push_back({"", "Nada"});
  expect_invalid_definition(defs, "HAZARDS", "empty key");
  defs = fallen_tree();
  defs[3].values.push_back({" car", "Coche"});
  expect_invalid_definition(defs, "HAZARDS", "key with edge space");
  defs = fallen_tree();
  defs[3].values.push_back({"car", " "});
  expect_invalid_definition(defs, "HAZARDS", "blank name");
}

TEST(AttributeDefinitionTest, OtherDatatypesTakeNoValues) {
  auto defs = fallen_tree();
  defs[1].values = {{"1", "Uno"}};
  expect_invalid_definition(defs, "TREES", "number with values");
}

TEST(AttributeDefinitionTest, InformationOnlyAttributeCannotBeRequired) {
  auto defs = fallen_tree();
  defs[0].required = true;
  expect_invalid_definition(defs, "NOTICE", "required but not variable");
}

TEST(AttributeDefinitionTest, DescriptionIsNeeded) {
  auto defs = fallen_tree();
  defs[5].description = "  ";
  expect_invalid_definition(defs, "PLATE", "blank description");
  defs = fallen_tree();
  defs[5].description = "Placa \xFF";
  expect_invalid_definition(defs, "PLATE", "description not UTF-8");
}

TEST(AttributeDefinitionTest, DatatypeNamesRoundTrip) {
  for (T t :
       {T::kString, T::kNumber, T::kDatetime, T::kText, T::kSingleValueList, T::kMultiValueList}) {
    auto back = parse_attribute_datatype(to_string(t));
    ASSERT_TRUE(back) << to_string(t);
    EXPECT_EQ(*back, t);
  }
  EXPECT_EQ(to_string(T::kSingleValueList), "singlevaluelist");
  for (std::string_view bad : {"", "String", "integer", "boolean", "singlevalue list"}) {
    auto r = parse_attribute_datatype(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().user_key, "requests.attribute.definition_invalid");
  }
}

// --- Values

TEST(AttributeValuesTest, ValidAnswersComeBackNormalisedInDefinitionOrder) {
  auto r = validate_attribute_values(
      fallen_tree(), {sub("DETAILS", {"  Bloquea la entrada\r\ndel garage  "}),
                      sub("HAZARDS", {"house", "wires", "house"}), sub("SIDE", {" S "}),
                      sub("NOTICED", {"2025-06-02T08:30:00-06:00"}), sub("TREES", {"2.50"}),
                      sub("PLATE", {"ABC-123-D"})});
  ASSERT_TRUE(r) << r.error().detail;
  const std::vector<AttributeAnswer> want = {
      {"TREES", T::kNumber, {"2.5"}},
      {"SIDE", T::kSingleValueList, {"S"}},
      {"HAZARDS", T::kMultiValueList, {"wires", "house"}},
      {"NOTICED", T::kDatetime, {"2025-06-02T14:30:00Z"}},
      {"PLATE", T::kString, {"ABC-123-D"}},
      {"DETAILS", T::kText, {"Bloquea la entrada\ndel garage"}},
  };
  EXPECT_EQ(*r, want);
}

TEST(AttributeValuesTest, RequiredAttributeMustBePresent) {
  expect_invalid_value(validate_attribute_values(fallen_tree(), {sub("TREES", {"1"})}), "SIDE",
                       "SIDE missing");
  // Blank counts as absent, as an empty GeoReport parameter does.
  expect_invalid_value(
      validate_attribute_values(fallen_tree(), {sub("TREES", {"1"}), sub("SIDE", {"  "})}), "SIDE",
      "SIDE blank");
  expect_invalid_value(validate_attribute_values(fallen_tree(), {}), "TREES", "nothing sent");
}

TEST(AttributeValuesTest, OptionalAttributesMayBeLeftOutOrBlank) {
  auto r = validate_attribute_values(fallen_tree(),
                                     with_required({sub("PLATE", {""}), sub("DETAILS", {" \n"})}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->size(), 2u);
}

TEST(AttributeValuesTest, UnknownCodeIsRejected) {
  rejected("COLOR", "verde", "unknown code");
  rejected("trees", "1", "codes are case-sensitive");
}

TEST(AttributeValuesTest, InformationOnlyAttributeMustNotBeSubmitted) {
  rejected("NOTICE", "entendido", "variable=false answered");
  // An empty field for it (a generic form rendering every attribute) is absence, not an answer.
  EXPECT_TRUE(validate_attribute_values(fallen_tree(), with_required({sub("NOTICE", {""})})));
}

TEST(AttributeValuesTest, NumberMustBeAFiniteDecimal) {
  EXPECT_EQ(accepted("TREES", "3"), "3");
  EXPECT_EQ(accepted("TREES", "-4.25"), "-4.25");
  EXPECT_EQ(accepted("TREES", "007"), "7");
  EXPECT_EQ(accepted("TREES", "1e3"), "1000");
  EXPECT_EQ(accepted("TREES", " 12 "), "12");
  EXPECT_EQ(accepted("TREES", "0.1"), "0.1");
  for (std::string bad : {"abc", "1,5", "+1", "0x10", "inf", "-infinity", "nan", "1e999", "1 2",
                          "3 árboles", "1.2.3", "--1"}) {
    rejected("TREES", bad, "number " + bad);
  }
  rejected("TREES", std::string(100, '1'), "100 digits");
}

TEST(AttributeValuesTest, DatetimeIsIso8601WithAZone) {
  EXPECT_EQ(accepted("NOTICED", "2025-06-02T08:30:00Z"), "2025-06-02T08:30:00Z");
  EXPECT_EQ(accepted("NOTICED", "2025-06-02T08:30-06:00"), "2025-06-02T14:30:00Z");
  EXPECT_EQ(accepted("NOTICED", "2025-06-02T08:30:15.123+05:30"), "2025-06-02T03:00:15Z");
  EXPECT_EQ(accepted("NOTICED", "2025-01-01T00:30:00+01:00"), "2024-12-31T23:30:00Z");
  EXPECT_EQ(accepted("NOTICED", "2024-02-29t23:00:00z"), "2024-02-29T23:00:00Z");
  for (std::string bad :
       {"2025-06-02T08:30:00", "2025-06-02", "2025-06-02 08:30:00Z", "02/06/2025 08:30",
        "2025-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2025-06-31T00:00:00Z",
        "2025-06-02T24:00:00Z", "2025-06-02T08:60:00Z", "2025-06-02T08:30:60Z",
        "2025-06-02T08:30:00+0600", "2025-06-02T08:30:00+24:00", "2025-06-02T08:30:00.Z",
        "2025-06-02T08:30:00Zjunk", "0999-01-01T00:00:00Z", "9999-12-31T23:00:00-02:00", "tomorrow",
        "2025-6-2T8:30Z"}) {
    rejected("NOTICED", bad, "datetime " + bad);
  }
}

TEST(AttributeValuesTest, SingleValueListTakesExactlyOneKnownKey) {
  EXPECT_EQ(accepted("SIDE", "S"), "S");
  rejected("SIDE", "Norte", "a name is not a key");
  rejected("SIDE", "n", "keys are exact");
  rejected("SIDE", "E", "not in the list");
  expect_invalid_value(
      validate_attribute_values(fallen_tree(), {sub("TREES", {"1"}), sub("SIDE", {"N", "S"})}),
      "SIDE", "two values");
}

TEST(AttributeValuesTest, MultiValueListTakesKnownKeys) {
  auto r = validate_attribute_values(fallen_tree(),
                                     with_required({sub("HAZARDS", {"road", "", "wires"})}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at(2).values, (std::vector<std::string>{"wires", "road"}));
  expect_invalid_value(
      validate_attribute_values(fallen_tree(), with_required({sub("HAZARDS", {"road", "school"})})),
      "HAZARDS", "one unknown key");
}

TEST(AttributeValuesTest, SingleValuedTypesRejectSeveralValues) {
  for (const char* code : {"TREES", "NOTICED", "PLATE", "DETAILS"}) {
    expect_invalid_value(
        validate_attribute_values(fallen_tree(), with_required({sub(code, {"1", "2"})})), code,
        code);
  }
}

TEST(AttributeValuesTest, LengthsAreBoundedInCharacters) {
  std::string s;
  for (std::size_t i = 0; i < kAttributeStringMaxChars; ++i) s += "á";  // 2 bytes each
  EXPECT_EQ(accepted("PLATE", s), s);
  rejected("PLATE", s + "a", "string over 1,000 characters");
  std::string t;
  for (std::size_t i = 0; i < kAttributeTextMaxChars; ++i) t += "🌳";  // 4 bytes each
  EXPECT_EQ(accepted("DETAILS", t), t);
  rejected("DETAILS", t + "x", "text over 4,000 characters");
  // CRLF counts as one line break once normalised.
  std::string lines;
  for (std::size_t i = 0; i < kAttributeTextMaxChars / 2; ++i) lines += "a\r\n";
  EXPECT_EQ(accepted("DETAILS", lines).size(), kAttributeTextMaxChars - 1);  // last LF trimmed
}

TEST(AttributeValuesTest, InvalidUtf8IsRejected) {
  for (std::string bad :
       {std::string("caf\xC3"), std::string("\xC0\xAF"), std::string("\xED\xA0\x80"),
        std::string("\x80"), std::string("\xF4\x90\x80\x80"), std::string("a\0b", 3)}) {
    for (const char* code : {"PLATE", "DETAILS", "SIDE", "TREES"}) {
      expect_invalid_value(
          validate_attribute_values(fallen_tree(),
                                    {sub("TREES", {"1"}), sub("SIDE", {"N"}), sub(code, {bad})}),
          code, std::string(code) + " with bad bytes");
    }
  }
}

TEST(AttributeValuesTest, ControlCharactersAreRejectedButTextKeepsLineBreaks) {
  rejected("PLATE", "ABC\n123", "newline in a string");
  rejected("PLATE", "ABC\t123", "tab in a string");
  rejected("PLATE", "ABC\x1B[31m", "escape sequence");
  rejected("DETAILS", "bell\x07", "bell in text");
  rejected("DETAILS", "c1 \xC2\x85 next line", "C1 control in text");
  EXPECT_EQ(accepted("DETAILS", "uno\n\tdos"), "uno\n\tdos");
  EXPECT_EQ(accepted("DETAILS", "uno\rdos"), "uno\ndos");
}

TEST(AttributeValuesTest, SqlAndHtmlAreJustText) {
  for (std::string v : {"'; DROP TABLE requests; --", "<script>alert(1)</script>",
                        "Robert\"); DELETE FROM users;", "&lt;b&gt; ${x} {{y}} %s %n"}) {
    EXPECT_EQ(accepted("PLATE", v), v);
    EXPECT_EQ(accepted("DETAILS", v), v);
    rejected("SIDE", v, "hostile list value");
  }
}

TEST(AttributeValuesTest, RepeatedEntriesForACodeAreMerged) {
  auto r = validate_attribute_values(
      fallen_tree(), with_required({sub("HAZARDS", {"road"}), sub("HAZARDS", {"house"})}));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->at(2).values, (std::vector<std::string>{"road", "house"}));
  expect_invalid_value(
      validate_attribute_values(fallen_tree(),
                                with_required({sub("PLATE", {"A"}), sub("PLATE", {"B"})})),
      "PLATE", "a string sent twice");
}

// --- Form fields

TEST(AttributeFieldsTest, CollectsAttributeFieldsAndIgnoresOthers) {
  const Fields form = {
      {"api_key", "k"},        {"attribute[TREES]", "2"},         {"attribute[HAZARDS][]", "road"},
      {"description", "x"},    {"attribute[HAZARDS][]", "wires"}, {"attributes", "ignored"},
      {"attribute[SIDE]", "N"}};
  auto r = collect_attribute_fields(form);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].code, "TREES");
  EXPECT_EQ((*r)[1].code, "HAZARDS");
  EXPECT_EQ((*r)[1].values, (std::vector<std::string>{"road", "wires"}));
  EXPECT_EQ((*r)[2].values, std::vector<std::string>{"N"});
  EXPECT_TRUE(validate_attribute_values(fallen_tree(), *r));
}

TEST(AttributeFieldsTest, MalformedAttributeFieldNameIsRejected) {
  for (std::string name : {"attribute[", "attribute[]", "attribute[TREES", "attribute[TREES][0]",
                           "attribute[TREES]x", "attribute[TREES][][]", "attribute[]]"}) {
    auto r = collect_attribute_fields({{name, "1"}});
    ASSERT_FALSE(r) << name;
    EXPECT_EQ(r.error().user_key, "requests.attribute.invalid") << name;
  }
}

TEST(AttributeFieldsTest, OverLongUnknownCodeIsCutInTheLog) {
  auto r = validate_attribute_values(fallen_tree(), {sub(std::string(5000, 'X'), {"1"})});
  ASSERT_FALSE(r);
  EXPECT_LT(r.error().detail.size(), 120u);
}

}  // namespace
}  // namespace zocalo::requests
