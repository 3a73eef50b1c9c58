#include "requests/routes/open311_routes.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "requests/open311/discovery.hpp"
#include "requests/open311/service_documents.hpp"
#include "requests/routes/open311_call.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {

using open311::Format;

http::Response discovery(const Open311Context& ctx, http::Request& req) {
  // Open311 Service Discovery takes no parameters: only the suffix is read.
  const auto format = open311::parse_format(req.params.at("fmt"));
  if (!format) {
    return errors_answer({{404, "Unknown format: use discovery.xml or .json."}}, Format::kXml);
  }
  open311::DiscoveryEndpoint endpoint;
  endpoint.url = ctx.options.base_url + "/open311/v2/";
  endpoint.changeset = ctx.started_at;
  open311::Discovery document;
  document.changeset = ctx.started_at;
  document.contact = ctx.options.contact;
  document.endpoints.push_back(std::move(endpoint));
  return document_answer(open311::render_discovery(document, *format), *format);
}

http::Response service_list(const Open311Context& ctx, http::Request& req) {
  const Open311Call call = read_call(req, ctx.options.jurisdiction_id);
  if (!call.ok()) return errors_answer(call.errors, call.format);
  // Open311 GeoReport v2, GET Service List: the services a client may report now; inactive
  // ones stay in the catalog for old requests but are not offered.
  auto services = ServiceStore(ctx.db).list();
  if (!services) return failure_answer(req, services.error(), call.format);
  http::Response res = document_answer(
      open311::render_service_list(*services, call.format, call.locale), call.format);
  res.headers.set("Content-Language", call.locale);
  // The language may come from Accept-Language or the `lang` cookie.
  res.headers.set("Vary", "Accept-Language, Cookie");
  return res;
}

http::Response service_definition(const Open311Context& ctx, http::Request& req) {
  const Open311Call call = read_call(req, ctx.options.jurisdiction_id);
  if (!call.ok()) return errors_answer(call.errors, call.format);
  const std::string& code = req.params.at("code");
  if (!is_valid_service_code(code)) {
    return errors_answer({{404, "Unknown service_code."}}, call.format);
  }
  auto found = ServiceStore(ctx.db).find(code);
  if (!found) return failure_answer(req, found.error(), call.format);
  if (!*found || !(*found)->active) {
    return errors_answer({{404, "Unknown service_code '" + code + "'."}}, call.format);
  }
  // Open311 GeoReport v2, GET Service Definition: "only if metadata = true"; the service list
  // says false for this service, so there is no definition to get.
  if (!(*found)->has_metadata()) {
    return errors_answer(
        {{404, "Service '" + code + "' has no service definition (metadata is false)."}},
        call.format);
  }
  return document_answer(open311::render_service_definition(**found, call.format), call.format);
}

http::Response unknown_resource(const Open311Context&, http::Request& req) {
  // Answered in the format the path's suffix names when it names one (requests.json), XML
  // otherwise.
  const std::string& path = req.params.at("path");
  const std::size_t dot = path.rfind('.');
  const bool has_suffix = dot != std::string::npos && path.find('/', dot) == std::string::npos;
  const auto format = open311::parse_format(has_suffix ? path.substr(dot + 1) : "");
  return errors_answer({{404, "No such resource in Open311 GeoReport v2 at this endpoint."}},
                       format ? *format : Format::kXml);
}

}  // namespace zocalo::requests
