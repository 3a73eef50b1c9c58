#pragma once
// The default BlobStore: a folder on local disk. Blob <h> lives at <root>/<h[0:2]>/<h[2:4]>/<h>
// (two levels of 256 folders keep every directory small even at tens of millions of blobs).
//
// Durability (ARCHITECTURE.md principle 5, "every write that was acknowledged survives a
// crash"): put() writes a temporary file in the blob's own folder, fsyncs it, renames it to its
// final name and fsyncs the folder before returning. See local_blob_store.cpp for why each step
// is needed.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "platform/blobs/blob_store.hpp"

namespace zocalo::blobs {

struct LocalBlobStoreOptions {
  // Largest blob accepted by put() and read back by get(). Photos arrive already normalised
  // (≤ 1 MB); documents (PDFs of deeds, IDs) are the large case.
  std::size_t max_blob_bytes = 64 * 1024 * 1024;
  // Verify the SHA-256 on every get(): bit rot or a hand-edited file is an error, never
  // silently served under a name that promises other bytes.
  bool verify_on_read = true;
};

class LocalBlobStore final : public BlobStore {
 public:
  explicit LocalBlobStore(std::filesystem::path root, LocalBlobStoreOptions options = {});

  Result<std::string> put(std::string_view bytes) override;
  Result<std::optional<std::string>> get(std::string_view sha256_hex) const override;
  Result<bool> exists(std::string_view sha256_hex) const override;
  Result<bool> remove(std::string_view sha256_hex) override;

  // Temporary files left by a crash mid-put (never acknowledged, so nothing names them).
  // Removes those older than `older_than` and returns how many; safe while puts run, since a
  // live put's temp file is younger than any sensible `older_than`.
  Result<std::size_t> remove_stale_temp_files(std::chrono::seconds older_than);

  // Where blob `sha256_hex` lives (for tests and operators); the name must be valid.
  std::filesystem::path path_of(std::string_view sha256_hex) const;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  LocalBlobStoreOptions options_;
};

}  // namespace zocalo::blobs
