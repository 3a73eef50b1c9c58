#pragma once
// Parsers for outside input: percent-encoding, query strings, urlencoded and multipart forms.
// All of them are bounded, reject invalid UTF-8 in text fields, and are fuzzed (fuzz/).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::http {

struct UploadedFile {
  std::string field;
  std::string filename;      // as sent by the client: never trust it as a path
  std::string content_type;  // as sent by the client: sniff the bytes before trusting it
  std::string data;
};

struct FormLimits {
  std::size_t max_fields = 200;
  std::size_t max_field_bytes = 64 * 1024;
  std::size_t max_files = 10;
  std::size_t max_file_bytes = 10 * 1024 * 1024;
};

class FormData {
 public:
  // First value of `name`, if present.
  std::optional<std::string_view> get(std::string_view name) const;
  std::string_view get_or(std::string_view name, std::string_view fallback) const;
  std::vector<std::string_view> get_all(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  const std::vector<UploadedFile>& files() const { return files_; }
  // The first file sent as `field`, or null.
  const UploadedFile* file(std::string_view field) const;
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  void add_file(UploadedFile f) { files_.push_back(std::move(f)); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
  std::vector<UploadedFile> files_;
};

// Decodes %XX (and '+' as space when `plus_as_space`); fails on a bad escape, invalid UTF-8
// or a NUL byte (no text field needs one, PostgreSQL text cannot store one, and C APIs
// further down would silently cut the string there).
std::optional<std::string> percent_decode(std::string_view s, bool plus_as_space);
std::string percent_encode(std::string_view s);

// application/x-www-form-urlencoded (also used for query strings).
Result<FormData> parse_urlencoded(std::string_view body, const FormLimits& limits = {});
// multipart/form-data (RFC 7578); `content_type` is the full header value holding the boundary.
// Text fields must be valid UTF-8 without NUL. A file part with an empty filename and no bytes
// (a file input left empty, as browsers send it) is not added to files().
Result<FormData> parse_multipart(std::string_view body, std::string_view content_type,
                                 const FormLimits& limits = {});

}  // namespace zocalo::http
