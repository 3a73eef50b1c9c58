// libFuzzer target: photo normalisation (platform/media/photo.hpp), the entry point every
// uploaded photo goes through. The input is the upload's bytes; the client's Content-Type and
// file name never reach normalise_photo, so there is nothing else to fuzz.
//
// The codecs behind libvips (libjpeg-turbo, libpng/spng, libwebp, libheif) come from Debian and
// are not instrumented; this drives our sniffing, limits and pipeline through them with ASan
// and UBSan on our side, and catches crashes, hangs and leaks anywhere in the process.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "platform/media/photo.hpp"
#include "platform/media/vips_runtime.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// No metadata may survive: no APP1 (EXIF/XMP), APP2 (ICC) or APP13 (IPTC) segment.
void check_clean_jpeg(const zocalo::media::EncodedImage& image, int max_side) {
  check(starts_with(image.bytes, std::string_view("\xFF\xD8\xFF", 3)));
  check(image.width >= 1 && image.height >= 1);
  check(image.width <= max_side && image.height <= max_side);
  check(image.mime_type == "image/jpeg");
  check(image.bytes.find("Exif") == std::string::npos);
  check(image.bytes.find(std::string_view("\xFF\xE1", 2)) == std::string::npos);
  check(image.bytes.find(std::string_view("\xFF\xE2", 2)) == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // libvips' one-time set-up (type system, loaders) outside any single input's leak check.
  check(zocalo::media::detail::ensure_vips());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Small limits keep each run fast; the limit checks themselves are what is being tested.
  zocalo::media::PhotoLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_pixels = 4'000'000;
  limits.max_side = 256;
  limits.thumbnail_side = 64;
  auto result = zocalo::media::normalise_photo(bytes, limits);
  if (!result.ok()) {
    const auto& key = result.error().user_key;
    check(key == "media.not_an_image" || key == "media.unreadable" ||
          key == "media.too_many_pixels" || key == "media.unsupported_format" ||
          key == "media.too_large");
    return 0;
  }
  zocalo::media::EncodedImage photo{result->bytes, result->width, result->height,
                                    result->mime_type};
  check_clean_jpeg(photo, limits.max_side);
  check_clean_jpeg(result->thumbnail, limits.thumbnail_side);
  check(result->source_type != zocalo::media::ImageType::kUnknown);
  return 0;
}
