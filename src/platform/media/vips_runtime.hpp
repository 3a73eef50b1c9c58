#pragma once
// One-time libvips set-up shared by everything in platform/media. Internal to this folder.
#include <string>

namespace zocalo::media::detail {

// Initialises libvips once per process (thread-safe, idempotent). Returns false if libvips
// could not start; the reason is logged once.
bool ensure_vips();

// Whether this libvips build has the named operation (e.g. "heifload_buffer") and it is not
// blocked.
bool vips_has_operation(const char* nickname);

// Takes libvips' per-process error text (and clears it), for log details only.
std::string take_vips_error();

}  // namespace zocalo::media::detail
