#include "platform/web/template_text.hpp"

#include "platform/core/text.hpp"
#include "platform/http/header_syntax.hpp"
#include "platform/web/catalog.hpp"

namespace zocalo::web {
namespace {

bool is_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

bool is_name_char(char c) {
  return is_key_char(c) || (c >= 'A' && c <= 'Z') || c == '/';
}

// A partial may include partials; a small bound turns an accidental cycle into an error.
constexpr int kMaxPartialDepth = 8;

Result<std::string> inline_at_depth(std::string_view source, const TemplateLookup& lookup,
                                    int depth) {
  if (depth > kMaxPartialDepth) {
    return fail(Error::internal("partials nested too deeply (a cycle?)"));
  }
  std::string out;
  out.reserve(source.size());
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = source.find("{{>", pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = source.find("}}", open);
    if (close == std::string_view::npos) return fail(Error::internal("unclosed partial tag"));
    const std::string_view name = http::trim_ows(source.substr(open + 3, close - open - 3));
    const auto partial = lookup(name);
    if (!partial) return fail(Error::internal("unknown partial '" + std::string(name) + "'"));
    auto expanded = inline_at_depth(*partial, lookup, depth + 1);
    if (!expanded) return expanded;
    out.append(source.substr(pos, open - pos));
    out.append(*expanded);
    pos = close + 2;
  }
  out.append(source.substr(pos));
  return out;
}

}  // namespace

bool only_plain_variables(std::string_view text) {
  std::size_t pos = 0;
  while ((pos = text.find("{{", pos)) != std::string_view::npos) {
    const std::size_t close = text.find("}}", pos + 2);
    if (close == std::string_view::npos) return false;
    const std::string_view name = http::trim_ows(text.substr(pos + 2, close - pos - 2));
    if (name.empty()) return false;
    for (const char c : name) {
      if (!is_name_char(c) || c == '/') return false;
    }
    pos = close + 2;
  }
  return true;
}

bool has_unescaped_tag(std::string_view source) {
  std::size_t pos = 0;
  while ((pos = source.find("{{", pos)) != std::string_view::npos) {
    const std::string_view rest = http::trim_ows(source.substr(pos + 2, 2));
    if (!rest.empty() && (rest.front() == '{' || rest.front() == '&' || rest.front() == '=')) {
      return true;
    }
    pos += 2;
  }
  return false;
}

std::vector<std::string> marker_keys(std::string_view source) {
  std::vector<std::string> keys;
  std::size_t pos = 0;
  while ((pos = source.find("[[", pos)) != std::string_view::npos) {
    const std::size_t close = source.find("]]", pos + 2);
    if (close == std::string_view::npos) break;
    keys.emplace_back(source.substr(pos + 2, close - pos - 2));
    pos = close + 2;
  }
  return keys;
}

Result<std::string> translate_markers(std::string_view source, const Catalog& catalog) {
  std::string out;
  out.reserve(source.size() + source.size() / 2);
  std::size_t pos = 0;
  while (true) {
    const std::size_t open = source.find("[[", pos);
    if (open == std::string_view::npos) break;
    const std::size_t close = source.find("]]", open + 2);
    const std::string_view key = close == std::string_view::npos
                                     ? std::string_view{}
                                     : source.substr(open + 2, close - open - 2);
    bool well_formed = !key.empty() && key.size() <= 128;
    for (const char c : key) well_formed = well_formed && is_key_char(c);
    if (!well_formed) {
      return fail(Error::internal("malformed message marker near '" +
                                  std::string(source.substr(open, 40)) + "'"));
    }
    const auto text = catalog.find(key);
    if (!text) {
      return fail(Error::internal("message '" + std::string(key) + "' missing from catalog " +
                                  catalog.locale()));
    }
    out.append(source.substr(pos, open - pos));
    out.append(text::escape_xml(*text));
    pos = close + 2;
  }
  out.append(source.substr(pos));
  return out;
}

Result<std::string> inline_partials(std::string_view source, const TemplateLookup& lookup) {
  return inline_at_depth(source, lookup, 0);
}

}  // namespace zocalo::web
