#include "requests/open311/discovery.hpp"

#include "requests/open311/wire_value.hpp"

namespace zocalo::requests::open311 {

std::string render_discovery(const Discovery& discovery, Format format) {
  WireValue endpoints = WireValue::array("endpoint");
  for (const DiscoveryEndpoint& e : discovery.endpoints) {
    WireValue formats = WireValue::array("format");
    for (Format f : e.formats) formats.push(WireValue::string(media_type(f)));
    WireValue endpoint = WireValue::object();
    endpoint.add("specification", WireValue::string(e.specification))
        .add("url", WireValue::string(e.url))
        .add("changeset", WireValue::datetime(e.changeset))
        .add("type", WireValue::string(e.type))
        .add("formats", std::move(formats));
    endpoints.push(std::move(endpoint));
  }
  WireValue document = WireValue::object();
  document.add("changeset", WireValue::datetime(discovery.changeset))
      .add("contact", WireValue::string(discovery.contact))
      .add("key_service", WireValue::string(discovery.key_service))
      .add("endpoints", std::move(endpoints));
  return render(document, "discovery", format);
}

}  // namespace zocalo::requests::open311
