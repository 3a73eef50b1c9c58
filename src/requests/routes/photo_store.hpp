#pragma once
// Table request_photos (migration 0013): which request a stored photo and its thumbnail belong
// to. Filing a request with its photo is ResidentRequestStore::file with the photo's row in the
// same transaction, for both the web form and the Open311 API. The photo route asks is_public()
// before serving any blob, so it serves only photos of requests that are not private (issue 4:
// private requests are never shown).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/blobs/blob_store.hpp"
#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "requests/model/request_intake.hpp"
#include "requests/model/service.hpp"
#include "requests/routes/photo_upload.hpp"
#include "requests/store/area_locator.hpp"
#include "requests/store/request_store.hpp"

namespace zocalo::requests {

class PhotoStore {
 public:
  explicit PhotoStore(db::Database& db) : db_(db) {}
  // With the blob store the photo went into: a refused file() then removes the photo's blobs
  // (discard_unnamed), so a refused post leaves none behind.
  PhotoStore(db::Database& db, blobs::BlobStore* blobs) : db_(db), blobs_(blobs) {}

  // ResidentRequestStore::file with, when `photo` is given, the photo's row in the same
  // transaction: all or nothing; a refused file also discards the photo's blobs.
  Result<CreatedRequest> file(AreaLocator& areas, const NewServiceRequest& request,
                              const Service& service, const std::string& chosen_area,
                              std::string_view locale, std::string_view base_url,
                              const std::optional<StoredPhoto>& photo);

  // The photo of request `request_id` if it has one and the request is not private.
  Result<std::optional<StoredPhoto>> public_photo(long long request_id);

  // Whether `sha256` names the photo or the thumbnail of some request that is not private.
  Result<bool> is_public(std::string_view sha256);

  // Removes the photo's and the thumbnail's blobs unless a request_photos row names them (the
  // same picture sent with another request). Blobs are put before their row is written, so a
  // crash in between leaves a blob without a row (harmless, never served), never the reverse;
  // this only tidies the refusals we see. Failures are logged, never returned: the answer to
  // the resident does not depend on them. No-op without a blob store.
  void discard_unnamed(const StoredPhoto& photo);

 private:
  db::Database& db_;
  blobs::BlobStore* blobs_ = nullptr;
};

}  // namespace zocalo::requests
