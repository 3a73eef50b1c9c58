#pragma once
// A report's photo on its way in (issue 4, item 4: "photo upload (resized and stripped of
// metadata)"): whatever the resident or the app sent goes through media::normalise_photo, and
// only the normalised JPEG and its thumbnail reach the blob store. The upload itself is never
// stored, so its EXIF/GPS never is either.
#include <string>
#include <string_view>

#include "platform/blobs/blob_store.hpp"
#include "platform/core/result.hpp"
#include "platform/media/photo.hpp"

namespace zocalo::requests {

// The blob names (lowercase hex SHA-256) of a stored photo and its thumbnail.
struct StoredPhoto {
  std::string photo_sha256;
  std::string thumb_sha256;
};

// Normalises `upload` and stores both images. Errors are media::normalise_photo's (their keys,
// `media.*`, are the messages shown to the resident) or the blob store's; nothing is stored
// when normalisation fails. CPU-heavy (up to ~1 s for a 16 MP progressive JPEG): call it from
// the worker pool, never the I/O thread.
Result<StoredPhoto> store_photo(blobs::BlobStore& blobs, std::string_view upload,
                                const media::PhotoLimits& limits);

// Where a stored image is served: <base_url>/reportes/fotos/<sha256>.jpg.
std::string photo_url(std::string_view base_url, std::string_view sha256);

// The sha256 in "<sha256>.jpg" (the photo route's last segment), or empty when the name is
// anything else.
std::string photo_name_sha(std::string_view file_name);

}  // namespace zocalo::requests
