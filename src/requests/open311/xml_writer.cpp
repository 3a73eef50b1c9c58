#include "requests/open311/xml_writer.hpp"

#include <stdexcept>

#include "platform/core/text.hpp"

namespace zocalo::requests::open311 {

bool is_xml_name(std::string_view name) {
  if (name.empty()) return false;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
  if (!letter(name.front())) return false;
  for (char c : name) {
    if (!letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '.') return false;
  }
  return true;
}

XmlWriter::XmlWriter() : out_(kXmlDeclaration) {
  out_ += '\n';
}

void XmlWriter::start_tag(std::string_view name) {
  if (!is_xml_name(name)) throw std::logic_error("XmlWriter: not an XML name");
  if (open_.empty() && root_done_) throw std::logic_error("XmlWriter: a second root element");
  out_ += '<';
  out_ += name;
}

void XmlWriter::open(std::string_view name) {
  start_tag(name);
  out_ += '>';
  open_.emplace_back(name);
}

void XmlWriter::close() {
  if (open_.empty()) throw std::logic_error("XmlWriter: close() with no open element");
  out_ += "</";
  out_ += open_.back();
  out_ += '>';
  open_.pop_back();
  if (open_.empty()) root_done_ = true;
}

void XmlWriter::text(std::string_view text) {
  if (open_.empty()) throw std::logic_error("XmlWriter: text outside the root element");
  out_ += text::escape_xml(text);
}

void XmlWriter::element(std::string_view name, std::string_view text) {
  if (text.empty()) {
    start_tag(name);
    out_ += "/>";
    if (open_.empty()) root_done_ = true;
    return;
  }
  open(name);
  this->text(text);
  close();
}

std::string XmlWriter::finish() {
  while (!open_.empty()) close();
  std::string document = std::move(out_);
  out_ = std::string(kXmlDeclaration) + '\n';
  root_done_ = false;
  return document;
}

}  // namespace zocalo::requests::open311
