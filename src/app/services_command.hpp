#pragma once
#include <string>

#include "app/config.hpp"

namespace zocalo::app {

// `zocalo services import FILE [--replace]`: loads a 311 catalog (JSON with attributes, or
// CSV) in one transaction. Returns the exit code; errors name the line and field.
int import_services(const Config& config, const std::string& file, bool replace);

}  // namespace zocalo::app
