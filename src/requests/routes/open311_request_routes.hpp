#pragma once
// The Open311 GeoReport v2 calls about service requests, and FixMyStreet's
// servicerequestupdates extension: read the call, check the key, ask the store, render.
#include "platform/http/request.hpp"
#include "platform/http/response.hpp"
#include "requests/routes/open311_routes.hpp"

namespace zocalo::requests {

// POST /open311/v2/requests.{fmt}: api_key (403), service_code (404), the rest (400).
http::Response post_request(const Open311Context& ctx, http::Request& req);
// GET /open311/v2/requests.{fmt}
http::Response request_list(const Open311Context& ctx, http::Request& req);
// GET /open311/v2/requests/{id}.{fmt}: an array of one, or 404.
http::Response request_by_id(const Open311Context& ctx, http::Request& req);
// GET /open311/v2/tokens/{token}.{fmt}
http::Response request_id_from_token(const Open311Context& ctx, http::Request& req);
// GET /open311/v2/servicerequestupdates.{fmt}
http::Response update_list(const Open311Context& ctx, http::Request& req);
// POST /open311/v2/servicerequestupdates.{fmt}
http::Response post_update(const Open311Context& ctx, http::Request& req);

}  // namespace zocalo::requests
