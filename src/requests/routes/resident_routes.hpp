#pragma once
// The resident's pages of 311 (issue 4, items 4, 5, 7 and 8), all usable with JavaScript off:
//
//   GET  /reportes                     public list with filters (service, alcaldía, status)
//   GET  /reportes/nuevo[?servicio=X]  the report form (first the service, then the rest)
//   POST /reportes/nuevo               file it (duplicates near the point offered first)
//   GET  /reportes/mios                the signed-in resident's reports and followed ones
//   GET  /reportes/{folio}[?clave=T]   public page; the reporter may confirm or reopen
//   POST /reportes/{folio}/seguir      follow (signed in)
//   POST /reportes/{folio}/confirmar   the reporter confirms the fix
//   POST /reportes/{folio}/reabrir     the reporter reopens (within the window)
//   GET  /reportes/fotos/{sha256}.jpg  a photo or thumbnail of a request that is not private
#include <string>

#include "platform/blobs/blob_store.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"
#include "platform/media/photo.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/renderer.hpp"

namespace zocalo::requests {

struct ResidentRoutesOptions {
  std::string base_url;  // no trailing slash: links in notifications
  double duplicate_radius_meters = 50;
  // The pages' renderer; nullptr loads one from the embedded assets.
  const web::Renderer* renderer = nullptr;
  // Report photos: null hides the form's photo field and serves none.
  blobs::BlobStore* blobs = nullptr;
  media::PhotoLimits photo_limits;
};

Status register_resident_routes(http::Router& router, db::Database& db,
                                const web::ErrorPages& errors, ResidentRoutesOptions options);

}  // namespace zocalo::requests
