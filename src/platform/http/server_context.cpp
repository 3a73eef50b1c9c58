#include "platform/http/server_context.hpp"

#include <algorithm>
#include <utility>

#include "platform/core/crypto.hpp"

namespace zocalo::http {

ServerContext::ServerContext(ServerOptions o, const Router& r, ErrorRenderer e)
    : options(std::move(o)),
      router(r),
      render_error(std::move(e)),
      ioc(static_cast<int>(std::max<std::size_t>(1, options.io_threads))),
      workers(std::max<std::size_t>(1, options.worker_threads)),
      id_prefix_(crypto::random_token(6) + "-") {}

std::string ServerContext::next_request_id() {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::uint64_t n = next_id_.fetch_add(1, std::memory_order_relaxed);
  char digits[16];
  std::size_t len = 0;
  do {
    digits[len++] = kDigits[n & 15];
    n >>= 4;
  } while (n != 0);
  std::string id;
  id.reserve(id_prefix_.size() + len);
  id += id_prefix_;
  while (len > 0) id.push_back(digits[--len]);
  return id;
}

}  // namespace zocalo::http
