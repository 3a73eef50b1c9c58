#include "platform/media/photo.hpp"

#include <vips/vips.h>

#include <algorithm>
#include <string>
#include <utility>

#include "platform/media/vips_runtime.hpp"

namespace zocalo::media {
namespace {

// Owns one VipsImage reference.
class ImageRef {
 public:
  ImageRef() = default;
  explicit ImageRef(VipsImage* image) : image_(image) {}
  ImageRef(const ImageRef&) = delete;
  ImageRef& operator=(const ImageRef&) = delete;
  ~ImageRef() { reset(nullptr); }
  void reset(VipsImage* image) {
    if (image_ != nullptr) g_object_unref(image_);
    image_ = image;
  }
  VipsImage* get() const { return image_; }
  VipsImage* release() { return std::exchange(image_, nullptr); }
  VipsImage** out() {
    reset(nullptr);
    return &image_;
  }

 private:
  VipsImage* image_ = nullptr;
};

Unexpected unreadable(std::string_view what) {
  return fail(
      Error::invalid("media.unreadable", std::string(what) + ": " + detail::take_vips_error()));
}

// Reads only the header with the loader for the sniffed type — never libvips' own guess — so a
// file is decoded by exactly the code its magic bytes promised. libvips loads lazily: this
// parses the header and stops, so a bomb's dimensions are known before any pixel exists.
// fail_on=truncated: a short or broken file is an error, not a grey half-photo.
int load_header(ImageType type, std::string_view bytes, VipsImage** out) {
  void* data = const_cast<char*>(bytes.data());  // libvips only reads from it
  const std::size_t size = bytes.size();
  switch (type) {
    case ImageType::kJpeg:
      return vips_jpegload_buffer(data, size, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                  VIPS_FAIL_ON_TRUNCATED, nullptr);
    case ImageType::kPng:
      return vips_pngload_buffer(data, size, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                 VIPS_FAIL_ON_TRUNCATED, nullptr);
    case ImageType::kWebp:
      return vips_webpload_buffer(data, size, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                  VIPS_FAIL_ON_TRUNCATED, nullptr);
    case ImageType::kHeic:
      return vips_heifload_buffer(data, size, out, "access", VIPS_ACCESS_SEQUENTIAL, "fail_on",
                                  VIPS_FAIL_ON_TRUNCATED, nullptr);
    case ImageType::kUnknown:
      break;
  }
  return -1;
}

// Alpha is flattened onto white (a transparent PNG would otherwise turn black in JPEG), and
// whatever the source space (grey, 16-bit, CMYK already imported by thumbnail) ends as 8-bit
// sRGB, the only thing JPEG viewers agree on.
Result<void> to_srgb8(ImageRef& image) {
  if (vips_image_hasalpha(image.get())) {
    ImageRef flat;
    VipsArrayDouble* white = vips_array_double_newv(1, 255.0);
    const int rc = vips_flatten(image.get(), flat.out(), "background", white, nullptr);
    vips_area_unref(VIPS_AREA(white));
    if (rc != 0) return unreadable("flatten");
    image.reset(flat.release());
  }
  if (vips_image_guess_interpretation(image.get()) != VIPS_INTERPRETATION_sRGB) {
    ImageRef srgb;
    if (vips_colourspace(image.get(), srgb.out(), VIPS_INTERPRETATION_sRGB, nullptr) != 0) {
      return unreadable("colourspace");
    }
    image.reset(srgb.release());
  }
  if (vips_image_get_format(image.get()) != VIPS_FORMAT_UCHAR) {
    ImageRef cast;
    if (vips_cast_uchar(image.get(), cast.out(), nullptr) != 0) return unreadable("cast");
    image.reset(cast.release());
  }
  return {};
}

// strip=TRUE drops every metadata block libvips would otherwise write back: EXIF (with GPS),
// XMP, IPTC and the ICC profile (pixels are already sRGB, the web's default). Progressive
// ("interlace") shows a whole blurry photo early on a slow phone link.
Result<EncodedImage> encode_jpeg(VipsImage* image, int quality) {
  void* buffer = nullptr;
  std::size_t length = 0;
  if (vips_jpegsave_buffer(image, &buffer, &length, "Q", quality, "interlace", TRUE, "strip", TRUE,
                           "optimize_coding", TRUE, nullptr) != 0) {
    // The pixels were decoded into memory before we got here, so a failure is ours.
    return fail(Error::internal("jpegsave: " + detail::take_vips_error()));
  }
  EncodedImage out;
  out.bytes.assign(static_cast<const char*>(buffer), length);
  g_free(buffer);
  out.width = vips_image_get_width(image);
  out.height = vips_image_get_height(image);
  out.mime_type = "image/jpeg";
  return out;
}

// Counts SOS markers (FF DA). Inside entropy-coded data every FF is followed by 00 or a
// restart marker (ITU T.81 §B.1.1.5), so each FF DA is a real scan header — or one in an
// embedded EXIF thumbnail, which only makes the count err on the safe side.
int count_jpeg_scans(std::string_view bytes, int stop_after) {
  int scans = 0;
  for (std::size_t at = bytes.find('\xFF'); at != std::string_view::npos && at + 1 < bytes.size();
       at = bytes.find('\xFF', at + 1)) {
    if (bytes[at + 1] == '\xDA' && ++scans > stop_after) break;
  }
  return scans;
}

}  // namespace

Result<NormalisedImage> normalise_photo(std::string_view bytes, const PhotoLimits& limits) {
  // Size first: a 50 MB upload costs one comparison, no byte of it is read here.
  if (bytes.size() > limits.max_bytes) {
    return fail(Error{ErrorKind::kTooLarge, "media.too_large",
                      "photo of " + std::to_string(bytes.size()) + " bytes"});
  }
  const ImageType type = sniff_image_type(bytes);
  if (type == ImageType::kUnknown) {
    return fail(Error::invalid("media.not_an_image", "magic bytes match no accepted type"));
  }
  if (!detail::ensure_vips()) return fail(Error::internal("libvips failed to start"));
  if (type == ImageType::kHeic && !detail::vips_has_operation("heifload_buffer")) {
    return fail(Error::invalid("media.unsupported_format", "libvips has no heifload"));
  }
  if (limits.max_side < 1 || limits.thumbnail_side < 1 || limits.jpeg_quality < 1 ||
      limits.jpeg_quality > 100) {
    return fail(Error::internal("bad PhotoLimits"));
  }

  if (type == ImageType::kJpeg &&
      count_jpeg_scans(bytes, limits.max_jpeg_scans) > limits.max_jpeg_scans) {
    return fail(Error::invalid("media.unreadable", "JPEG with too many scans"));
  }

  bool colour_managed = false;
  {  // Decompression bombs: the declared size decides, before decoding.
    ImageRef header;
    if (load_header(type, bytes, header.out()) != 0) return unreadable("header");
    const auto w = static_cast<std::uint64_t>(vips_image_get_width(header.get()));
    const auto h = static_cast<std::uint64_t>(vips_image_get_height(header.get()));
    if (w == 0 || h == 0) return fail(Error::invalid("media.unreadable", "zero dimension"));
    int multiscan = 0;
    std::uint64_t budget = limits.max_pixels;
    if (type == ImageType::kJpeg && vips_image_get_typeof(header.get(), "jpeg-multiscan") != 0 &&
        vips_image_get_int(header.get(), "jpeg-multiscan", &multiscan) == 0 && multiscan != 0) {
      budget = std::min(budget, limits.max_progressive_jpeg_pixels);
    }
    if (w * h > budget) {
      return fail(Error{ErrorKind::kTooLarge, "media.too_many_pixels",
                        "declares " + std::to_string(w) + "x" + std::to_string(h)});
    }
    // Only an embedded profile (a P3 iPhone photo, an Adobe RGB camera file) or CMYK needs a
    // colour transform; sRGB → sRGB through lcms would only shift saturated colours.
    colour_managed = vips_image_get_typeof(header.get(), VIPS_META_ICC_NAME) != 0 ||
                     vips_image_get_interpretation(header.get()) == VIPS_INTERPRETATION_CMYK;
  }

  // vips_thumbnail_buffer is libvips' purpose-built path: shrink-on-load (JPEG decodes at
  // 1/2, 1/4, 1/8 scale; HEIC/WebP likewise), EXIF orientation applied (autorotate is its
  // default), an embedded ICC profile or CMYK turned into sRGB (export_profile), and
  // size=down so a small photo is never upscaled. Only the four loaders above are unblocked
  // (vips_runtime.cpp), and the magic bytes already matched one of them.
  ImageRef photo;
  const char* loader_options = "fail_on=truncated";
  void* data = const_cast<char*>(bytes.data());  // libvips only reads from it
  const int rc =
      colour_managed
          ? vips_thumbnail_buffer(data, bytes.size(), photo.out(), limits.max_side, "height",
                                  limits.max_side, "size", VIPS_SIZE_DOWN, "export_profile", "srgb",
                                  "option_string", loader_options, nullptr)
          : vips_thumbnail_buffer(data, bytes.size(), photo.out(), limits.max_side, "height",
                                  limits.max_side, "size", VIPS_SIZE_DOWN, "option_string",
                                  loader_options, nullptr);
  if (rc != 0) return unreadable("thumbnail");
  if (auto st = to_srgb8(photo); !st) return fail(st.error());
  // Decode now, once, into memory (at most max_side² × 3 bytes, 7.7 MB at 1600): truncated or
  // corrupt data fails here, and the thumbnail below reuses the pixels instead of decoding the
  // upload a second time.
  ImageRef pixels(vips_image_copy_memory(photo.get()));
  if (pixels.get() == nullptr) return unreadable("decode");

  auto encoded = encode_jpeg(pixels.get(), limits.jpeg_quality);
  if (!encoded) return fail(encoded.error());

  ImageRef small;
  if (vips_thumbnail_image(pixels.get(), small.out(), limits.thumbnail_side, "height",
                           limits.thumbnail_side, "size", VIPS_SIZE_DOWN, "no_rotate", TRUE,
                           nullptr) != 0) {
    return fail(Error::internal("thumbnail_image: " + detail::take_vips_error()));
  }
  auto thumb = encode_jpeg(small.get(), limits.jpeg_quality);
  if (!thumb) return fail(thumb.error());

  NormalisedImage out;
  out.bytes = std::move(encoded->bytes);
  out.width = encoded->width;
  out.height = encoded->height;
  out.mime_type = std::move(encoded->mime_type);
  out.source_type = type;
  out.thumbnail = std::move(*thumb);
  return out;
}

}  // namespace zocalo::media
