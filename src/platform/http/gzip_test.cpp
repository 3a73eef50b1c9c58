#include "platform/http/gzip.hpp"

#include <gtest/gtest.h>

#include <string>

namespace zocalo::http {
namespace {

TEST(GzipTest, RoundTripsAndShrinksText) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "<li>Solicitud de bacheo en Iztapalapa</li>\n";
  const std::string packed = gzip_compress(text);
  EXPECT_LT(packed.size(), text.size() / 5);
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f) << "gzip magic (RFC 1952 §2.3.1)";
  EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
  EXPECT_EQ(gzip_decompress(packed, 1 << 20).value_or(""), text);
}

TEST(GzipTest, ReusedStreamGivesIndependentMembers) {
  const std::string a = gzip_compress("primero");
  const std::string b = gzip_compress("segundo", 1);
  const std::string c = gzip_compress("tercero");
  EXPECT_EQ(gzip_decompress(a, 100).value_or(""), "primero");
  EXPECT_EQ(gzip_decompress(b, 100).value_or(""), "segundo");
  EXPECT_EQ(gzip_decompress(c, 100).value_or(""), "tercero");
  EXPECT_EQ(gzip_decompress(gzip_compress(""), 100).value_or("x"), "");
}

TEST(GzipTest, DecompressRejectsCorruptTruncatedAndBombs) {
  const std::string packed = gzip_compress(std::string(100000, 'a'));
  EXPECT_FALSE(gzip_decompress(packed.substr(0, packed.size() / 2), 1 << 20));
  EXPECT_FALSE(gzip_decompress("not gzip at all", 1 << 20));
  EXPECT_FALSE(gzip_decompress(packed, 1000)) << "output cap";
  EXPECT_FALSE(gzip_decompress(packed + "trailing", 1 << 20));
}

struct AcceptCase {
  const char* header;
  bool gzip;
};

TEST(GzipTest, AcceptEncodingWeights) {
  const AcceptCase cases[] = {
      {"gzip", true},
      {"gzip, deflate, br", true},
      {"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
      {"GZIP", true},
      {"x-gzip", true},
      {"gzip;q=0", false},
      {"gzip;q=0.000", false},
      {"gzip ; q=0", false},
      {"deflate, br", false},
      {"*", true},
      {"*;q=0", false},
      {"*, gzip;q=0", false},
      {"identity", false},
      {"", false},
      {"gzip;q=2", false},
      {"gzip;q=abc", false},
      {"gzip;q=0.001", true},
  };
  for (const auto& c : cases) EXPECT_EQ(accepts_gzip(c.header), c.gzip) << c.header;
}

TEST(GzipTest, CompressibleTypes) {
  for (const char* t :
       {"text/html; charset=utf-8", "text/css", "application/json", "application/problem+json",
        "application/xml", "image/svg+xml", "application/javascript", "text/javascript",
        "application/geo+json", "TEXT/PLAIN"}) {
    EXPECT_TRUE(is_compressible_type(t)) << t;
  }
  for (const char* t : {"image/png", "application/octet-stream", "application/gzip",
                        "application/zip", "video/mp4", "", "nonsense"}) {
    EXPECT_FALSE(is_compressible_type(t)) << t;
  }
}

}  // namespace
}  // namespace zocalo::http
