#include "platform/media/vips_runtime.hpp"

#include <vips/vips.h>

#include <mutex>
#include <string_view>

#include "platform/core/log.hpp"

namespace zocalo::media::detail {
namespace {

// libvips reports hostile input ("error in tile", "chunk data is too large") as GLib warnings
// on stderr, bypassing our structured log. The error that matters reaches the caller as a
// Result; the warning text goes to the debug log, bounded, so an attacker cannot flood stderr.
void on_vips_log(const gchar* /*domain*/, GLogLevelFlags /*level*/, const gchar* message,
                 gpointer /*user*/) {
  if (!log::enabled(log::Level::kDebug) || message == nullptr) return;
  std::string_view text(message);
  log::debug("media.vips", {{"message", text.substr(0, 256)}});
}

bool start() {
  g_log_set_handler("VIPS",
                    static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
                                                G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG),
                    on_vips_log, nullptr);
  if (VIPS_INIT("zocalo") != 0) {
    log::error("media.vips_init_failed", {{"detail", take_vips_error()}});
    return false;
  }
  // Only our four loaders may ever run. Debian's libvips also carries ImageMagick, Poppler,
  // OpenSlide, Matlab, FITS, ... loaders: a large attack surface we never need. Blocking the
  // whole VipsForeignLoad family and reopening four is the documented libvips 8.13+ way; even
  // if some code path let libvips guess a loader, a blocked one refuses to run.
  vips_block_untrusted_set(TRUE);
  vips_operation_block_set("VipsForeignLoad", TRUE);
  vips_operation_block_set("VipsForeignLoadJpegBuffer", FALSE);
  vips_operation_block_set("VipsForeignLoadPngBuffer", FALSE);
  vips_operation_block_set("VipsForeignLoadWebpBuffer", FALSE);
  vips_operation_block_set("VipsForeignLoadHeifBuffer", FALSE);
  // The operation cache would keep decoded images (memory we did not budget for) and keys
  // buffer loads by the buffer's address, which a later upload may reuse. Off.
  vips_cache_set_max(0);
  vips_cache_set_max_mem(0);
  vips_cache_set_max_files(0);
  // One thread per call: parallelism comes from the worker pool, and N uploads × ncores
  // threads would oversubscribe a 2-core node and multiply peak memory.
  vips_concurrency_set(1);
  return true;
}

}  // namespace

bool ensure_vips() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = start(); });
  return ok;
}

bool vips_has_operation(const char* nickname) {
  if (!ensure_vips()) return false;
  const GType type = vips_type_find("VipsOperation", nickname);
  if (type == 0) return false;
  auto* klass = VIPS_OPERATION_CLASS(g_type_class_ref(type));
  const bool blocked = (klass->flags & VIPS_OPERATION_BLOCKED) != 0;
  g_type_class_unref(klass);
  return !blocked;
}

std::string take_vips_error() {
  // vips_error_buffer_copy() returns a g_malloc'd copy and clears the buffer.
  char* text = vips_error_buffer_copy();
  std::string out = text != nullptr ? text : "";
  g_free(text);
  constexpr std::size_t kMaxDetail = 512;  // log lines stay bounded
  if (out.size() > kMaxDetail) out.resize(kMaxDetail);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace zocalo::media::detail
