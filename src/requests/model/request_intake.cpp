#include "requests/model/request_intake.hpp"

#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <cmath>

#include "platform/core/text.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::requests {
namespace {

Error invalid(std::string_view field, std::string_view why) {
  return Error::invalid("requests.intake.invalid", std::string(field) + ": " + std::string(why));
}

bool is_ascii_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Valid UTF-8 without C0/C1 controls or DEL, except tab and LF when `multiline`.
bool is_printable_text(std::string_view s, bool multiline) {
  const auto decoded = utf8::decode(s);
  if (!decoded) return false;
  for (const char32_t c : *decoded) {
    if (multiline && (c == U'\n' || c == U'\t')) continue;
    if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return false;
    if (c == 0xFFFE || c == 0xFFFF) return false;
  }
  return true;
}

}  // namespace

Result<std::string> check_email(std::string_view value) {
  const std::string_view v = text::trim_space(value);
  if (v.empty() || v.size() > kEmailMaxBytes) {
    return fail(invalid("email", "must be an e-mail address of at most 254 characters"));
  }
  const std::size_t at = v.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= v.size() || at > 64) {
    return fail(invalid("email", "must look like name@example.org"));
  }
  // RFC 5322 dot-atom local part: letters, digits and !#$%&'*+/=?^_`{|}~- with single dots.
  const std::string_view local = v.substr(0, at);
  constexpr std::string_view kAtext = "!#$%&'*+/=?^_`{|}~-";
  for (std::size_t i = 0; i < local.size(); ++i) {
    const char c = local[i];
    if (c == '.') {
      if (i == 0 || i + 1 == local.size() || local[i - 1] == '.') {
        return fail(invalid("email", "must look like name@example.org"));
      }
      continue;
    }
    if (!is_ascii_alnum(c) && kAtext.find(c) == std::string_view::npos) {
      return fail(invalid("email", "must look like name@example.org"));
    }
  }
  // A DNS name with at least two labels of letters, digits and inner hyphens.
  std::string domain(v.substr(at + 1));
  std::size_t label = 0;
  std::size_t labels = 1;
  for (std::size_t i = 0; i < domain.size(); ++i) {
    char& c = domain[i];
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '.') {
      if (label == 0 || domain[i - 1] == '-') {
        return fail(invalid("email", "must look like name@example.org"));
      }
      label = 0;
      ++labels;
      continue;
    }
    if (!is_ascii_alnum(c) && !(c == '-' && label > 0)) {
      return fail(invalid("email", "must look like name@example.org"));
    }
    if (++label > 63) return fail(invalid("email", "has a domain label over 63 characters"));
  }
  if (labels < 2 || label == 0 || domain.back() == '-') {
    return fail(invalid("email", "must look like name@example.org"));
  }
  return std::string(local) + "@" + domain;
}

Result<std::string> check_phone(std::string_view value) {
  const std::string_view v = text::trim_space(value);
  std::size_t digits = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '+' && i == 0) {
      continue;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return fail(invalid("phone", "may hold only digits, a leading +, spaces, - . ( )"));
    }
  }
  if (digits < kPhoneMinDigits || digits > kPhoneMaxDigits || v.size() > 32) {
    return fail(invalid("phone", "must have 8 to 15 digits"));
  }
  return std::string(v);
}

Result<std::string> check_person_name(std::string_view field, std::string_view value) {
  const std::string_view v = text::trim_space(value);
  if (v.empty() || !is_printable_text(v, false)) {
    return fail(invalid(field, "must be printable text"));
  }
  if (utf8::count_code_points(v) > kNameMaxChars) {
    return fail(invalid(field, "must be at most 100 characters"));
  }
  if (v.find_first_of("<>\";={}") != std::string_view::npos) {
    return fail(invalid(field, "must not contain < > \" ; = { }"));
  }
  return std::string(v);
}

Result<std::string> check_identifier(std::string_view field, std::string_view value) {
  const std::string_view v = text::trim_space(value);
  if (v.empty() || v.size() > kIdentifierMaxBytes) {
    return fail(invalid(field, "must be 1 to 64 characters"));
  }
  for (const char c : v) {
    if (!is_ascii_alnum(c) && c != '_' && c != '.' && c != ':' && c != '@' && c != '-') {
      return fail(invalid(field, "may hold only A-Z a-z 0-9 _ . : @ -"));
    }
  }
  return std::string(v);
}

Result<std::string> check_free_text(std::string_view field, std::string_view value,
                                    std::size_t max_chars) {
  std::string normalised;
  normalised.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r') {
      normalised += '\n';
      if (i + 1 < value.size() && value[i + 1] == '\n') ++i;
    } else {
      normalised += value[i];
    }
  }
  const std::string_view v = text::trim_space(normalised);
  if (!is_printable_text(v, true)) {
    return fail(invalid(field, "must be valid UTF-8 text without control characters"));
  }
  if (utf8::count_code_points(v) > max_chars) {
    return fail(invalid(field, "must be at most " + std::to_string(max_chars) + " characters"));
  }
  return std::string(v);
}

Result<std::string> check_media_url(std::string_view value) {
  const std::string_view v = text::trim_space(value);
  if (v.size() > kMediaUrlMaxBytes || !text::is_printable_ascii(v) ||
      v.find_first_of(" \"'<>\\`") != std::string_view::npos) {
    return fail(invalid("media_url", "must be an http(s) URL of at most 2,000 characters"));
  }
  const std::size_t scheme = v.starts_with("https://") ? 8 : v.starts_with("http://") ? 7 : 0;
  if (scheme == 0 || v.size() == scheme || v[scheme] == '/') {
    return fail(invalid("media_url", "must be an absolute http(s) URL"));
  }
  return std::string(v);
}

std::optional<double> parse_degrees(std::string_view text) {
  const std::string_view v = text::trim_space(text);
  if (v.empty() || v.size() > 32) return std::nullopt;
  std::size_t i = (v[0] == '-' || v[0] == '+') ? 1 : 0;
  std::size_t digits = 0;
  bool dot = false;
  for (std::size_t j = i; j < v.size(); ++j) {
    if (v[j] >= '0' && v[j] <= '9') {
      ++digits;
    } else if (v[j] == '.' && !dot) {
      dot = true;
    } else {
      return std::nullopt;  // exponents, "nan", "inf", "0x…", commas
    }
  }
  if (digits == 0) return std::nullopt;
  const std::string_view number = v.substr(v[0] == '+' ? 1 : 0);
  double out = 0;
  const auto [end, ec] =
      std::from_chars(number.data(), number.data() + number.size(), out, std::chars_format::fixed);
  if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(out)) {
    return std::nullopt;
  }
  return out;
}

std::string attributes_to_json(const std::vector<AttributeAnswer>& answers) {
  boost::json::array array;
  for (const AttributeAnswer& a : answers) {
    boost::json::array values;
    for (const std::string& v : a.values) values.emplace_back(v);
    array.push_back(boost::json::object{{"code", a.code}, {"values", std::move(values)}});
  }
  return boost::json::serialize(array);
}

}  // namespace zocalo::requests
