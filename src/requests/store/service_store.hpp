#pragma once
// SQL for the 311 service catalog (migrations/*/0005_requests_catalog.sql): services and their
// Open311 attributes.
#include <optional>
#include <string>
#include <vector>

#include "platform/core/result.hpp"
#include "platform/db/also_in_transaction.hpp"
#include "platform/db/database.hpp"
#include "requests/model/service.hpp"

namespace zocalo::requests {

enum class ImportMode {
  kMerge,    // services absent from the import stay as they are
  kReplace,  // services absent from the import are deactivated (never deleted)
};

class ServiceStore {
 public:
  explicit ServiceStore(db::Database& db) : db_(db) {}

  // Writes a catalog in one transaction, all or nothing: services are upserted by code and
  // each imported service's attributes replace the old ones. Services are never deleted:
  // requests refer to them. Fails with "requests.catalog.invalid" (nothing written) when the
  // catalog breaks validate_catalog or a service names an agency code that does not exist.
  // `also` runs last in the same transaction.
  Status import(const std::vector<Service>& services, ImportMode mode,
                const db::AlsoInTransaction& also = {});

  // Every active service (and the inactive ones too when asked), with its attributes in
  // order, sorted by Spanish group, order and code (byte order, the same on both databases).
  Result<std::vector<Service>> list(bool include_inactive = false);

  // The service with this code, active or not.
  Result<std::optional<Service>> find(const std::string& code);

 private:
  db::Database& db_;
};

}  // namespace zocalo::requests
