#include "platform/notify/curl_global.hpp"

#include <curl/curl.h>

#include <stdexcept>

namespace zocalo::notify {

void ensure_curl_initialised() {
  static const bool ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  if (!ready) throw std::runtime_error("curl_global_init failed");
}

}  // namespace zocalo::notify
