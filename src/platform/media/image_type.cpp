#include "platform/media/image_type.hpp"

#include <algorithm>
#include <cstddef>

namespace zocalo::media {
namespace {

bool starts_with(std::string_view bytes, std::string_view magic) {
  return bytes.substr(0, magic.size()) == magic;
}

// ISO/IEC 23008-12 (HEIF): the file opens with an ISO BMFF `ftyp` box whose major brand says
// what it holds. These are the HEVC-coded brands (§B.4) plus the generic image brands iPhones
// and Android phones write. AVIF ("avif", "avis") is left out on purpose although Debian's
// libheif could read it: no phone camera writes it, and every accepted format puts one more
// decoder (here libaom/dav1d) within reach of anonymous uploads.
bool is_hevc_brand(std::string_view brand) {
  return brand == "heic" || brand == "heix" || brand == "hevc" || brand == "hevx" ||
         brand == "heim" || brand == "heis";
}

bool is_heic(std::string_view bytes) {
  if (bytes.size() < 12 || bytes.substr(4, 4) != "ftyp") return false;
  const std::string_view major = bytes.substr(8, 4);
  if (is_hevc_brand(major)) return true;
  if (major != "mif1" && major != "msf1") return false;
  // Generic HEIF brand (AVIF files use it too): require an HEVC brand among the compatible
  // brands, which follow major_brand and minor_version up to the box's declared size.
  const auto box_size = (static_cast<std::size_t>(static_cast<unsigned char>(bytes[0])) << 24) |
                        (static_cast<std::size_t>(static_cast<unsigned char>(bytes[1])) << 16) |
                        (static_cast<std::size_t>(static_cast<unsigned char>(bytes[2])) << 8) |
                        static_cast<std::size_t>(static_cast<unsigned char>(bytes[3]));
  const std::size_t end = std::min({box_size, bytes.size(), std::size_t{64}});
  for (std::size_t at = 16; at + 4 <= end; at += 4) {
    if (is_hevc_brand(bytes.substr(at, 4))) return true;
  }
  return false;
}

}  // namespace

ImageType sniff_image_type(std::string_view bytes) {
  // JPEG: SOI marker followed by the first marker's 0xFF (ITU T.81 §B.1.1.3).
  if (starts_with(bytes, std::string_view("\xFF\xD8\xFF", 3))) return ImageType::kJpeg;
  // PNG: the fixed 8-byte signature (PNG spec §5.2).
  if (starts_with(bytes, std::string_view("\x89PNG\r\n\x1A\n", 8))) return ImageType::kPng;
  // WebP: a RIFF container of form type "WEBP" (RFC 9649 §2.4).
  if (bytes.size() >= 12 && starts_with(bytes, "RIFF") && bytes.substr(8, 4) == "WEBP") {
    return ImageType::kWebp;
  }
  if (is_heic(bytes)) return ImageType::kHeic;
  return ImageType::kUnknown;
}

std::string_view image_type_name(ImageType type) {
  switch (type) {
    case ImageType::kJpeg:
      return "jpeg";
    case ImageType::kPng:
      return "png";
    case ImageType::kWebp:
      return "webp";
    case ImageType::kHeic:
      return "heic";
    case ImageType::kUnknown:
      break;
  }
  return "unknown";
}

}  // namespace zocalo::media
