#include "platform/media/image_type.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace zocalo::media {
namespace {

// An ISO BMFF `ftyp` box: size, "ftyp", major brand, minor version 0, compatible brands.
std::string ftyp(std::string_view major, std::string_view compatible, int declared_size = -1) {
  const std::size_t size =
      declared_size >= 0 ? static_cast<std::size_t>(declared_size) : 16 + compatible.size();
  std::string box(4, '\0');
  box[3] = static_cast<char>(size);
  return box + "ftyp" + std::string(major) + std::string(4, '\0') + std::string(compatible);
}

TEST(ImageTypeTest, RecognisesEachAcceptedSignature) {
  EXPECT_EQ(sniff_image_type(std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF", 10)), ImageType::kJpeg);
  EXPECT_EQ(sniff_image_type(std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16)), ImageType::kPng);
  EXPECT_EQ(sniff_image_type(std::string("RIFF\x24\0\0\0WEBPVP8 ", 16)), ImageType::kWebp);
  EXPECT_EQ(sniff_image_type(ftyp("heic", "mif1heic")), ImageType::kHeic);
  // iPhone-style generic major brand with heic among the compatible brands.
  EXPECT_EQ(sniff_image_type(ftyp("mif1", "mif1heic")), ImageType::kHeic);
}

TEST(ImageTypeTest, RefusesLookalikesAndOtherFormats) {
  EXPECT_EQ(sniff_image_type(""), ImageType::kUnknown);
  EXPECT_EQ(sniff_image_type("hello, I am a .jpg"), ImageType::kUnknown);
  EXPECT_EQ(sniff_image_type("<svg xmlns='http://www.w3.org/2000/svg'/>"), ImageType::kUnknown);
  EXPECT_EQ(sniff_image_type("%PDF-1.7\n"), ImageType::kUnknown);
  EXPECT_EQ(sniff_image_type("GIF89a\x01\0\x01\0"), ImageType::kUnknown);
  EXPECT_EQ(sniff_image_type("BM\x3a\0\0\0"), ImageType::kUnknown);
  EXPECT_EQ(sniff_image_type(std::string("II*\0", 4)), ImageType::kUnknown);
  // Truncated signatures are not enough.
  EXPECT_EQ(sniff_image_type(std::string("\xFF\xD8", 2)), ImageType::kUnknown);
  EXPECT_EQ(sniff_image_type(std::string("\x89PNG\r\n", 6)), ImageType::kUnknown);
  EXPECT_EQ(sniff_image_type("RIFF\x24\0\0\0WAVEfmt "), ImageType::kUnknown);
  // AVIF shares HEIF's container but is not a format we accept (see image_type.cpp).
  EXPECT_EQ(sniff_image_type(ftyp("avif", "mif1avif")), ImageType::kUnknown);
  EXPECT_EQ(sniff_image_type(ftyp("mif1", "mif1avif")), ImageType::kUnknown);
  // The compatible brand must lie inside the box the file declares.
  EXPECT_EQ(sniff_image_type(ftyp("mif1", "mif1heic", 20)), ImageType::kUnknown);
  EXPECT_EQ(sniff_image_type(ftyp("isom", "isomavc1")), ImageType::kUnknown);  // an MP4 video
}

TEST(ImageTypeTest, NamesAreStable) {
  EXPECT_EQ(image_type_name(ImageType::kJpeg), "jpeg");
  EXPECT_EQ(image_type_name(ImageType::kHeic), "heic");
  EXPECT_EQ(image_type_name(ImageType::kUnknown), "unknown");
}

}  // namespace
}  // namespace zocalo::media
