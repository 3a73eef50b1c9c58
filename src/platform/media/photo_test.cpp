#include "platform/media/photo.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <vips/vips.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "platform/media/vips_runtime.hpp"

// Every input here is a real image made by libvips itself (or a real image with bytes edited
// the way an attacker or a phone would), so the tests exercise the real decoders end to end.
namespace zocalo::media {
namespace {

struct Ref {
  VipsImage* p = nullptr;
  Ref() = default;
  explicit Ref(VipsImage* i) : p(i) {}
  Ref(Ref&& other) noexcept : p(std::exchange(other.p, nullptr)) {}
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
  ~Ref() {
    if (p != nullptr) g_object_unref(p);
  }
};

std::string take_buffer(void* buffer, std::size_t length) {
  std::string out(static_cast<const char*>(buffer), length);
  g_free(buffer);
  return out;
}

// A w×h sRGB image: left half red, right half blue, so orientation is visible in the output.
Ref two_colour(int w, int h, int bands = 3) {
  Ref black;
  EXPECT_EQ(vips_black(&black.p, w, h, "bands", bands, nullptr), 0);
  Ref cast;
  EXPECT_EQ(vips_cast_uchar(black.p, &cast.p, nullptr), 0);
  Ref img(vips_image_copy_memory(cast.p));
  std::array<double, 4> red = {255, 0, 0, 255};
  std::array<double, 4> blue = {0, 0, 255, 255};
  EXPECT_EQ(vips_draw_rect(img.p, red.data(), bands, 0, 0, w / 2, h, "fill", TRUE, nullptr), 0);
  EXPECT_EQ(
      vips_draw_rect(img.p, blue.data(), bands, w / 2, 0, w - w / 2, h, "fill", TRUE, nullptr), 0);
  if (bands >= 3) img.p->Type = VIPS_INTERPRETATION_sRGB;
  return Ref(static_cast<VipsImage*>(g_object_ref(img.p)));
}

// Noise compresses badly, so a JPEG of it has plenty of entropy-coded data to truncate.
Ref noise(int w, int h) {
  Ref n;
  EXPECT_EQ(vips_gaussnoise(&n.p, w, h, "mean", 128.0, "sigma", 60.0, nullptr), 0);
  Ref three;
  EXPECT_EQ(vips_bandjoin_const1(n.p, &three.p, 40.0, nullptr), 0);
  Ref four;
  EXPECT_EQ(vips_bandjoin_const1(three.p, &four.p, 200.0, nullptr), 0);
  Ref rgb;
  EXPECT_EQ(vips_extract_band(four.p, &rgb.p, 0, "n", 3, nullptr), 0);
  Ref cast;
  EXPECT_EQ(vips_cast_uchar(rgb.p, &cast.p, nullptr), 0);
  Ref mem(vips_image_copy_memory(cast.p));
  mem.p->Type = VIPS_INTERPRETATION_sRGB;
  return Ref(static_cast<VipsImage*>(g_object_ref(mem.p)));
}

std::string jpeg(VipsImage* img) {
  void* buf = nullptr;
  std::size_t len = 0;
  EXPECT_EQ(vips_jpegsave_buffer(img, &buf, &len, "Q", 90, "strip", TRUE, nullptr), 0);
  return take_buffer(buf, len);
}
std::string png(VipsImage* img) {
  void* buf = nullptr;
  std::size_t len = 0;
  EXPECT_EQ(vips_pngsave_buffer(img, &buf, &len, nullptr), 0);
  return take_buffer(buf, len);
}
std::string webp(VipsImage* img) {
  void* buf = nullptr;
  std::size_t len = 0;
  EXPECT_EQ(vips_webpsave_buffer(img, &buf, &len, "Q", 90, nullptr), 0);
  return take_buffer(buf, len);
}

void put_u16le(std::string& s, std::uint16_t v) {
  s.push_back(static_cast<char>(v & 0xFF));
  s.push_back(static_cast<char>(v >> 8));
}
void put_u32le(std::string& s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
void put_u32be(std::string& s, std::uint32_t v) {
  for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// A minimal EXIF block as a phone writes it (CIPA DC-008 / TIFF 6.0, little-endian): IFD0 with
// Orientation = 6 (rotate 90° clockwise to view) and a GPS IFD with GPSLatitudeRef "N",
// GPSLatitude 19° 25' 42" — the Zócalo. Returned as a complete JPEG APP1 segment.
std::string exif_app1_with_gps_and_orientation() {
  std::string tiff = "II";
  put_u16le(tiff, 42);
  put_u32le(tiff, 8);
  // IFD0 at 8: 2 entries, 30 bytes; GPS IFD at 38: 2 entries, 30 bytes; rationals at 68.
  put_u16le(tiff, 2);
  put_u16le(tiff, 0x0112), put_u16le(tiff, 3), put_u32le(tiff, 1), put_u16le(tiff, 6),
      put_u16le(tiff, 0);
  put_u16le(tiff, 0x8825), put_u16le(tiff, 4), put_u32le(tiff, 1), put_u32le(tiff, 38);
  put_u32le(tiff, 0);
  put_u16le(tiff, 2);
  put_u16le(tiff, 0x0001), put_u16le(tiff, 2), put_u32le(tiff, 2);
  tiff += std::string("N\0\0\0", 4);
  put_u16le(tiff, 0x0002), put_u16le(tiff, 5), put_u32le(tiff, 3), put_u32le(tiff, 68);
  put_u32le(tiff, 0);
  EXPECT_EQ(tiff.size(), 68u);
  for (std::uint32_t v : {19u, 1u, 25u, 1u, 4200u, 100u}) put_u32le(tiff, v);
  const std::string body = std::string("Exif\0\0", 6) + tiff;
  std::string seg = "\xFF\xE1";
  seg.push_back(static_cast<char>(((body.size() + 2) >> 8) & 0xFF));
  seg.push_back(static_cast<char>((body.size() + 2) & 0xFF));
  return seg + body;
}

std::string xmp_app1_with_gps() {
  const std::string body = std::string("http://ns.adobe.com/xap/1.0/\0", 29) +
                           "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description "
                           "exif:GPSLatitude='19,25.7N' exif:GPSLongitude='99,7.9W'/>"
                           "</rdf:RDF></x:xmpmeta>";
  std::string seg = "\xFF\xE1";
  seg.push_back(static_cast<char>(((body.size() + 2) >> 8) & 0xFF));
  seg.push_back(static_cast<char>((body.size() + 2) & 0xFF));
  return seg + body;
}

// Inserts segments right after SOI, where phones put APP1.
std::string with_segments(const std::string& jpeg_bytes, const std::string& segments) {
  return jpeg_bytes.substr(0, 2) + segments + jpeg_bytes.substr(2);
}

Ref read_back(const std::string& bytes) {
  Ref img;
  EXPECT_EQ(vips_jpegload_buffer(const_cast<char*>(bytes.data()), bytes.size(), &img.p, nullptr), 0)
      << detail::take_vips_error();
  return img;
}

std::array<double, 3> pixel(VipsImage* img, int x, int y) {
  double* values = nullptr;
  int n = 0;
  EXPECT_EQ(vips_getpoint(img, &values, &n, x, y, nullptr), 0);
  std::array<double, 3> out{};
  for (int i = 0; i < 3 && i < n; ++i) out[i] = values[i];
  g_free(values);
  return out;
}

bool contains(const std::string& hay, std::string_view needle) {
  return hay.find(needle) != std::string::npos;
}

void expect_no_metadata(const std::string& out) {
  EXPECT_FALSE(contains(out, "Exif"));
  EXPECT_FALSE(contains(out, "GPS"));
  EXPECT_FALSE(contains(out, "http://ns.adobe.com"));
  EXPECT_FALSE(contains(out, "ICC_PROFILE"));
  EXPECT_FALSE(contains(out, "xmpmeta"));
  EXPECT_FALSE(contains(out, std::string("\xFF\xE1", 2)));  // no APP1 (EXIF/XMP) at all
  EXPECT_FALSE(contains(out, std::string("\xFF\xE2", 2)));  // no APP2 (ICC)
  EXPECT_FALSE(contains(out, std::string("\xFF\xED", 2)));  // no APP13 (IPTC)
  Ref back = read_back(out);
  ASSERT_NE(back.p, nullptr);
  EXPECT_EQ(vips_image_get_typeof(back.p, VIPS_META_EXIF_NAME), 0u);
  EXPECT_EQ(vips_image_get_typeof(back.p, VIPS_META_XMP_NAME), 0u);
  EXPECT_EQ(vips_image_get_typeof(back.p, VIPS_META_ICC_NAME), 0u);
  EXPECT_EQ(vips_image_get_typeof(back.p, VIPS_META_IPTC_NAME), 0u);
  EXPECT_EQ(vips_image_get_orientation(back.p), 1);
}

class PhotoTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(detail::ensure_vips()); }
};

TEST_F(PhotoTest, OnlyTheFourLoadersWeUseCanRun) {
  for (const char* open : {"jpegload_buffer", "pngload_buffer", "webpload_buffer"}) {
    EXPECT_TRUE(detail::vips_has_operation(open)) << open;
  }
  for (const char* blocked : {"gifload_buffer", "magickload_buffer", "svgload_buffer",
                              "pdfload_buffer", "tiffload_buffer", "jpegload", "pngload"}) {
    EXPECT_FALSE(detail::vips_has_operation(blocked)) << blocked;
  }
  // libvips' own loader guess may still name a blocked loader, but it cannot run: the path
  // normalise_photo takes (thumbnail_buffer) fails on a GIF even without our sniffing.
  const std::string gif(
      "GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!"
      "\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00"
      "\x00\x02\x02D\x01\x00;",
      43);
  VipsImage* out = nullptr;
  EXPECT_NE(vips_thumbnail_buffer(const_cast<char*>(gif.data()), gif.size(), &out, 100, nullptr),
            0);
  EXPECT_EQ(out, nullptr);
  EXPECT_NE(detail::take_vips_error().find("blocked"), std::string::npos);
}

TEST_F(PhotoTest, PhoneJpegIsRotatedAndLosesExifGpsAndXmp) {
  Ref img = two_colour(200, 100);
  const std::string input =
      with_segments(jpeg(img.p), exif_app1_with_gps_and_orientation() + xmp_app1_with_gps());
  {  // The fixture really carries what a phone writes.
    Ref in;
    ASSERT_EQ(vips_jpegload_buffer(const_cast<char*>(input.data()), input.size(), &in.p, nullptr),
              0);
    EXPECT_EQ(vips_image_get_orientation(in.p), 6);
    EXPECT_NE(vips_image_get_typeof(in.p, VIPS_META_EXIF_NAME), 0u);
    EXPECT_NE(vips_image_get_typeof(in.p, VIPS_META_XMP_NAME), 0u);
    EXPECT_TRUE(contains(input, "Exif"));
    EXPECT_TRUE(contains(input, "GPSLatitude"));
  }

  auto out = normalise_photo(input);
  ASSERT_TRUE(out.ok()) << out.error().user_key << " " << out.error().detail;
  EXPECT_EQ(out->source_type, ImageType::kJpeg);
  EXPECT_EQ(out->mime_type, "image/jpeg");
  // Orientation 6 applied: 200×100 stored is 100×200 viewed, left (red) now on top.
  EXPECT_EQ(out->width, 100);
  EXPECT_EQ(out->height, 200);
  expect_no_metadata(out->bytes);
  expect_no_metadata(out->thumbnail.bytes);
  Ref back = read_back(out->bytes);
  EXPECT_EQ(vips_image_get_width(back.p), 100);
  EXPECT_EQ(vips_image_get_height(back.p), 200);
  auto top = pixel(back.p, 50, 20);
  auto bottom = pixel(back.p, 50, 180);
  EXPECT_GT(top[0], 200);
  EXPECT_LT(top[2], 60);
  EXPECT_GT(bottom[2], 200);
  EXPECT_LT(bottom[0], 60) << top[0] << "," << top[1] << "," << top[2] << " / " << bottom[0] << ","
                           << bottom[1] << "," << bottom[2];
  // Progressive: SOF2 marker, not baseline SOF0.
  EXPECT_TRUE(contains(out->bytes, std::string("\xFF\xC2", 2)));
  EXPECT_FALSE(contains(out->bytes, std::string("\xFF\xC0", 2)));
}

TEST_F(PhotoTest, LargePhotoIsDownscaledToLongestSideAndThumbnailIsMade) {
  Ref img = noise(3000, 2000);
  auto out = normalise_photo(jpeg(img.p));
  ASSERT_TRUE(out.ok()) << out.error().detail;
  EXPECT_EQ(out->width, 1600);
  EXPECT_NEAR(out->height, 1067, 1);
  EXPECT_EQ(out->thumbnail.width, 320);
  EXPECT_NEAR(out->thumbnail.height, 213, 1);
  EXPECT_EQ(out->thumbnail.mime_type, "image/jpeg");
  Ref t = read_back(out->thumbnail.bytes);
  EXPECT_EQ(vips_image_get_width(t.p), 320);
}

TEST_F(PhotoTest, SmallPhotoIsNeverUpscaled) {
  Ref img = two_colour(120, 90);
  auto out = normalise_photo(png(img.p));
  ASSERT_TRUE(out.ok()) << out.error().detail;
  EXPECT_EQ(out->source_type, ImageType::kPng);
  EXPECT_EQ(out->width, 120);
  EXPECT_EQ(out->height, 90);
  EXPECT_EQ(out->thumbnail.width, 120);
  EXPECT_EQ(out->thumbnail.height, 90);
}

TEST_F(PhotoTest, ExtremeAspectRatioKeepsAtLeastOnePixel) {
  Ref strip = two_colour(20000, 2);
  auto out = normalise_photo(png(strip.p));
  ASSERT_TRUE(out.ok()) << out.error().detail;
  EXPECT_EQ(out->width, 1600);
  EXPECT_EQ(out->height, 1);
  EXPECT_EQ(out->thumbnail.width, 320);
  EXPECT_EQ(out->thumbnail.height, 1);
}

TEST_F(PhotoTest, TransparentPngIsFlattenedOntoWhite) {
  Ref rgba = two_colour(64, 64, 4);
  // Make the right half fully transparent.
  std::array<double, 4> clear = {0, 0, 0, 0};
  ASSERT_EQ(vips_draw_rect(rgba.p, clear.data(), 4, 32, 0, 32, 64, "fill", TRUE, nullptr), 0);
  rgba.p->Type = VIPS_INTERPRETATION_sRGB;
  auto out = normalise_photo(png(rgba.p));
  ASSERT_TRUE(out.ok()) << out.error().detail;
  Ref back = read_back(out->bytes);
  EXPECT_EQ(vips_image_get_bands(back.p), 3);
  auto right = pixel(back.p, 50, 32);
  EXPECT_GT(right[0], 240);
  EXPECT_GT(right[1], 240);
  EXPECT_GT(right[2], 240);
}

TEST_F(PhotoTest, WebpGreyAndSixteenBitInputsBecomeEightBitSrgbJpeg) {
  Ref colour = two_colour(80, 60);
  auto w = normalise_photo(webp(colour.p));
  ASSERT_TRUE(w.ok()) << w.error().detail;
  EXPECT_EQ(w->source_type, ImageType::kWebp);
  EXPECT_EQ(w->width, 80);

  Ref grey = two_colour(80, 60, 1);
  auto g = normalise_photo(jpeg(grey.p));
  ASSERT_TRUE(g.ok()) << g.error().detail;
  Ref gb = read_back(g->bytes);
  EXPECT_EQ(vips_image_get_bands(gb.p), 3);

  Ref wide;
  ASSERT_EQ(vips_cast_ushort(colour.p, &wide.p, nullptr), 0);
  Ref scaled;
  ASSERT_EQ(vips_linear1(wide.p, &scaled.p, 257.0, 0.0, nullptr), 0);
  Ref u16;
  ASSERT_EQ(vips_cast_ushort(scaled.p, &u16.p, nullptr), 0);
  Ref rgb16(vips_image_copy_memory(u16.p));
  rgb16.p->Type = VIPS_INTERPRETATION_RGB16;
  auto s = normalise_photo(png(rgb16.p));
  ASSERT_TRUE(s.ok()) << s.error().detail;
  Ref sb = read_back(s->bytes);
  EXPECT_EQ(vips_image_get_format(sb.p), VIPS_FORMAT_UCHAR);
  EXPECT_GT(pixel(sb.p, 10, 30)[0], 200);  // red survived the 16 → 8 bit trip
}

TEST_F(PhotoTest, EmbeddedIccProfileIsAppliedThenDropped) {
  Ref img = noise(200, 150);
  VipsBlob* profile = nullptr;
  ASSERT_EQ(vips_profile_load("srgb", &profile, nullptr), 0);
  std::size_t length = 0;
  const void* data = vips_blob_get(profile, &length);
  vips_image_set_blob_copy(img.p, VIPS_META_ICC_NAME, data, length);
  vips_area_unref(VIPS_AREA(profile));
  void* buf = nullptr;
  std::size_t len = 0;
  ASSERT_EQ(vips_jpegsave_buffer(img.p, &buf, &len, "Q", 90, nullptr), 0);
  const std::string input = take_buffer(buf, len);
  ASSERT_TRUE(contains(input, "ICC_PROFILE"));
  auto out = normalise_photo(input);
  ASSERT_TRUE(out.ok()) << out.error().detail;
  expect_no_metadata(out->bytes);
}

TEST_F(PhotoTest, CmykJpegBecomesRgb) {
  Ref grey = two_colour(96, 64, 4);
  grey.p->Type = VIPS_INTERPRETATION_CMYK;
  auto out = normalise_photo(jpeg(grey.p));
  ASSERT_TRUE(out.ok()) << out.error().detail;
  Ref back = read_back(out->bytes);
  EXPECT_EQ(vips_image_get_bands(back.p), 3);
  EXPECT_EQ(out->width, 96);
}

// testdata/red_blue_64x48.heic: a 64×48 HEVC HEIC, left half red, right half blue, made once
// with libvips' heifsave. A file rather than made here because encoding HEVC pulls x265 into
// the test, whose encoder leaks a static buffer that LeakSanitizer (tests/run-asan) reports.
std::string read_testdata(const char* name) {
  const std::string path =
      std::string(__FILE__).substr(0, std::string(__FILE__).rfind('/')) + "/testdata/" + name;
  std::string out;
  if (FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
    std::fclose(f);
  }
  return out;
}

TEST_F(PhotoTest, HeicIsReadWhenLibheifCanOrRefusedClearly) {
  const std::string heic = read_testdata("red_blue_64x48.heic");
  ASSERT_FALSE(heic.empty());
  ASSERT_EQ(sniff_image_type(heic), ImageType::kHeic);
  auto out = normalise_photo(heic);
  if (detail::vips_has_operation("heifload_buffer")) {
    ASSERT_TRUE(out.ok()) << out.error().detail;
    EXPECT_EQ(out->source_type, ImageType::kHeic);
    EXPECT_EQ(out->width, 64);
    EXPECT_EQ(out->height, 48);
    expect_no_metadata(out->bytes);
    Ref back = read_back(out->bytes);
    EXPECT_GT(pixel(back.p, 8, 24)[0], 200);
    EXPECT_GT(pixel(back.p, 56, 24)[2], 200);
  } else {
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().user_key, "media.unsupported_format");
  }
}

TEST_F(PhotoTest, TextNamedJpgIsNotAnImage) {
  for (std::string_view body :
       {std::string_view("hello, this is definitely a photo.jpg\n"), std::string_view(""),
        std::string_view("<html><script>alert(1)</script></html>"),
        std::string_view("GIF89a\x01\x00\x01\x00", 10), std::string_view("%PDF-1.4\n")}) {
    auto out = normalise_photo(body);
    ASSERT_FALSE(out.ok());
    EXPECT_EQ(out.error().kind, ErrorKind::kInvalidInput);
    EXPECT_EQ(out.error().user_key, "media.not_an_image");
  }
}

TEST_F(PhotoTest, TruncatedJpegsAreRefusedCleanly) {
  Ref img = noise(400, 300);
  const std::string whole = jpeg(img.p);
  ASSERT_TRUE(normalise_photo(whole).ok());
  for (std::size_t keep :
       {std::size_t{3}, std::size_t{20}, std::size_t{200}, whole.size() / 2, whole.size() - 10}) {
    auto out = normalise_photo(std::string_view(whole).substr(0, keep));
    ASSERT_FALSE(out.ok()) << "kept " << keep;
    EXPECT_EQ(out.error().kind, ErrorKind::kInvalidInput) << keep;
    EXPECT_EQ(out.error().user_key, "media.unreadable") << keep;
  }
  // Right magic, garbage after it.
  std::string png_garbage("\x89PNG\r\n\x1A\n", 8);
  png_garbage += std::string(500, 'x');
  auto out = normalise_photo(png_garbage);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().user_key, "media.unreadable");
}

std::uint32_t crc32(std::string_view data) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

std::string png_chunk(std::string_view type, std::string_view data) {
  std::string out;
  put_u32be(out, static_cast<std::uint32_t>(data.size()));
  std::string typed = std::string(type) + std::string(data);
  out += typed;
  put_u32be(out, crc32(typed));
  return out;
}

TEST_F(PhotoTest, PngDeclaringTenGigapixelsIsRefusedBeforeDecoding) {
  std::string ihdr;
  put_u32be(ihdr, 100000);
  put_u32be(ihdr, 100000);
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, deflate, no filter, no interlace
  // A tiny valid zlib stream (an empty stored block): what a bomb's IDAT would start with.
  const std::string idat("\x78\x01\x01\x00\x00\xff\xff\x00\x00\x00\x01", 11);
  const std::string bomb = std::string("\x89PNG\r\n\x1A\n", 8) + png_chunk("IHDR", ihdr) +
                           png_chunk("IDAT", idat) + png_chunk("IEND", "");
  const auto start = std::chrono::steady_clock::now();
  auto out = normalise_photo(bomb);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(out.error().user_key, "media.too_many_pixels");
  EXPECT_LT(took, std::chrono::milliseconds(500));
}

TEST_F(PhotoTest, JpegWhoseFrameHeaderClaimsHugeDimensionsIsRefused) {
  Ref img = two_colour(64, 64);
  std::string bytes = jpeg(img.p);
  const auto sof = bytes.find(std::string("\xFF\xC0", 2));
  ASSERT_NE(sof, std::string::npos);
  // SOF0: FFC0, length(2), precision(1), height(2), width(2) — ITU T.81 §B.2.2.
  // 65,280 × 65,280: under libjpeg's 65,500 limit, 4.2 gigapixels declared.
  bytes[sof + 5] = '\xFF', bytes[sof + 6] = '\x00';
  bytes[sof + 7] = '\xFF', bytes[sof + 8] = '\x00';
  const auto start = std::chrono::steady_clock::now();
  auto out = normalise_photo(bytes);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().user_key, "media.too_many_pixels");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
}

TEST_F(PhotoTest, ProgressiveJpegGetsTheTighterPixelBudget) {
  Ref img = noise(400, 300);
  void* buf = nullptr;
  std::size_t len = 0;
  ASSERT_EQ(vips_jpegsave_buffer(img.p, &buf, &len, "interlace", TRUE, "strip", TRUE, nullptr), 0);
  const std::string progressive = take_buffer(buf, len);
  const std::string baseline = jpeg(img.p);
  PhotoLimits limits;
  limits.max_progressive_jpeg_pixels = 400 * 300 - 1;
  EXPECT_TRUE(normalise_photo(baseline, limits).ok());
  auto out = normalise_photo(progressive, limits);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().user_key, "media.too_many_pixels");
  limits.max_progressive_jpeg_pixels = 400 * 300;
  EXPECT_TRUE(normalise_photo(progressive, limits).ok());
}

TEST_F(PhotoTest, JpegWithThousandsOfScansIsRefused) {
  Ref img = two_colour(64, 64);
  const std::string whole = jpeg(img.p);
  // Thousands of extra SOS headers before EOI: the shape of a progressive-scan CPU bomb.
  std::string scan_header("\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00", 10);
  std::string bomb = whole.substr(0, whole.size() - 2);
  for (int i = 0; i < 5000; ++i) bomb += scan_header;
  bomb += "\xFF\xD9";
  const auto start = std::chrono::steady_clock::now();
  auto out = normalise_photo(bomb);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().user_key, "media.unreadable");
  EXPECT_NE(out.error().detail.find("scans"), std::string::npos);  // refused by the count
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST_F(PhotoTest, FiftyMegabyteUploadIsRefusedWithoutReadingIt) {
  // 50 MB of address space no one may read: touching a single byte would kill the test.
  constexpr std::size_t kSize = 50u * 1024 * 1024;
  void* region = mmap(nullptr, kSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  auto out = normalise_photo(std::string_view(static_cast<const char*>(region), kSize));
  munmap(region, kSize);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().kind, ErrorKind::kTooLarge);
  EXPECT_EQ(out.error().user_key, "media.too_large");
}

TEST_F(PhotoTest, LimitsAreTheCallers) {
  Ref img = two_colour(400, 300);
  const std::string bytes = jpeg(img.p);
  PhotoLimits tight;
  tight.max_bytes = bytes.size() - 1;
  EXPECT_EQ(normalise_photo(bytes, tight).error().user_key, "media.too_large");
  tight = {};
  tight.max_pixels = 400 * 300 - 1;
  EXPECT_EQ(normalise_photo(bytes, tight).error().user_key, "media.too_many_pixels");
  tight = {};
  tight.max_side = 200;
  tight.thumbnail_side = 40;
  auto out = normalise_photo(bytes, tight);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->width, 200);
  EXPECT_EQ(out->height, 150);
  EXPECT_EQ(out->thumbnail.width, 40);
}

TEST_F(PhotoTest, ConcurrentCallsGiveTheSameResultAsOne) {
  Ref img = noise(900, 700);
  const std::string input = with_segments(jpeg(img.p), exif_app1_with_gps_and_orientation());
  auto reference = normalise_photo(input);
  ASSERT_TRUE(reference.ok());
  constexpr int kThreads = 4;
  std::vector<std::string> results(kThreads * 3);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        auto r = normalise_photo(input);
        results[t * 3 + i] = r.ok() ? r->bytes : "error: " + r.error().detail;
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& r : results) EXPECT_EQ(r, reference->bytes);
}

}  // namespace
}  // namespace zocalo::media
