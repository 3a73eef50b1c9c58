#include "identity/model/qr_svg.hpp"

#include <gtest/gtest.h>
#include <qrencode.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <regex>
#include <set>
#include <utility>
#include <vector>

#include "child_process.hpp"
#include "identity/model/totp.hpp"
#include "temp_dir.hpp"

namespace zocalo::identity {
namespace {

// What an enrolment page shows: a 20-byte secret, a city issuer and an e-mail account.
std::string typical_uri() {
  return *totp::otpauth_uri("Llave CDMX", "ana.lopez.hernandez@correo.example.mx",
                            totp::generate_secret());
}

std::string svg_for(const std::string& text, std::string_view title = "Código QR") {
  auto svg = qr_svg(text, title);
  EXPECT_TRUE(svg.ok()) << svg.error().detail;
  return svg.ok() ? *svg : std::string();
}

std::string attribute(const std::string& svg, const std::string& name) {
  std::smatch m;
  const std::regex re(name + "=\"([^\"]*)\"");
  return std::regex_search(svg, m, re) ? m[1].str() : std::string();
}

// The dark modules the SVG draws, read back from its path: "M x y.5" starts a row, "m dx 0"
// skips light modules, "h n" draws n dark ones.
std::set<std::pair<int, int>> modules_drawn(const std::string& d) {
  std::set<std::pair<int, int>> dark;
  const std::regex command(R"(([Mmh])(\d+)(?: (\d+)(\.5)?)?)");
  int x = 0;
  int y = 0;
  for (auto it = std::sregex_iterator(d.begin(), d.end(), command); it != std::sregex_iterator();
       ++it) {
    const std::string op = (*it)[1];
    const int a = std::stoi((*it)[2]);
    if (op == "M") {
      EXPECT_TRUE((*it)[4].matched) << "row must run along the module centre line";
      x = a;
      y = std::stoi((*it)[3]);
    } else if (op == "m") {
      EXPECT_EQ((*it)[3].str(), "0") << "a move within a row stays on the row";
      x += a;
    } else {
      for (int i = 0; i < a; ++i) dark.emplace(x + i, y);
      x += a;
    }
  }
  return dark;
}

TEST(QrSvg, IsOneAccessibleCrispPathOverAWhiteBackground) {
  const std::string svg = svg_for(typical_uri(), "Escanee con su app de autenticación");
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" ", 0), 0u) << svg;
  EXPECT_EQ(attribute(svg, "role"), "img");
  EXPECT_EQ(attribute(svg, "shape-rendering"), "crispEdges");
  // <title> is the first child: that is where assistive technology looks for the name.
  EXPECT_NE(svg.find("crispEdges\"><title>Escanee con su app de autenticación</title>"),
            std::string::npos);
  std::size_t paths = 0;
  for (auto at = svg.find("<path"); at != std::string::npos; at = svg.find("<path", at + 1)) {
    ++paths;
  }
  EXPECT_EQ(paths, 1u);
  EXPECT_NE(svg.find("fill=\"#fff\""), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
}

TEST(QrSvg, PathDrawsExactlyTheSymbolInsideAFourModuleQuietZone) {
  const std::string uri = typical_uri();
  const std::string svg = svg_for(uri);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString(uri.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
  ASSERT_TRUE(code);
  const int size = code->width + 8;
  EXPECT_EQ(attribute(svg, "viewBox"), "0 0 " + std::to_string(size) + " " + std::to_string(size));
  EXPECT_EQ((code->width - 17) % 4, 0);  // a real QR version: 17 + 4v modules
  std::set<std::pair<int, int>> expected;
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if (code->data[y * code->width + x] & 1) expected.emplace(x + 4, y + 4);
    }
  }
  const auto drawn = modules_drawn(attribute(svg, "d"));
  EXPECT_EQ(drawn, expected);
  for (const auto& [x, y] : drawn) {
    EXPECT_TRUE(x >= 4 && y >= 4 && x < size - 4 && y < size - 4) << x << "," << y;
  }
}

TEST(QrSvg, TitleIsEscaped) {
  const std::string svg = svg_for("x", "<script>alert(\"x\")</script> & 'y'\x01\x1b");
  // Control characters XML cannot carry become U+FFFD (text::escape_xml's policy).
  EXPECT_NE(svg.find("<title>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;y&apos;"
                     "\xEF\xBF\xBD\xEF\xBF\xBD</title>"),
            std::string::npos)
      << svg;
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find('\x01'), std::string::npos);
  EXPECT_EQ(svg.find('\x1b'), std::string::npos);
}

TEST(QrSvg, TypicalEnrolmentUriStaysUnderEightKilobytes) {
  for (int i = 0; i < 20; ++i) {
    const std::string svg = svg_for(typical_uri());
    EXPECT_LT(svg.size(), 8u * 1024u);
  }
}

TEST(QrSvg, RejectsMissingTitleNulAndOversizedText) {
  EXPECT_EQ(qr_svg("x", "").error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(qr_svg(std::string("a\0b", 3), "t").error().kind, ErrorKind::kInvalidInput);
  // Version 40-M holds at most 2331 bytes.
  EXPECT_EQ(qr_svg(std::string(4000, 'x'), "t").error().kind, ErrorKind::kTooLarge);
}

// Renders with librsvg and decodes with ZBar through tests/harness/decode_qr.sh.
// nullopt (with a reason) when the tools are not installed.
std::optional<std::string> decode_with_real_tools(const std::string& svg, std::string& why) {
  testing::TempDir dir;
  const auto path = dir.path() / "qr.svg";
  std::ofstream(path) << svg;
  // stderr goes to a file: librsvg may chatter there (no D-Bus in a container) and the decoded
  // text must be compared byte for byte.
  const auto errors = dir.path() / "stderr.txt";
  const std::string command = "'" + testing::harness_path("decode_qr.sh") + "' '" + path.string() +
                              "' 2>'" + errors.string() + "'";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    why = "popen failed";
    return std::nullopt;
  }
  std::string output;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    output.append(buffer, n);
  const int status = pclose(pipe);
  std::ifstream error_file(errors);
  const std::string error_text((std::istreambuf_iterator<char>(error_file)),
                               std::istreambuf_iterator<char>());
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
    why = error_text;
    return std::nullopt;
  }
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << error_text;
  return output;
}

TEST(QrSvg, RoundTripsThroughLibrsvgAndZbar) {
  const std::vector<std::string> texts = {
      typical_uri(),
      *totp::otpauth_uri("Ciudad de México", "josé@example.mx", totp::generate_secret()),
      "Llave — Ciudad de México",  // raw UTF-8 bytes, not only ASCII
  };
  for (const auto& text : texts) {
    std::string why;
    auto decoded = decode_with_real_tools(svg_for(text), why);
    if (!decoded) GTEST_SKIP() << "QR tools missing: " << why;
    EXPECT_EQ(*decoded, text);
  }
}

}  // namespace
}  // namespace zocalo::identity
