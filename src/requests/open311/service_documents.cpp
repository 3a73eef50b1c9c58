#include "requests/open311/service_documents.hpp"

#include <algorithm>

#include "requests/model/attribute.hpp"
#include "requests/open311/wire_value.hpp"

namespace zocalo::requests::open311 {

std::string_view to_string(ServiceType type) {
  switch (type) {
    case ServiceType::kRealtime:
      return "realtime";
    case ServiceType::kBatch:
      return "batch";
    case ServiceType::kBlackbox:
      return "blackbox";
  }
  return "realtime";
}

namespace {

std::string join_keywords(const std::vector<std::string>& keywords) {
  std::string out;
  for (const std::string& k : keywords) {
    if (k.empty()) continue;
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

bool is_list(AttributeDatatype datatype) {
  return datatype == AttributeDatatype::kSingleValueList ||
         datatype == AttributeDatatype::kMultiValueList;
}

WireValue attribute_value(const AttributeDefinition& a) {
  WireValue v = WireValue::object();
  v.add("variable", WireValue::boolean(a.variable))
      .add("code", WireValue::string(a.code))
      .add("datatype", WireValue::string(to_string(a.datatype)))
      .add("required", WireValue::boolean(a.required))
      .add("datatype_description", WireValue::optional_string(a.datatype_description))
      .add("order", WireValue::integer(a.order))
      .add("description", WireValue::string(a.description));
  if (is_list(a.datatype)) {
    WireValue values = WireValue::array("value");
    for (const AttributeValue& choice : a.values) {
      values.push(WireValue::object()
                      .add("key", WireValue::string(choice.key))
                      .add("name", WireValue::string(choice.name)));
    }
    v.add("values", std::move(values));
  }
  return v;
}

}  // namespace

std::string render_service_list(const std::vector<Service>& services, Format format,
                                std::string_view locale) {
  WireValue list = WireValue::array("service");
  for (const Service& s : services) {
    // Open311 GeoReport v2: metadata=true when GET Service Definition has attributes to give.
    list.push(WireValue::object()
                  .add("service_code", WireValue::string(s.code))
                  .add("service_name", WireValue::string(s.name.in(locale)))
                  .add("description", WireValue::string(s.description.in(locale)))
                  .add("metadata", WireValue::boolean(s.has_metadata()))
                  .add("type", WireValue::string(to_string(s.type)))
                  .add("keywords", WireValue::string(join_keywords(s.keywords)))
                  .add("group", WireValue::string(s.group.in(locale))));
  }
  return render(list, "services", format);
}

std::string render_service_definition(const Service& service, Format format) {
  std::vector<const AttributeDefinition*> sorted;
  sorted.reserve(service.attributes.size());
  for (const AttributeDefinition& a : service.attributes) sorted.push_back(&a);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto* x, const auto* y) { return x->order < y->order; });
  WireValue attributes = WireValue::array("attribute");
  for (const AttributeDefinition* a : sorted) attributes.push(attribute_value(*a));
  WireValue definition = WireValue::object();
  definition.add("service_code", WireValue::string(service.code))
      .add("attributes", std::move(attributes));
  return render(definition, "service_definition", format);
}

}  // namespace zocalo::requests::open311
