#include "requests/open311/wire_value.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include "platform/core/text.hpp"
#include "platform/core/time.hpp"
#include "requests/open311/xml_writer.hpp"

namespace zocalo::requests::open311 {

WireValue WireValue::string(std::string_view text) {
  WireValue v(Kind::kString);
  v.scalar_ = text;
  return v;
}

WireValue WireValue::optional_string(std::string_view text) {
  return text.empty() ? null() : string(text);
}

WireValue WireValue::integer(std::int64_t number) {
  WireValue v(Kind::kNumber);
  v.scalar_ = std::to_string(number);
  return v;
}

WireValue WireValue::coordinate(double degrees) {
  if (!std::isfinite(degrees)) return null();
  char buffer[64];
  const auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, degrees, std::chars_format::fixed, 7);
  if (ec != std::errc()) return null();  // cannot happen for finite degrees in 64 characters
  WireValue v(Kind::kNumber);
  v.scalar_.assign(buffer, end);
  if (v.scalar_ == "-0.0000000") v.scalar_.erase(0, 1);  // a rounded tiny negative
  return v;
}

WireValue WireValue::boolean(bool value) {
  WireValue v(Kind::kBoolean);
  v.scalar_ = value ? "true" : "false";
  return v;
}

WireValue WireValue::datetime(std::optional<std::int64_t> unix_seconds) {
  return unix_seconds ? string(time::to_iso8601(*unix_seconds)) : null();
}

WireValue WireValue::array(std::string_view item_name) {
  WireValue v(Kind::kArray);
  v.item_name_ = item_name;
  return v;
}

WireValue& WireValue::add(std::string_view name, WireValue value) {
  if (kind_ != Kind::kObject) throw std::logic_error("WireValue::add on a non-object");
  children_.emplace_back(std::string(name), std::move(value));
  return *this;
}

WireValue& WireValue::push(WireValue value) {
  if (kind_ != Kind::kArray) throw std::logic_error("WireValue::push on a non-array");
  children_.emplace_back(std::string(), std::move(value));
  return *this;
}

std::string json_quote(std::string_view text) {
  const std::string clean = text::clean_xml_text(text);
  std::string out;
  out.reserve(clean.size() + 2);
  out += '"';
  text::append_json_escaped(out, clean);
  out += '"';
  return out;
}

namespace {

void write_json(const WireValue& v, std::string& out) {
  switch (v.kind()) {
    case WireValue::Kind::kNull:
      out += "null";
      return;
    case WireValue::Kind::kString:
      out += json_quote(v.scalar());
      return;
    case WireValue::Kind::kNumber:
    case WireValue::Kind::kBoolean:
      out += v.scalar();
      return;
    case WireValue::Kind::kObject:
    case WireValue::Kind::kArray: {
      const bool object = v.kind() == WireValue::Kind::kObject;
      out += object ? '{' : '[';
      bool first = true;
      for (const auto& [name, child] : v.children()) {
        if (!first) out += ',';
        first = false;
        if (object) {
          out += json_quote(name);
          out += ':';
        }
        write_json(child, out);
      }
      out += object ? '}' : ']';
      return;
    }
  }
}

void write_xml(const WireValue& v, std::string_view name, XmlWriter& xml) {
  switch (v.kind()) {
    case WireValue::Kind::kNull:
      xml.element(name, "");
      return;
    case WireValue::Kind::kString:
    case WireValue::Kind::kNumber:
    case WireValue::Kind::kBoolean:
      xml.element(name, v.scalar());
      return;
    case WireValue::Kind::kObject:
    case WireValue::Kind::kArray: {
      const bool object = v.kind() == WireValue::Kind::kObject;
      xml.open(name);
      for (const auto& [child_name, child] : v.children()) {
        write_xml(child, object ? std::string_view(child_name) : v.item_name(), xml);
      }
      xml.close();
      return;
    }
  }
}

}  // namespace

std::string render(const WireValue& document, std::string_view xml_root, Format format) {
  if (format == Format::kJson) {
    std::string out;
    write_json(document, out);
    return out;
  }
  XmlWriter xml;
  write_xml(document, xml_root, xml);
  return xml.finish();
}

}  // namespace zocalo::requests::open311
