#pragma once
// Documents and photos are stored once, named by the SHA-256 of their bytes (ARCHITECTURE.md,
// Data: "a blob store addressed by SHA-256: a local folder by default, an S3-compatible store
// at scale"). The database keeps the name; the store keeps the bytes. Same bytes, same name:
// storing a photo twice costs nothing, and a name can never point at changed content.
//
// Implementations are thread-safe and safe to share between processes on one store.
#include <optional>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::blobs {

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // Stores `bytes` durably and returns their lowercase hex SHA-256. When put() returns, the
  // blob survives a crash of the process or the machine. Storing bytes already present is a
  // no-op. kTooLarge "blobs.too_large" over the store's limit; kUnavailable when the storage
  // fails (disk full, permissions).
  virtual Result<std::string> put(std::string_view bytes) = 0;

  // The bytes named `sha256_hex`, or nullopt if there is no such blob. A name that is not
  // exactly 64 lowercase hex digits is kInvalidInput "blobs.bad_name" (and touches nothing).
  virtual Result<std::optional<std::string>> get(std::string_view sha256_hex) const = 0;

  virtual Result<bool> exists(std::string_view sha256_hex) const = 0;

  // Deletes the blob; true if it was there. Callers remove a blob only when no row names it.
  virtual Result<bool> remove(std::string_view sha256_hex) = 0;
};

}  // namespace zocalo::blobs
