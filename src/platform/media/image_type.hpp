#pragma once
// What an upload really is, decided from its first bytes. The client's Content-Type and file
// name are never consulted: both are whatever the sender chose to write (issue #4's "non-image
// uploads posing as images").
#include <string_view>

namespace zocalo::media {

enum class ImageType {
  kUnknown,  // anything we do not accept: text, PDF, GIF, BMP, TIFF, SVG, AVIF, ...
  kJpeg,
  kPng,
  kWebp,
  kHeic,  // HEIF container with an HEVC image (iPhone photos)
};

// Looks only at the magic bytes (the first 32 at most); never decodes.
ImageType sniff_image_type(std::string_view bytes);

// "jpeg", "png", "webp", "heic", "unknown": for logs and metrics labels.
std::string_view image_type_name(ImageType type);

}  // namespace zocalo::media
