#include "platform/db/connection_url.hpp"

#include <libpq-fe.h>

#include <memory>

namespace zocalo::db {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// libpq conninfo values are single-quoted with backslash escapes (libpq "Connection Strings").
void append_conninfo_value(std::string& out, std::string_view v) {
  out.push_back('\'');
  for (char c : v) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
}

// Replaces the password in "scheme://user:password@host/..." and any "password=" query value.
std::string redact_url(std::string_view url) {
  std::string out(url);
  const auto scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    const auto authority = scheme_end + 3;
    const auto path = out.find_first_of("/?", authority);
    const auto at = out.rfind('@', path == std::string::npos ? out.size() : path);
    if (at != std::string::npos && at > authority) {
      const auto colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (std::size_t pos = out.find("password="); pos != std::string::npos;
       pos = out.find("password=", pos + 1)) {
    if (pos > 0 && out[pos - 1] != '?' && out[pos - 1] != '&') continue;
    const auto value = pos + 9;
    const auto end = out.find('&', value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

}  // namespace

Result<ConnectionUrl> parse_connection_url(std::string_view url) {
  ConnectionUrl parsed;
  if (starts_with(url, "sqlite:")) {
    std::string_view path = url.substr(7);
    if (starts_with(path, "//")) path.remove_prefix(2);
    if (path.empty()) return fail(Error::invalid("error.config", "sqlite URL without a path"));
    parsed.dialect = Dialect::kSqlite;
    parsed.sqlite_path = std::string(path);
    parsed.redacted = std::string(url);
    return parsed;
  }
  if (!starts_with(url, "postgresql://") && !starts_with(url, "postgres://")) {
    return fail(
        Error::invalid("error.config", "database URL must start with sqlite: or postgresql://"));
  }
  parsed.dialect = Dialect::kPostgres;
  parsed.redacted = redact_url(url);
  char* err = nullptr;
  const std::string text(url);
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
      PQconninfoParse(text.c_str(), &err), &PQconninfoFree);
  if (!options) {
    std::string detail = "invalid PostgreSQL URL " + parsed.redacted;
    if (err) {
      detail += ": ";
      detail += err;
      PQfreemem(err);
    }
    return fail(Error::invalid("error.config", detail));
  }
  for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
    if (!o->val) continue;
    if (!parsed.pg_conninfo.empty()) parsed.pg_conninfo.push_back(' ');
    parsed.pg_conninfo += o->keyword;
    parsed.pg_conninfo.push_back('=');
    append_conninfo_value(parsed.pg_conninfo, o->val);
  }
  return parsed;
}

}  // namespace zocalo::db
