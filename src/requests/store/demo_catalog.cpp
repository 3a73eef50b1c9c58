#include "requests/store/demo_catalog.hpp"

#include <string>

#include "platform/core/assets.hpp"
#include "requests/model/catalog_import.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {

Status seed_demo_catalog(db::Database& db) {
  const auto file = assets::find(kDemoCatalogFile);
  if (!file) return fail(Error::internal(std::string(kDemoCatalogFile) + " is not embedded"));
  auto services = parse_catalog_json(*file);
  // The file ships with the binary: if it does not parse, that is a bug, not bad input.
  if (!services) {
    return fail(Error::internal(std::string(kDemoCatalogFile) + ": " + services.error().detail));
  }
  return ServiceStore(db).import(*services, ImportMode::kMerge);
}

}  // namespace zocalo::requests
