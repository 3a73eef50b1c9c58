#pragma once
// Open311 GeoReport v2: GET Service List (/services.{fmt}) and GET Service Definition
// (/services/{service_code}.{fmt}, only for services with metadata=true).
#include <string>
#include <string_view>
#include <vector>

#include "requests/model/service.hpp"
#include "requests/open311/format.hpp"

namespace zocalo::requests::open311 {

// "realtime", "batch", "blackbox".
std::string_view to_string(ServiceType type);

// <services><service><service_code/><service_name/><description/><metadata/><type/><keywords/>
// <group/></service>…</services>, or a JSON array of the same objects (metadata a JSON boolean,
// as in the spec's JSON example). Name, description and group in `locale` (LocalizedText::in);
// keywords joined with ", " as in the spec's example ("lorem, ipsum, dolor"). Every service
// given is listed, in the order given: choosing the active ones and sorting is the caller's.
std::string render_service_list(const std::vector<Service>& services, Format format,
                                std::string_view locale = kDefaultLocale);

// <service_definition><service_code/><attributes><attribute><variable/><code/><datatype/>
// <required/><datatype_description/><order/><description/><values><value><key/><name/></value>
// </values></attribute>…</attributes></service_definition>, or the same as a JSON object.
// Attributes sorted by `order`; `values` only for singlevaluelist and multivaluelist (Open311
// GeoReport v2: "only used for" list datatypes); an empty datatype_description is null.
std::string render_service_definition(const Service& service, Format format);

}  // namespace zocalo::requests::open311
