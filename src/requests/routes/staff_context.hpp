#pragma once
// What the staff inbox (/atencion) and the operator console (/operador) share: built once by
// register_routes, read-only while serving (the area locator keeps its own cache).
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "identity/resident.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"
#include "platform/web/error_pages.hpp"
#include "platform/web/renderer.hpp"
#include "requests/store/area_locator.hpp"

namespace zocalo::requests {

struct StaffContext {
  db::Database& db;
  const web::Renderer& renderer;
  const web::ErrorPages& errors;
  std::string base_url;
  std::unique_ptr<AreaLocator> areas;
};

// The staff member behind a request, or the answer to send instead: the sign-in redirect when
// nobody is signed in, a 403 page when the account holds none of the roles the page needs.
using StaffAccess = std::variant<identity::SignedIn, http::Response>;
enum class StaffPage { kInbox, kOperator };
StaffAccess staff_access(const StaffContext& ctx, http::Request& req, StaffPage page);

// GET /atencion, GET /atencion/{folio} and its POST forms.
void register_staff_routes(http::Router& router, std::shared_ptr<const StaffContext> ctx);
// GET /operador, POST /operador/reportes, GET /operador/folio/{folio}.
void register_operator_routes(http::Router& router, std::shared_ptr<const StaffContext> ctx);

}  // namespace zocalo::requests
