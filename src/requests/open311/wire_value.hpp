#pragma once
// One Open311 document, built once and written as XML or JSON, so that the two formats cannot
// drift apart.
//
// Open311 GeoReport v2, "Format Support": the JSON mirrors the XML with the root element dropped
// and repeated children as arrays. A WireValue therefore knows, for each array, the element name
// its items take in XML (`<services><service>…`, `<formats><format>…`), and render() takes the
// root element's name for XML only.
//
//   kind     XML                                    JSON
//   null     <name/>                                null
//   string   <name>escaped</name> (<name/> if "")   "escaped"
//   number   <name>text</name>                      text (already a JSON number)
//   boolean  <name>true|false</name>                true|false
//   object   <name><field>…</field>…</name>          {"field":…,…} in insertion order
//   array    <name><item>…</item>…</name>           […]
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "requests/open311/format.hpp"

namespace zocalo::requests::open311 {

class WireValue {
 public:
  enum class Kind { kNull, kString, kNumber, kBoolean, kObject, kArray };

  static WireValue null() { return WireValue(Kind::kNull); }
  static WireValue string(std::string_view text);
  // Empty text is written as null: an absent optional field (the spec's JSON examples write
  // `"agency_responsible":null`, its XML examples an empty element).
  static WireValue optional_string(std::string_view text);
  static WireValue integer(std::int64_t number);
  // WGS84 degrees with 7 decimals (about 1 cm): fixed so that clients never see exponents.
  // A non-finite number is written as null: JSON has no NaN.
  static WireValue coordinate(double degrees);
  static WireValue boolean(bool value);
  // Open311 GeoReport v2: every datetime is ISO 8601 with a zone. Written in UTC with "Z"
  // (time::to_iso8601), the one zone that needs no time-zone database and stays correct for
  // instants before Mexico dropped DST in 2022; nullopt is written as null.
  static WireValue datetime(std::optional<std::int64_t> unix_seconds);
  static WireValue object() { return WireValue(Kind::kObject); }
  // Items of the array are written as <item_name> elements in XML.
  static WireValue array(std::string_view item_name);

  // Adds a field to an object (fields keep their order); returns *this to chain.
  WireValue& add(std::string_view name, WireValue value);
  // Appends an item to an array; returns *this to chain.
  WireValue& push(WireValue value);

  Kind kind() const { return kind_; }
  // The text of a string or number, "true"/"false" of a boolean.
  const std::string& scalar() const { return scalar_; }
  // XML name of an array's items.
  const std::string& item_name() const { return item_name_; }
  // An object's fields, or an array's items (with empty names).
  const std::vector<std::pair<std::string, WireValue>>& children() const { return children_; }

 private:
  explicit WireValue(Kind kind) : kind_(kind) {}

  Kind kind_;
  std::string scalar_;
  std::string item_name_;
  std::vector<std::pair<std::string, WireValue>> children_;
};

// The document in `format`: XML under a root element named `xml_root` (after the declaration),
// or compact JSON (`xml_root` unused). Text is cleaned by text::clean_xml_text in both formats.
std::string render(const WireValue& document, std::string_view xml_root, Format format);

// A JSON string literal for `text` after text::clean_xml_text(): " and \ escaped, control
// characters (tab, LF, CR are the only ones left) as \t \n \r.
std::string json_quote(std::string_view text);

}  // namespace zocalo::requests::open311
