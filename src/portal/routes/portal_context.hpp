#pragma once
// What the portal's handlers share: built once by register_routes, read-only while serving.
#include "platform/db/database.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/renderer.hpp"
#include "portal/portal.hpp"
#include "portal/routes/directory_views.hpp"

namespace zocalo::portal {

struct PortalContext {
  const web::Renderer& renderer;
  const web::ErrorPages& errors;
  db::Database& db;
  PortalOptions options;
  DirectoryViews directory;
};

}  // namespace zocalo::portal
