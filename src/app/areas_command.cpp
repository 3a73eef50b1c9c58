#include "app/areas_command.hpp"

#include <fstream>
#include <iostream>

#include "app/runtime.hpp"
#include "requests/model/area_import.hpp"
#include "requests/store/area_store.hpp"

namespace zocalo::app {

int import_areas(const Config& config, const std::string& file, bool replace) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::cerr << "zocalo areas import: cannot read " << file << "\n";
    return 1;
  }
  // One byte past the limit, so that the parser reports an over-long file as such.
  std::string text(requests::kAreaFileMaxBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  auto areas = requests::parse_area_collection(text);
  if (!areas) {
    std::cerr << "zocalo areas import: " << file << ": nothing changed: " << areas.error().detail
              << "\n";
    return 1;
  }
  auto db = open_and_migrate(config);
  if (!db) return 1;
  auto done = requests::AreaStore(*db).import(*areas, replace);
  if (!done) {
    std::cerr << "zocalo areas import: nothing changed: " << done.error().detail << "\n";
    return 1;
  }
  std::cout << "Imported " << done->written << " areas from " << file;
  if (replace) std::cout << "; removed " << done->removed.size();
  for (const auto& code : done->removed) std::cout << " " << code;
  std::cout << std::endl;
  return 0;
}

}  // namespace zocalo::app
