#pragma once

namespace zocalo::notify {

// curl_global_init is not thread-safe; every libcurl user here calls this first (once per
// process, guarded by a function-local static).
void ensure_curl_initialised();

}  // namespace zocalo::notify
