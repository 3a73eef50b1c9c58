#include "identity/model/qr_svg.hpp"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "platform/core/text.hpp"

namespace zocalo::identity {
namespace {

struct QrCodeDeleter {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, QrCodeDeleter>;

constexpr int kQuietZone = 4;  // ISO/IEC 18004 section 6.3.8: four modules wide on every side

// The dark modules as horizontal runs drawn with a 1-unit stroke along each row's centre line
// (y + 0.5): "M4 4.5h7m1 0h1" costs a few bytes per run, about half of filled rectangles
// ("M4 4h7v1h-7z"), and butt caps end each run exactly on the module edges.
std::string run_path(const QRcode& code) {
  std::string d;
  const int width = code.width;
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = code.data + static_cast<std::ptrdiff_t>(y) * width;
    int pen = -1;  // x where the previous run in this row ended; -1 before the first run
    for (int x = 0; x < width;) {
      if ((row[x] & 1) == 0) {  // bit 0 is "dark"; the other bits describe the module's role
        ++x;
        continue;
      }
      int end = x;
      while (end < width && (row[end] & 1) != 0) ++end;
      if (pen < 0) {
        d += 'M' + std::to_string(x + kQuietZone) + ' ' + std::to_string(y + kQuietZone) + ".5";
      } else {
        d += 'm' + std::to_string(x - pen) + " 0";
      }
      d += 'h' + std::to_string(end - x);
      pen = end;
      x = end;
    }
  }
  return d;
}

}  // namespace

Result<std::string> qr_svg(std::string_view text, std::string_view title) {
  if (title.empty()) {
    return fail(Error::invalid("error.internal", "qr_svg: a title is required for screen readers"));
  }
  // QRcode_encodeString reads a C string: an embedded NUL would silently cut the text short.
  if (text.find('\0') != std::string_view::npos) {
    return fail(Error::invalid("error.internal", "qr_svg: text contains a NUL byte"));
  }
  const std::string c_text(text);
  errno = 0;
  // Version 0: the smallest symbol that holds the text. QR_MODE_8 with case sensitivity keeps
  // the lower-case parts of the URI byte for byte (the library still packs digit runs tighter).
  QrCodePtr code(QRcode_encodeString(c_text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) {
    const int err = errno;
    if (err == ERANGE) {
      return fail({ErrorKind::kTooLarge, "error.too_large", "qr_svg: text exceeds QR capacity"});
    }
    return fail(Error::internal(std::string("QRcode_encodeString: ") + std::strerror(err)));
  }
  const std::string size = std::to_string(code->width + 2 * kQuietZone);
  std::string svg;
  svg.reserve(4096);
  // crispEdges: module edges fall on whole units, so anti-aliasing would only blur them into
  // grey seams that make cameras struggle. The white background keeps the quiet zone light on
  // dark-themed pages, where a transparent image would show a dark "quiet" zone and fail to scan.
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + ' ' + size +
         "\" role=\"img\" shape-rendering=\"crispEdges\"><title>";
  svg += text::escape_xml(title);
  svg += "</title><rect width=\"" + size + "\" height=\"" + size + "\" fill=\"#fff\"/>";
  svg += "<path stroke=\"#000\" d=\"" + run_path(*code) + "\"/></svg>";
  return svg;
}

}  // namespace zocalo::identity
