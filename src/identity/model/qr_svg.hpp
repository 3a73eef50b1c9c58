#pragma once
// A QR code as a small, accessible SVG: how a resident enrols an authenticator app by scanning
// the otpauth:// URI on the Llave security page. Inline in the page, so no image route, no
// cache and no secret in a URL or a log line.
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::identity {

// `text` encoded at error-correction level M (15% of the symbol may be damaged or blurred by a
// phone camera), smallest version that fits, and drawn as an SVG whose viewBox is one unit per
// module: a white background, then the dark modules as one <path> of horizontal runs, with the
// 4-module quiet zone of ISO/IEC 18004 section 6.3.8. `title` (required) becomes the image's
// accessible name (role="img" + <title>); it is escaped. Size the image with CSS.
// Errors: kInvalidInput for an empty title or a text holding a NUL, kTooLarge past a version 40
// symbol's capacity.
Result<std::string> qr_svg(std::string_view text, std::string_view title);

}  // namespace zocalo::identity
