#include "app/services_command.hpp"

#include <fstream>
#include <iostream>
#include <iterator>

#include "app/runtime.hpp"
#include "requests/model/catalog_import.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::app {
namespace {

bool ends_with_ci(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

int import_services(const Config& config, const std::string& file, bool replace) {
  const bool csv = ends_with_ci(file, ".csv");
  if (!csv && !ends_with_ci(file, ".json")) {
    std::cerr << "zocalo services import: " << file << " must end in .json or .csv\n";
    return 2;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "zocalo services import: cannot read " << file << "\n";
    return 1;
  }
  // Read one byte past the limit so that the parser reports an over-long file as such.
  std::string text(requests::kCatalogMaxBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));

  auto services = csv ? requests::parse_catalog_csv(text) : requests::parse_catalog_json(text);
  if (!services) {
    // The operator is the reader here: the detail (line, field) is what they need.
    std::cerr << "zocalo services import: " << file << ": " << services.error().detail << "\n";
    return 1;
  }
  auto db = open_and_migrate(config);
  if (!db) return 1;
  const auto mode = replace ? requests::ImportMode::kReplace : requests::ImportMode::kMerge;
  if (const Status done = requests::ServiceStore(*db).import(*services, mode); !done) {
    std::cerr << "zocalo services import: nothing changed: " << done.error().detail << "\n";
    return 1;
  }
  std::cout << "Imported " << services->size() << " services from " << file
            << (replace ? " (services not in the file are now inactive)" : "") << std::endl;
  return 0;
}

}  // namespace zocalo::app
