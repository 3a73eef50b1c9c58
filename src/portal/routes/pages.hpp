#pragma once
// The portal's handlers: read the input, call the model or a store, render. One file each.
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"
#include "portal/routes/portal_context.hpp"

namespace zocalo::portal {

http::Response home_page(const PortalContext& ctx, http::Request& req);
http::Response search_page(const PortalContext& ctx, http::Request& req);
http::Response services_page(const PortalContext& ctx, http::Request& req);
http::Response alcaldias_page(const PortalContext& ctx, http::Request& req);
http::Response agencies_page(const PortalContext& ctx, http::Request& req);
http::Response language_switch(const PortalContext& ctx, http::Request& req);
http::Response feedback_form(const PortalContext& ctx, http::Request& req);
http::Response feedback_submit(const PortalContext& ctx, http::Request& req);
http::Response feedback_thanks(const PortalContext& ctx, http::Request& req);

}  // namespace zocalo::portal
