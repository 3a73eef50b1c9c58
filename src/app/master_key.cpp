#include "app/master_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "platform/core/crypto.hpp"

namespace zocalo::app {
namespace {

constexpr std::size_t kKeyBytes = 32;

Error key_error(std::string detail) {
  return {ErrorKind::kInvalidInput, "identity.keys.invalid", std::move(detail)};
}

Result<std::string> read_key_file(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return fail(key_error("cannot stat " + path));
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return fail(key_error(path + " is readable by others; chmod 600 it"));
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(key_error("cannot open " + path + ": " + std::strerror(errno)));
  std::string key(kKeyBytes + 1, '\0');
  const ssize_t n = read(fd, key.data(), key.size());
  close(fd);
  if (n != static_cast<ssize_t>(kKeyBytes)) {
    return fail(key_error(path + " must hold exactly 32 bytes"));
  }
  key.resize(kKeyBytes);
  return key;
}

// O_EXCL: two processes starting at once cannot both create (and use) different keys.
Result<std::string> create_key_file(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return read_key_file(path);
    return fail(key_error("cannot create " + path + ": " + std::strerror(errno)));
  }
  const std::string key = crypto::random_bytes(kKeyBytes);
  const bool written =
      write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && fsync(fd) == 0;
  close(fd);
  if (!written) {
    std::filesystem::remove(path, ec);
    return fail(key_error("cannot write " + path));
  }
  return key;
}

}  // namespace

Result<std::string> resolve_master_key(const Config& config) {
  if (const char* text = std::getenv("ZOCALO_MASTER_KEY"); text && *text) {
    auto key = crypto::base64url_decode(text);
    if (!key || key->size() != kKeyBytes) {
      return fail(key_error("ZOCALO_MASTER_KEY must be base64url of 32 bytes (43 characters)"));
    }
    return std::move(*key);
  }
  if (config.database_url().rfind("sqlite:", 0) != 0) {
    return fail(key_error(
        "set ZOCALO_MASTER_KEY (the same on every node; `zocalo keys new-master-key` makes one)"));
  }
  const std::string path = config.data_dir + "/master.key";
  if (std::filesystem::exists(path)) return read_key_file(path);
  return create_key_file(path);
}

std::string new_master_key_text() {
  return crypto::base64url_encode(crypto::random_bytes(kKeyBytes));
}

}  // namespace zocalo::app
