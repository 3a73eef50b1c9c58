#include "platform/web/static_assets.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "platform/core/crypto.hpp"
#include "platform/core/log.hpp"
#include "platform/http/gzip.hpp"

namespace zocalo::web {
namespace {

constexpr std::string_view kPrefix = "static/";
constexpr std::size_t kFingerprintHex = 8;

std::string_view extension_of(std::string_view name) {
  const std::size_t slash = name.rfind('/');
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return name.substr(dot + 1);
}

// RFC 9110 §13.1.2: If-None-Match uses the weak comparison, so W/"x" matches "x".
bool etag_listed(std::string_view header, std::string_view etag) {
  if (header.find('*') != std::string_view::npos) return true;
  std::size_t pos = 0;
  while ((pos = header.find(etag, pos)) != std::string_view::npos) {
    const std::size_t end = pos + etag.size();
    const bool starts =
        pos == 0 || header[pos - 1] == ' ' || header[pos - 1] == ',' || header[pos - 1] == '/';
    const bool ends = end == header.size() || header[end] == ',' || header[end] == ' ';
    if (starts && ends) return true;
    pos = end;
  }
  return false;
}

}  // namespace

std::string content_type_for(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kTypes{{
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"txt", "text/plain; charset=utf-8"},
      {"json", "application/json"},
      {"geojson", "application/geo+json"},
      {"webmanifest", "application/manifest+json"},
      {"xml", "application/xml"},
      {"pdf", "application/pdf"},
      {"html", "text/html; charset=utf-8"},
  }};
  const std::string_view ext = extension_of(name);
  for (const auto& [e, type] : kTypes) {
    if (http::iequals(e, ext)) return std::string(type);
  }
  return "application/octet-stream";
}

std::string fingerprinted_name(std::string_view name, std::string_view hex_digest) {
  const std::string_view hash = hex_digest.substr(0, kFingerprintHex);
  const std::string_view ext = extension_of(name);
  if (ext.empty()) return std::string(name) + "." + std::string(hash);
  const std::string_view stem = name.substr(0, name.size() - ext.size() - 1);
  return std::string(stem) + "." + std::string(hash) + "." + std::string(ext);
}

StaticAssets::StaticAssets(std::span<const assets::File> files, http::ErrorRenderer not_found)
    : not_found_(std::move(not_found)) {
  for (const auto& file : files) {
    if (!file.path.starts_with(kPrefix)) continue;
    const std::string_view name = file.path.substr(kPrefix.size());
    const std::string digest = crypto::sha256_hex(file.data);
    const std::string fingerprinted = fingerprinted_name(name, digest);
    Entry entry;
    entry.data = file.data;
    entry.content_type = content_type_for(name);
    entry.etag = "\"" + digest.substr(0, 32) + "\"";
    entry.gzip_etag = "\"" + digest.substr(0, 32) + ".gz\"";
    entry.url = "/static/" + fingerprinted;
    if (http::is_compressible_type(entry.content_type)) {
      // The best level: paid once at start, saved on every response.
      std::string gz = http::gzip_compress(file.data, 9);
      if (!gz.empty() && gz.size() < file.data.size()) entry.gzip = std::move(gz);
    }
    by_name_.emplace(std::string(name), entry);
    entry.immutable = true;
    by_name_.emplace(fingerprinted, std::move(entry));
  }
}

std::optional<std::string> StaticAssets::url(std::string_view name) const {
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second.url;
}

http::Response StaticAssets::serve(http::Request& req) const {
  const auto param = req.params.find("path");
  const auto it = param == req.params.end() ? by_name_.end() : by_name_.find(param->second);
  if (it == by_name_.end()) {
    if (not_found_) return not_found_(req, 404);
    return http::Response::text("Not found\n", 404);
  }
  return answer(req, it->second);
}

http::Response StaticAssets::answer(const http::Request& req, const Entry& entry) const {
  const auto accept_encoding = req.header("Accept-Encoding");
  const bool gzip = !entry.gzip.empty() && accept_encoding && http::accepts_gzip(*accept_encoding);
  const std::string& etag = gzip ? entry.gzip_etag : entry.etag;
  const auto if_none_match = req.header("If-None-Match");
  http::Response res = if_none_match && etag_listed(*if_none_match, etag)
                           ? http::Response::empty(304)
                           : http::Response::with_type(entry.content_type,
                                                       gzip ? entry.gzip : std::string(entry.data));
  res.headers.set("ETag", etag);
  res.headers.set("Cache-Control",
                  entry.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  if (!entry.gzip.empty()) res.headers.set("Vary", "Accept-Encoding");
  if (gzip && res.status == 200) res.headers.set("Content-Encoding", "gzip");
  // Compressed once at start (or not worth compressing): the server must not do it again.
  res.compressible = false;
  return res;
}

void StaticAssets::register_routes(http::Router& router) const {
  http::RouteOptions inline_route;
  inline_route.run_inline = true;
  router.get(
      "/static/{path*}", [this](http::Request& req) { return serve(req); }, inline_route);
  const auto robots = by_name_.find("robots.txt");
  if (robots != by_name_.end()) {
    const Entry* entry = &robots->second;
    router.get(
        "/robots.txt", [this, entry](http::Request& req) { return answer(req, *entry); },
        inline_route);
  }
}

std::string asset_url(std::string_view name) {
  // The same fingerprint StaticAssets serves under, computed for this one file only.
  const auto data = assets::find(std::string(kPrefix) + std::string(name));
  if (!data) {
    log::warn("web.asset_unknown", {{"name", name}});
    return "/static/" + std::string(name);
  }
  return "/static/" + fingerprinted_name(name, crypto::sha256_hex(*data));
}

}  // namespace zocalo::web
