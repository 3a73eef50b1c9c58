#pragma once
// The embedded static/ files, served at /static/<name> with revalidation (no-cache + ETag) and
// at /static/<stem>.<8 hex of SHA-256>.<ext> cached for a year: pages link the fingerprinted
// name, so a new build changes the URL and no phone ever runs with a stale stylesheet.
// Lookups only ever consult the embedded map, never the file system, so no path (.., %2e%2e,
// absolute, NUL) can reach anything else.
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "platform/core/assets.hpp"
#include "platform/http/router.hpp"
#include "platform/http/server.hpp"

namespace zocalo::web {

class StaticAssets {
 public:
  // `files` are all embedded assets; those under static/ are served. `not_found` answers
  // unknown names (the site's 404 page); without it a short text 404 is sent.
  explicit StaticAssets(std::span<const assets::File> files = assets::all(),
                        http::ErrorRenderer not_found = {});

  // "/static/app.1a2b3c4d.css" for "app.css"; nullopt when there is no such file.
  std::optional<std::string> url(std::string_view name) const;
  // Answers GET/HEAD /static/{path*} (the name arrives in req.params["path"]).
  http::Response serve(http::Request& req) const;
  // /static/{path*} and, when static/robots.txt exists, /robots.txt. Both run inline: they
  // touch neither disk nor database.
  void register_routes(http::Router& router) const;

 private:
  struct Entry {
    std::string_view data;
    std::string gzip;  // pre-compressed once at start, empty when not worth it
    std::string content_type;
    std::string etag;       // strong, from the content hash
    std::string gzip_etag;  // a different representation needs a different strong tag
    std::string url;        // fingerprinted URL
    bool immutable = false;
  };
  http::Response answer(const http::Request& req, const Entry& entry) const;

  std::map<std::string, Entry, std::less<>> by_name_;  // plain and fingerprinted names
  http::ErrorRenderer not_found_;
};

// "text/css; charset=utf-8" for "app.css"; application/octet-stream when unknown.
std::string content_type_for(std::string_view name);
// "app.1a2b3c4d.css" for ("app.css", hex digest...); the hash goes before the last extension.
std::string fingerprinted_name(std::string_view name, std::string_view hex_digest);
// The fingerprinted URL of an embedded static file, for templates and the layout; falls back
// to the plain "/static/<name>" (which revalidates) if the name is unknown.
std::string asset_url(std::string_view name);

}  // namespace zocalo::web
