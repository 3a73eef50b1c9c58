#include "platform/blobs/local_blob_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "platform/blobs/blob_name.hpp"
#include "platform/core/crypto.hpp"

// Crash safety, step by step (POSIX + Linux ext4/xfs semantics):
//
// 1. The bytes go to a temporary file in the *same folder* as the final name, so the rename in
//    step 3 stays within one filesystem and is atomic: a reader, or a restarted process, sees
//    either no blob or the whole blob, never a prefix.
// 2. fsync(file) before the rename. Without it, delayed allocation can persist the rename
//    before the data, and after a power cut the name exists with zero or partial bytes.
// 3. rename(temp, final). Concurrent puts of the same bytes both rename identical content onto
//    the same name; whichever wins, the result is the same file.
// 4. fsync(folder) after the rename: the new directory entry itself is only durable once its
//    directory is synced. put() returns (and the upload is acknowledged) only after this.
//    Folders created on the way (root, ab/, ab/cd/) are synced into their parents likewise,
//    or a crash could lose a whole new subtree.
// A crash before step 4 completes leaves at most a ".tmp-*" file that nothing names (the
// caller never got the hash); remove_stale_temp_files() reclaims it. kill -9 of the process
// at any point loses nothing acknowledged: the page cache belongs to the kernel.

namespace zocalo::blobs {
namespace {

constexpr std::string_view kTempPrefix = ".tmp-";

Unexpected bad_name() {
  return fail(Error::invalid("blobs.bad_name", "not a lowercase hex SHA-256"));
}

Unexpected io_error(std::string_view what, const std::filesystem::path& path, int err) {
  return fail(
      Error::unavailable(std::string(what) + " " + path.string() + ": " + std::strerror(err)));
}

// Closes a descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // close() can report a deferred write error (NFS, quota): it must be checked, not ignored.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

Status fsync_dir(const std::filesystem::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return io_error("open dir", dir, errno);
  if (::fsync(fd.get()) != 0) return io_error("fsync dir", dir, errno);
  return {};
}

// mkdir that makes the new entry durable in its parent; an existing folder is fine.
Status ensure_dir(const std::filesystem::path& dir) {
  if (::mkdir(dir.c_str(), 0750) == 0) {
    return fsync_dir(dir.has_parent_path() ? dir.parent_path() : std::filesystem::path("."));
  }
  if (errno != EEXIST) return io_error("mkdir", dir, errno);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return io_error("stat", dir, errno);
  if (!S_ISDIR(st.st_mode)) return io_error("not a folder", dir, ENOTDIR);
  return {};
}

// The root may be several folders deep and not exist yet on a fresh install.
Status ensure_root(const std::filesystem::path& root) {
  struct stat st {};
  if (::stat(root.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return {};
    return io_error("not a folder", root, ENOTDIR);
  }
  if (root.has_parent_path() && root.parent_path() != root) {
    if (auto s = ensure_root(root.parent_path()); !s) return s;
  }
  return ensure_dir(root);
}

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", path, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

LocalBlobStore::LocalBlobStore(std::filesystem::path root, LocalBlobStoreOptions options)
    : root_(std::move(root)), options_(options) {}

std::filesystem::path LocalBlobStore::path_of(std::string_view name) const {
  const std::string n(name);
  return root_ / n.substr(0, 2) / n.substr(2, 2) / n;
}

Result<std::string> LocalBlobStore::put(std::string_view bytes) {
  if (bytes.size() > options_.max_blob_bytes) {
    return fail(Error{ErrorKind::kTooLarge, "blobs.too_large",
                      "blob of " + std::to_string(bytes.size()) + " bytes"});
  }
  std::string name = crypto::sha256_hex(bytes);
  const std::filesystem::path final_path = path_of(name);

  // Already stored: content addressing makes the existing file the same bytes (get() verifies).
  struct stat st {};
  if (::stat(final_path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      static_cast<std::size_t>(st.st_size) == bytes.size()) {
    return name;
  }

  const std::filesystem::path dir = final_path.parent_path();
  if (auto s = ensure_root(root_); !s) return fail(s.error());
  for (const auto& d : {dir.parent_path(), dir}) {
    if (auto s = ensure_dir(d); !s) return fail(s.error());
  }

  const std::filesystem::path temp =
      dir / (std::string(kTempPrefix) + crypto::hex_encode(crypto::random_bytes(12)));
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640));
  if (fd.get() < 0) return io_error("create", temp, errno);
  auto cleanup_and_fail = [&](Error e) -> Unexpected {
    ::unlink(temp.c_str());
    return fail(std::move(e));
  };
  if (auto s = write_all(fd.get(), bytes, temp); !s) return cleanup_and_fail(s.error());
  if (::fsync(fd.get()) != 0) return cleanup_and_fail(io_error("fsync", temp, errno).error);
  if (fd.close() != 0) return cleanup_and_fail(io_error("close", temp, errno).error);
  if (::rename(temp.c_str(), final_path.c_str()) != 0) {
    return cleanup_and_fail(io_error("rename", final_path, errno).error);
  }
  if (auto s = fsync_dir(dir); !s) return fail(s.error());
  return name;
}

Result<std::optional<std::string>> LocalBlobStore::get(std::string_view name) const {
  if (!is_blob_name(name)) return bad_name();
  const std::filesystem::path path = path_of(name);
  // O_NOFOLLOW: a symlink planted in the store is not followed out of it.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return io_error("open", path, errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return io_error("fstat", path, errno);
  if (!S_ISREG(st.st_mode)) return fail(Error::internal("blob is not a file: " + path.string()));
  if (static_cast<std::size_t>(st.st_size) > options_.max_blob_bytes) {
    return fail(Error::internal("blob over the size limit: " + path.string()));
  }
  std::string bytes(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read", path, errno);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  if (done != bytes.size())
    return fail(Error::internal("blob shrank while read: " + path.string()));
  if (options_.verify_on_read && crypto::sha256_hex(bytes) != name) {
    return fail(Error::internal("blob content does not match its name: " + path.string()));
  }
  return std::optional<std::string>(std::move(bytes));
}

Result<bool> LocalBlobStore::exists(std::string_view name) const {
  if (!is_blob_name(name)) return bad_name();
  struct stat st {};
  const std::filesystem::path path = path_of(name);
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return false;
    return io_error("stat", path, errno);
  }
  return S_ISREG(st.st_mode);
}

Result<bool> LocalBlobStore::remove(std::string_view name) {
  if (!is_blob_name(name)) return bad_name();
  const std::filesystem::path path = path_of(name);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return false;
    return io_error("unlink", path, errno);
  }
  // The removal is durable too: a deleted personal document must not come back after a crash.
  if (auto s = fsync_dir(path.parent_path()); !s) return fail(s.error());
  return true;
}

Result<std::size_t> LocalBlobStore::remove_stale_temp_files(std::chrono::seconds older_than) {
  namespace fs = std::filesystem;
  std::size_t removed = 0;
  const auto cutoff = fs::file_time_type::clock::now() - older_than;
  std::error_code ec;
  if (!fs::exists(root_, ec)) return removed;
  try {
    // Only the two fixed levels: temp files live beside their blobs, never deeper. Per-entry
    // calls take an error_code because concurrent puts rename temp files away under us.
    for (const auto& level1 : fs::directory_iterator(root_)) {
      if (level1.is_symlink(ec) || !level1.is_directory(ec)) continue;
      for (const auto& level2 : fs::directory_iterator(level1.path())) {
        if (level2.is_symlink(ec) || !level2.is_directory(ec)) continue;
        for (const auto& entry : fs::directory_iterator(level2.path())) {
          const std::string file = entry.path().filename().string();
          if (file.rfind(kTempPrefix, 0) != 0) continue;
          const auto mtime = fs::last_write_time(entry.path(), ec);
          if (ec || mtime > cutoff) continue;
          if (::unlink(entry.path().c_str()) == 0) ++removed;
        }
      }
    }
  } catch (const fs::filesystem_error& e) {
    return fail(Error::unavailable(std::string("sweep blob store: ") + e.what()));
  }
  return removed;
}

}  // namespace zocalo::blobs
