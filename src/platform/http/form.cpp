#include "platform/http/form.hpp"

#include <string>
#include <utility>

#include "platform/http/headers.hpp"

namespace zocalo::http {
namespace {

// RFC 7578 puts no bound on a part's header section; real browsers send two short lines.
constexpr std::size_t kMaxPartHeaderBytes = 8 * 1024;
// RFC 2046 §5.1.1: boundary := 0*69<bchars> bcharsnospace, so 1..70 characters.
constexpr std::size_t kMaxBoundaryLength = 70;
// More parameters than this on one header value is not a browser talking.
constexpr std::size_t kMaxParameters = 16;

Error bad_form(std::string detail) {
  return Error::invalid("error.bad_form", std::move(detail));
}
Error too_large(std::string detail) {
  return Error{ErrorKind::kTooLarge, "error.too_large", std::move(detail)};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_valid_text(std::string_view s) {
  return s.find('\0') == std::string_view::npos && utf8::is_valid(s);
}

bool is_unreserved(unsigned char c) {
  // RFC 3986 §2.3
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_ows(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// A control character other than HTAB: never allowed in a header field (RFC 9110 §5.5).
bool has_ctl(std::string_view s) {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) return true;
  }
  return false;
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

using Parameters = std::vector<std::pair<std::string, std::string>>;

// Parses `*( OWS ";" OWS parameter )` (RFC 9110 §5.6.6) where parameter is token "=" ( token /
// quoted-string ). Names are lowercased. A duplicate name is an error: two parsers that pick
// different copies of `name` or `boundary` are how request smuggling and filter bypasses start.
std::optional<Parameters> parse_parameters(std::string_view s) {
  Parameters params;
  std::size_t i = 0;
  auto skip_ows = [&] {
    while (i < s.size() && is_ows(s[i])) ++i;
  };
  while (true) {
    skip_ows();
    if (i == s.size()) return params;
    if (s[i] != ';') return std::nullopt;
    ++i;
    skip_ows();
    if (i == s.size()) return params;  // a trailing ';' is harmless
    if (s[i] == ';') continue;         // so is an empty parameter
    const std::size_t name_start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ';' && !is_ows(s[i])) ++i;
    const std::string_view name = s.substr(name_start, i - name_start);
    // RFC 9110 §5.6.6 has no whitespace around '='.
    if (!is_token(name) || i == s.size() || s[i] != '=') return std::nullopt;
    ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE (RFC 9110 §5.6.4)
      ++i;
      bool closed = false;
      while (i < s.size()) {
        const char c = s[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\') {
          if (i == s.size()) return std::nullopt;
          value.push_back(s[i++]);
        } else {
          value.push_back(c);
        }
      }
      if (!closed) return std::nullopt;
    } else {
      const std::size_t value_start = i;
      while (i < s.size() && s[i] != ';' && !is_ows(s[i])) ++i;
      value = std::string(s.substr(value_start, i - value_start));
      if (!is_token(value)) return std::nullopt;
    }
    std::string key = ascii_lower(name);
    for (const auto& [existing, unused] : params) {
      if (existing == key) return std::nullopt;
    }
    if (params.size() == kMaxParameters) return std::nullopt;
    params.emplace_back(std::move(key), std::move(value));
  }
}

const std::string* find_parameter(const Parameters& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return &v;
  }
  return nullptr;
}

bool is_bchar(char c) {
  // RFC 2046 §5.1.1: bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," /
  // "-" / "." / "/" / ":" / "=" / "?"; bchars adds " ".
  constexpr std::string_view kSymbols = "'()+_,-./:=? ";
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         kSymbols.find(c) != std::string_view::npos;
}

Result<std::string> boundary_from(std::string_view content_type) {
  const std::size_t semi = content_type.find(';');
  const std::string_view media = trim_ows(content_type.substr(0, semi));
  if (!iequals(media, "multipart/form-data")) return fail(bad_form("not multipart/form-data"));
  if (semi == std::string_view::npos) return fail(bad_form("multipart without boundary"));
  auto params = parse_parameters(content_type.substr(semi));
  if (!params) return fail(bad_form("malformed Content-Type parameters"));
  const std::string* boundary = find_parameter(*params, "boundary");
  if (boundary == nullptr) return fail(bad_form("multipart without boundary"));
  if (boundary->empty() || boundary->size() > kMaxBoundaryLength || boundary->back() == ' ') {
    return fail(bad_form("boundary length or trailing space"));
  }
  for (char c : *boundary) {
    if (!is_bchar(c)) return fail(bad_form("boundary character outside RFC 2046 bchars"));
  }
  return *boundary;
}

struct PartHeaders {
  std::string name;
  std::optional<std::string> filename;
  std::optional<std::string> content_type;
};

Status parse_content_disposition(std::string_view value, PartHeaders& part) {
  const std::size_t semi = value.find(';');
  // RFC 7578 §4.2: each part has Content-Disposition "form-data" with a "name" parameter.
  if (!iequals(trim_ows(value.substr(0, semi)), "form-data")) {
    return fail(bad_form("part disposition is not form-data"));
  }
  if (semi == std::string_view::npos) return fail(bad_form("part without name"));
  auto params = parse_parameters(value.substr(semi));
  if (!params) return fail(bad_form("malformed Content-Disposition parameters"));
  const std::string* name = find_parameter(*params, "name");
  if (name == nullptr) return fail(bad_form("part without name"));
  // Names and filenames reach HTML, logs and the database: they must be text. Browsers
  // percent-encode '"', CR and LF in them (HTML "multipart/form-data encoding algorithm"), so
  // the quoted form never needs a control character. filename* (RFC 5987) is ignored, as RFC
  // 7578 §4.2 tells senders not to use it.
  if (!is_valid_text(*name)) return fail(bad_form("part name is not UTF-8"));
  part.name = *name;
  if (const std::string* filename = find_parameter(*params, "filename")) {
    if (!is_valid_text(*filename)) return fail(bad_form("filename is not UTF-8"));
    part.filename = *filename;
  }
  return {};
}

// `section` is the part's header lines, each ending in CRLF.
Result<PartHeaders> parse_part_headers(std::string_view section) {
  PartHeaders part;
  bool has_disposition = false;
  while (!section.empty()) {
    const std::size_t eol = section.find("\r\n");
    const std::string_view line = section.substr(0, eol);
    section.remove_prefix(eol == std::string_view::npos ? section.size() : eol + 2);
    // RFC 9112 §5.2: obsolete line folding is rejected; a lone CR or LF is a CTL here.
    if (line.empty() || is_ows(line.front())) return fail(bad_form("folded part header"));
    if (has_ctl(line)) return fail(bad_form("control character in part header"));
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
      return fail(bad_form("malformed part header line"));
    }
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim_ows(line.substr(colon + 1));
    if (iequals(name, "Content-Disposition")) {
      if (has_disposition) return fail(bad_form("duplicate Content-Disposition"));
      has_disposition = true;
      if (Status s = parse_content_disposition(value, part); !s) return fail(s.error());
    } else if (iequals(name, "Content-Type")) {
      if (part.content_type) return fail(bad_form("duplicate part Content-Type"));
      if (value.empty()) return fail(bad_form("empty part Content-Type"));
      part.content_type = std::string(value);
    } else if (iequals(name, "Content-Transfer-Encoding")) {
      // RFC 7578 §4.7: deprecated. We do not decode base64 or quoted-printable, and storing
      // the encoded bytes as if they were the file would be silently wrong.
      if (!iequals(value, "binary") && !iequals(value, "8bit") && !iequals(value, "7bit")) {
        return fail(bad_form("unsupported Content-Transfer-Encoding"));
      }
    }
    // RFC 7578 §4.8: other header fields are ignored.
  }
  if (!has_disposition) return fail(bad_form("part without Content-Disposition"));
  return part;
}

struct PartCounts {
  std::size_t fields = 0;
  std::size_t files = 0;
};

Status add_part(FormData& form, PartHeaders part, std::string_view content,
                const FormLimits& limits, PartCounts& counts) {
  if (part.filename) {
    // Empty file inputs still send a part; they count so that a flood of them stays bounded.
    if (++counts.files > limits.max_files) return fail(too_large("too many files"));
    if (content.size() > limits.max_file_bytes) return fail(too_large("file too large"));
    if (part.filename->empty() && content.empty()) return {};
    form.add_file(UploadedFile{std::move(part.name), std::move(*part.filename),
                               part.content_type.value_or("application/octet-stream"),
                               std::string(content)});
    return {};
  }
  if (++counts.fields > limits.max_fields) return fail(too_large("too many fields"));
  if (part.name.size() + content.size() > limits.max_field_bytes) {
    return fail(too_large("field too large"));
  }
  // RFC 7578 §5.1: we ask for UTF-8 (accept-charset) and take nothing else; a part Content-Type
  // naming another charset still has to be valid UTF-8.
  if (!is_valid_text(content)) return fail(bad_form("text field is not UTF-8"));
  form.add(std::move(part.name), std::string(content));
  return {};
}

}  // namespace

std::optional<std::string_view> FormData::get(std::string_view name) const {
  for (const auto& [k, v] : fields_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string_view FormData::get_or(std::string_view name, std::string_view fallback) const {
  return get(name).value_or(fallback);
}

const UploadedFile* FormData::file(std::string_view field) const {
  for (const auto& f : files_)
    if (f.field == field) return &f;
  return nullptr;
}

std::vector<std::string_view> FormData::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : fields_) {
    if (k == name) out.emplace_back(v);
  }
  return out;
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%') {
      // RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG; "%4" and "%zz" are errors, not text.
      if (s.size() - i < 3) return std::nullopt;
      const int high = hex_value(s[i + 1]);
      const int low = hex_value(s[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  if (!is_valid_text(out)) return std::nullopt;
  return out;
}

std::string percent_encode(std::string_view s) {
  constexpr std::string_view kHex = "0123456789ABCDEF";  // RFC 3986 §2.1: uppercase
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

Result<FormData> parse_urlencoded(std::string_view body, const FormLimits& limits) {
  // WHATWG URL §5.1 (application/x-www-form-urlencoded parsing), strict about escapes and
  // UTF-8 where the standard would substitute U+FFFD: a mangled field is an error, not data.
  FormData form;
  std::size_t count = 0;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t amp = body.find('&', start);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view pair = body.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    if (++count > limits.max_fields) return fail(too_large("too many fields"));
    // Each decoded byte takes at most three encoded ones (and '=' one), so a pair this long
    // is over the limit whatever it holds: refuse it before decoding.
    if ((pair.size() - 1) / 3 > limits.max_field_bytes) return fail(too_large("field too large"));
    const std::size_t eq = pair.find('=');
    auto name = percent_decode(pair.substr(0, eq), true);
    if (!name) return fail(bad_form("bad encoding in field name " + std::to_string(count)));
    auto value = percent_decode(
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!value) return fail(bad_form("bad encoding in field value " + std::to_string(count)));
    if (name->size() + value->size() > limits.max_field_bytes) {
      return fail(too_large("field too large"));
    }
    form.add(std::move(*name), std::move(*value));
  }
  return form;
}

Result<FormData> parse_multipart(std::string_view body, std::string_view content_type,
                                 const FormLimits& limits) {
  auto boundary = boundary_from(content_type);
  if (!boundary) return fail(boundary.error());
  // RFC 2046 §5.1.1: delimiter := CRLF dash-boundary; dash-boundary := "--" boundary. The CRLF
  // before a delimiter belongs to the delimiter, not to the part before it.
  const std::string delimiter = "\r\n--" + *boundary;
  const std::string_view dash_boundary = std::string_view(delimiter).substr(2);

  std::size_t pos = 0;
  if (body.starts_with(dash_boundary)) {
    pos = dash_boundary.size();
  } else {
    // A preamble is allowed before the first boundary, and ignored.
    const std::size_t found = body.find(delimiter);
    if (found == std::string_view::npos) return fail(bad_form("no opening boundary"));
    pos = found + delimiter.size();
  }

  FormData form;
  PartCounts counts;
  while (true) {
    // We stand just after a boundary. "--" makes it the close-delimiter; anything after that
    // is the epilogue, which is ignored.
    if (body.substr(pos).starts_with("--")) return form;
    // Otherwise transport-padding CRLF. Anything else means the boundary appeared as the prefix
    // of a line inside a part, which RFC 2046 §5.1.1 forbids: a sender that does it is broken
    // or hostile, and guessing where the part really ends is how parsers disagree.
    while (pos < body.size() && is_ows(body[pos])) ++pos;
    if (!body.substr(pos).starts_with("\r\n")) return fail(bad_form("malformed boundary line"));
    pos += 2;

    const std::string_view rest = body.substr(pos);
    std::string_view section;
    if (rest.starts_with("\r\n")) {
      pos += 2;  // a part with no header fields; it will lack its Content-Disposition
    } else {
      const std::string_view window = rest.substr(0, kMaxPartHeaderBytes + 4);
      const std::size_t end = window.find("\r\n\r\n");
      if (end == std::string_view::npos) {
        if (window.size() < rest.size()) return fail(too_large("part header section too large"));
        return fail(bad_form("unterminated part header section"));
      }
      section = rest.substr(0, end + 2);
      pos += end + 4;
    }
    auto part = parse_part_headers(section);
    if (!part) return fail(part.error());

    const std::size_t next = body.find(delimiter, pos);
    if (next == std::string_view::npos) return fail(bad_form("missing close delimiter"));
    const std::string_view content = body.substr(pos, next - pos);
    pos = next + delimiter.size();
    if (Status s = add_part(form, std::move(*part), content, limits, counts); !s) {
      return fail(s.error());
    }
  }
}

}  // namespace zocalo::http
