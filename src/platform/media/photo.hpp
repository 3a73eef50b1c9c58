#pragma once
// Photo uploads (issue #4 item 4: "photo upload (resized and stripped of metadata)"). Whatever a
// resident sends — a 12 MP phone JPEG with GPS in its EXIF, a PNG screenshot, a WebP, an
// iPhone HEIC — comes out as a small progressive sRGB JPEG with no metadata at all, plus a
// thumbnail. Hostile input (issue #4: "50 MB uploads, non-image uploads posing as images",
// decompression bombs, truncated files) is refused with a clear error and bounded work.
//
// Thread-safe: call it from any number of worker threads at once.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"
#include "platform/media/image_type.hpp"

namespace zocalo::media {

struct PhotoLimits {
  // Refused before anything else is looked at (kTooLarge "media.too_large").
  std::size_t max_bytes = 10 * 1024 * 1024;
  // Width × height the file *declares*, checked from its header before any pixel is decoded
  // (kTooLarge "media.too_many_pixels"). 50 MP covers the 48/50 MP phone sensors; decoding
  // time and memory grow with it, so it is also the time bound.
  std::uint64_t max_pixels = 50'000'000;
  // Progressive JPEGs make libjpeg hold every DCT coefficient of the whole image in memory
  // (≈ 3 bytes per pixel at 4:2:0) whatever the output size, so they get a tighter budget:
  // 16 MP ≈ 48 MB per call. Phones write baseline JPEGs, which stream in a few scanlines.
  std::uint64_t max_progressive_jpeg_pixels = 16'000'000;
  // Scans (SOS markers) allowed in a JPEG: each scan is a pass over the coefficient buffer,
  // and a few bytes can encode one, so thousands of tiny scans are a CPU bomb. Real
  // progressive files use about 10 (libjpeg-turbo's djpeg suggests -maxscans 100 for
  // untrusted input).
  int max_jpeg_scans = 100;
  // Longest side of the normalised photo and of its thumbnail; never upscaled.
  int max_side = 1600;
  int thumbnail_side = 320;
  int jpeg_quality = 80;  // libjpeg scale; 80 is visually clean at a fraction of 95's bytes
};

struct EncodedImage {
  std::string bytes;
  int width = 0;
  int height = 0;
  std::string mime_type;  // always "image/jpeg" today
};

struct NormalisedImage {
  std::string bytes;  // progressive baseline-compatible JPEG, no EXIF/XMP/IPTC/ICC
  int width = 0;
  int height = 0;
  std::string mime_type;    // "image/jpeg"
  ImageType source_type{};  // what the upload really was (sniffed, not the client's word)
  EncodedImage thumbnail;   // same treatment, longest side thumbnail_side
};

// Error keys (locale/media/*.json):
//   kTooLarge     media.too_large          more than limits.max_bytes
//   kInvalidInput media.not_an_image       not JPEG/PNG/WebP/HEIC by its magic bytes
//   kInvalidInput media.unsupported_format HEIC when this build's libvips cannot read it
//   kTooLarge     media.too_many_pixels    declared width × height over limits.max_pixels
//                                          (max_progressive_jpeg_pixels for progressive JPEG)
//   kInvalidInput media.unreadable         the right magic but broken/truncated data, or a
//                                          JPEG with more than max_jpeg_scans scans
//   kInternal     error.internal           the encoder failed (a bug, not the input)
Result<NormalisedImage> normalise_photo(std::string_view bytes, const PhotoLimits& limits = {});

}  // namespace zocalo::media
