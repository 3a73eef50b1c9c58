#include "platform/http/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

#include "platform/http/header_syntax.hpp"

namespace zocalo::http {
namespace {

// windowBits 15 (32 KiB window) plus 16 asks zlib for the gzip wrapper instead of zlib's own.
constexpr int kGzipWindowBits = 15 + 16;
constexpr int kMemLevel = 8;

// One deflate stream per thread, reset between uses: deflateInit2 allocates ~256 KiB of state,
// which would otherwise be paid on every compressed response.
class ThreadDeflater {
 public:
  ThreadDeflater() = default;
  ThreadDeflater(const ThreadDeflater&) = delete;
  ThreadDeflater& operator=(const ThreadDeflater&) = delete;
  ~ThreadDeflater() {
    if (ready_) deflateEnd(&stream_);
  }

  z_stream& acquire(int level) {
    if (ready_ && level == level_) {
      if (deflateReset(&stream_) == Z_OK) return stream_;
      deflateEnd(&stream_);
      ready_ = false;
    }
    if (ready_) {
      deflateEnd(&stream_);
      ready_ = false;
    }
    stream_ = z_stream{};
    if (deflateInit2(&stream_, level, Z_DEFLATED, kGzipWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      throw std::runtime_error("zlib deflateInit2 failed");
    }
    ready_ = true;
    level_ = level;
    return stream_;
  }

 private:
  z_stream stream_{};
  bool ready_ = false;
  int level_ = 0;
};

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

// RFC 9110 §12.4.2: weight = OWS ";" OWS "q=" qvalue, in thousandths; a malformed weight counts
// as 0 (not acceptable), the safe reading.
int parse_weight(std::string_view params) {
  int weight = 1000;
  while (!params.empty()) {
    const std::size_t semi = params.find(';');
    std::string_view p = trim_ows(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    if (p.size() < 2 || lower(p[0]) != 'q' || p[1] != '=') continue;
    weight = parse_qvalue(p.substr(2)).value_or(0);
  }
  return weight;
}

}  // namespace

std::string gzip_compress(std::string_view data, int level) {
  thread_local ThreadDeflater deflater;
  z_stream& zs = deflater.acquire(level);
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  // deflateBound guarantees one Z_FINISH call completes when the whole input is given at once.
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) throw std::runtime_error("zlib deflate failed");
  out.resize(zs.total_out);
  return out;
}

std::optional<std::string> gzip_decompress(std::string_view data, std::size_t max_bytes) {
  z_stream zs{};
  if (inflateInit2(&zs, kGzipWindowBits) != Z_OK) return std::nullopt;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) break;
    const std::size_t produced = sizeof chunk - zs.avail_out;
    if (out.size() + produced > max_bytes) {
      rc = Z_BUF_ERROR;
      break;
    }
    out.append(chunk, produced);
    if (rc == Z_OK && produced == 0 && zs.avail_in == 0) {
      rc = Z_DATA_ERROR;  // truncated: no progress and no more input
    }
  }
  inflateEnd(&zs);
  // Trailing bytes after the member are not part of this representation.
  if (rc != Z_STREAM_END || zs.avail_in != 0) return std::nullopt;
  return out;
}

bool accepts_gzip(std::string_view accept_encoding) {
  int gzip = -1;
  int star = -1;
  while (!accept_encoding.empty()) {
    const std::size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding =
        comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const std::size_t semi = item.find(';');
    const std::string_view coding = trim_ows(item.substr(0, semi));
    if (coding.empty()) continue;
    const int weight = semi == std::string_view::npos ? 1000 : parse_weight(item.substr(semi + 1));
    if (iequal(coding, "gzip") || iequal(coding, "x-gzip")) {
      gzip = std::max(gzip, weight);
    } else if (coding == "*") {
      star = std::max(star, weight);
    }
  }
  if (gzip >= 0) return gzip > 0;
  return star > 0;
}

bool is_compressible_type(std::string_view content_type) {
  const std::string_view type = trim_ows(content_type.substr(0, content_type.find(';')));
  const std::size_t slash = type.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view top = type.substr(0, slash);
  const std::string_view sub = type.substr(slash + 1);
  if (iequal(top, "text")) return true;
  auto ends_with = [](std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && iequal(s.substr(s.size() - suffix.size()), suffix);
  };
  if (iequal(top, "application")) {
    // +json / +xml cover problem+json (RFC 9457), geo+json and the rest of the structured
    // syntax suffixes (RFC 6839).
    return iequal(sub, "json") || iequal(sub, "xml") || iequal(sub, "javascript") ||
           iequal(sub, "x-javascript") || iequal(sub, "ecmascript") || ends_with(sub, "+json") ||
           ends_with(sub, "+xml");
  }
  if (iequal(top, "image")) return iequal(sub, "svg+xml");
  return false;
}

}  // namespace zocalo::http
