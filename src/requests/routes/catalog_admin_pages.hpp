#pragma once
// The 311 administration pages (issue 4, items 1 and 2): the service catalog
// (/admin/servicios), the areas (/admin/areas) and the routing rules (/admin/enrutamiento).
// Admins change them; agency staff may look; anybody else gets 403 (signed out: sign in).
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "platform/db/also_in_transaction.hpp"
#include "requests/routes/staff_context.hpp"

namespace zocalo::requests {

struct AdminViewer {
  identity::SignedIn who;
  bool can_edit = false;  // admins only
};

// GET pages: admins and agency staff; POSTs: admins (`for_change`).
using AdminAccess = std::variant<AdminViewer, http::Response>;
AdminAccess admin_access(const StaffContext& ctx, http::Request& req, bool for_change);

// What every admin POST starts with: an admin and the request's form (alive as long as it).
struct AdminPost {
  AdminViewer viewer;
  const http::FormData* form = nullptr;
};
std::variant<AdminPost, http::Response> admin_post(const StaffContext& ctx, http::Request& req);

// The audit-log row of an admin's change (identity::record_staff_action), to run in the
// change's own transaction: `action` "311.<what>.<done>", `detail` what changed.
db::AlsoInTransaction audit_change(const http::Request& req, const AdminViewer& viewer,
                                   std::string action, const boost::json::object& detail);

// Sets an optional text only when there is some (mustache shows a section for any string).
void set_admin_text(web::View& view, const std::string& key, const std::string& value);

// The message a change leaves for the page it redirects to (POST → 303 → GET), shown once.
http::Response redirect_with_flash(http::Request& req, const std::string& message,
                                   const std::string& target);
std::optional<std::string> take_admin_flash(http::Request& req);

// GET/POST /admin/servicios, POST /admin/servicios/importar, POST /admin/servicios/estado.
void register_catalog_admin_routes(http::Router& router, std::shared_ptr<const StaffContext> ctx);
// GET/POST /admin/areas, GET/POST /admin/enrutamiento, POST /admin/enrutamiento/quitar
// (routing_admin_pages.cpp).
void register_routing_admin_routes(http::Router& router, std::shared_ptr<const StaffContext> ctx);

}  // namespace zocalo::requests
