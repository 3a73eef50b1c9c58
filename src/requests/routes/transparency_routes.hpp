#pragma once
// 311's public transparency (issue 4, item 8), all server-rendered and usable with JavaScript
// off:
//
//   GET /reportes/cifras[?periodo=30|90|365]   figures per service and per agency (tables)
//   GET /reportes/mapa                         open requests per alcaldía: inline SVG + table
//   GET /reportes/datos.csv[?desde=&hasta=&pagina=]      open data, RFC 4180
//   GET /reportes/datos.geojson[?desde=&hasta=&pagina=]  open data, RFC 7946
//
// The exports carry no personal data (store/export_store.hpp) and page by `pagina`: at most
// kExportPageRows rows per file, the next page announced in a `Link: <…>; rel="next"` header.
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/renderer.hpp"

namespace zocalo::requests {

// `renderer` must outlive the router (the server's, or a test's).
void register_transparency_routes(http::Router& router, db::Database& db,
                                  const web::ErrorPages& errors, const web::Renderer& renderer);

}  // namespace zocalo::requests
