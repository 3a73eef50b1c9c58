#include "requests/routes/photo_upload.hpp"

#include "platform/blobs/blob_name.hpp"

namespace zocalo::requests {

Result<StoredPhoto> store_photo(blobs::BlobStore& blobs, std::string_view upload,
                                const media::PhotoLimits& limits) {
  auto image = media::normalise_photo(upload, limits);
  if (!image) return fail(image.error());
  // The thumbnail first: a photo row is written only after both puts returned, so a crash in
  // between leaves at worst an unnamed blob, never a row naming a missing one.
  auto thumb = blobs.put(image->thumbnail.bytes);
  if (!thumb) return fail(thumb.error());
  auto photo = blobs.put(image->bytes);
  if (!photo) return fail(photo.error());
  return StoredPhoto{.photo_sha256 = std::move(*photo), .thumb_sha256 = std::move(*thumb)};
}

std::string photo_url(std::string_view base_url, std::string_view sha256) {
  std::string url(base_url);
  url += "/reportes/fotos/";
  url += sha256;
  url += ".jpg";
  return url;
}

std::string photo_name_sha(std::string_view file_name) {
  if (!file_name.ends_with(".jpg")) return {};
  file_name.remove_suffix(4);
  if (!blobs::is_blob_name(file_name)) return {};
  return std::string(file_name);
}

}  // namespace zocalo::requests
