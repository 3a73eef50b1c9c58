#pragma once
// A tiny XML 1.0 writer for Open311 documents: the declaration, nested elements and text. No
// attributes, namespaces, comments or CDATA: GeoReport v2 uses none of them.
//
// Open311 GeoReport v2, "Encoding": the root element is preceded by the XML declaration with
// the encoding. Output is compact (no indentation), so text content is exactly the data.
//
// Text is safe whatever it holds: it goes through text::clean_xml_text() (invalid UTF-8 and
// characters XML 1.0 forbids become U+FFFD; see platform/core/text.hpp) and is escaped. Element
// names are the program's own constants; a name that is not a plain XML name, or calls out of order
// (text before the root, a second root, close() with nothing open) are bugs and throw
// std::logic_error.
#include <string>
#include <string_view>
#include <vector>

namespace zocalo::requests::open311 {

inline constexpr std::string_view kXmlDeclaration = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";

class XmlWriter {
 public:
  XmlWriter();

  // <name>
  void open(std::string_view name);
  // </name> of the innermost open element.
  void close();
  // Escaped text inside the innermost open element.
  void text(std::string_view text);
  // <name>text</name>, or <name/> when `text` is empty.
  void element(std::string_view name, std::string_view text);

  // Closes every element still open and returns the document. The writer is empty afterwards.
  std::string finish();

 private:
  void start_tag(std::string_view name);

  std::string out_;
  std::vector<std::string> open_;
  bool root_done_ = false;
};

// An ASCII XML name: a letter or '_' first, then letters, digits, '_', '-' or '.'. A subset of
// XML 1.0's Name production (no ':' since there are no namespaces) enough for every element of
// GeoReport v2 and its extensions.
bool is_xml_name(std::string_view name);

}  // namespace zocalo::requests::open311
