#include "requests/routes/resident_form.hpp"

#include "platform/core/text.hpp"

namespace zocalo::requests {
namespace {

bool blank(std::string_view s) {
  return text::trim_space(s).empty();
}

// <input type="datetime-local"> sends "2026-11-23T10:30" without a zone; attribute datetimes
// need one (attribute.hpp). The resident means Mexico City time: UTC−6 all year since 2022.
std::string with_city_zone(const std::string& value) {
  if (value.size() == 16 && value[10] == 'T' && value[13] == ':') return value + ":00-06:00";
  if (value.size() == 19 && value[10] == 'T' && value[16] == ':') return value + "-06:00";
  return value;
}

}  // namespace

ReportFormInput read_report_input(const ReportFields& fields) {
  ReportFormInput in;
  for (const auto& [name, value] : fields) {
    if (name == "servicio") {
      in.service_code = value;
    } else if (name == "alcaldia") {
      in.area_code = value;
    } else if (name == "direccion") {
      in.address = value;
    } else if (name == "lat") {
      in.lat = value;
    } else if (name == "lon") {
      in.lon = value;
    } else if (name == "descripcion") {
      in.description = value;
    } else if (name == "nombre") {
      in.first_name = value;
    } else if (name == "correo") {
      in.email = value;
    } else if (name == "telefono") {
      in.phone = value;
    } else if (name == "confirmar") {
      in.confirmed = value == "1";
    } else if (name.starts_with("attribute[")) {
      std::string code = name.substr(10);
      if (code.ends_with("[]")) code.resize(code.size() - 2);
      if (code.ends_with(']')) code.pop_back();
      in.attributes[code].push_back(value);
    }
  }
  return in;
}

ReportForm read_report_form(const ReportFields& fields, const Service& service,
                            const std::map<std::string, std::string, std::less<>>& areas,
                            bool signed_in, std::int64_t now) {
  ReportForm form;
  form.input = read_report_input(fields);
  const ReportFormInput& in = form.input;
  auto& errors = form.errors;
  NewServiceRequest request;
  request.service_code = service.code;
  request.channel = "web";
  request.requested_at = now;
  if (fields.size() > kReportFieldsMax) errors.push_back({"servicio", "reportes.error.too_many"});

  // Location: a point, or an alcaldía with an address.
  const bool has_lat = !blank(in.lat);
  const bool has_lon = !blank(in.lon);
  if (has_lat || has_lon) {
    const auto lat = parse_degrees(text::trim_space(in.lat));
    const auto lon = parse_degrees(text::trim_space(in.lon));
    if (!lat || !lon) {
      errors.push_back({"lat", "reportes.error.coordinates"});
    } else if (auto point = GeoPoint::from_lon_lat(*lon, *lat); !point) {
      errors.push_back({"lat", "reportes.error.coordinates"});
    } else {
      request.point = *point;
    }
  }
  if (!blank(in.area_code)) {
    const auto area = areas.find(text::trim_space(in.area_code));
    if (area == areas.end()) {
      errors.push_back({"alcaldia", "reportes.error.area"});
    } else {
      form.chosen_area = area->first;
    }
  }
  std::string address;
  if (!blank(in.address)) {
    auto checked = check_free_text("address_string", in.address, kAddressMaxChars - 60);
    if (!checked) {
      errors.push_back({"direccion", "reportes.error.address"});
    } else {
      address = *checked;
    }
  }
  if (!has_lat && !has_lon) {
    if (form.chosen_area.empty() && blank(in.area_code)) {
      errors.push_back({"alcaldia", "reportes.error.location"});
    }
    if (blank(in.address)) errors.push_back({"direccion", "reportes.error.location"});
  }
  if (!address.empty() && !form.chosen_area.empty()) {
    address += ", " + areas.find(form.chosen_area)->second;
  }
  request.address_string = address;

  // The description is what the agency reads first: required on the web form.
  if (blank(in.description)) {
    errors.push_back({"descripcion", "reportes.error.description_required"});
  } else if (auto d = check_free_text("description", in.description, kDescriptionMaxChars); !d) {
    errors.push_back({"descripcion", "reportes.error.description"});
  } else {
    request.description = *d;
  }

  // Attributes, one definition at a time so that each error lands on its field.
  for (const auto& [code, values] : in.attributes) {
    bool known = false;
    for (const AttributeDefinition& d : service.attributes) known = known || d.code == code;
    if (!known) errors.push_back({"servicio", "reportes.error.attribute_unknown"});
  }
  for (const AttributeDefinition& definition : service.attributes) {
    std::vector<SubmittedAttribute> submitted;
    if (auto it = in.attributes.find(definition.code); it != in.attributes.end()) {
      SubmittedAttribute s{definition.code, {}};
      for (const std::string& v : it->second) {
        s.values.push_back(definition.datatype == AttributeDatatype::kDatetime ? with_city_zone(v)
                                                                               : v);
      }
      submitted.push_back(std::move(s));
    }
    auto answer = validate_attribute_values({definition}, submitted);
    if (!answer) {
      errors.push_back({"attribute[" + definition.code + "]", "reportes.error.attribute"});
    } else {
      for (AttributeAnswer& a : *answer) request.attributes.push_back(std::move(a));
    }
  }

  // Contact of a resident who is not signed in: all optional.
  if (!signed_in) {
    if (!blank(in.first_name)) {
      auto name = check_person_name("first_name", in.first_name);
      if (!name) {
        errors.push_back({"nombre", "reportes.error.name"});
      } else {
        request.contact.first_name = *name;
      }
    }
    if (!blank(in.email)) {
      auto email = check_email(in.email);
      if (!email) {
        errors.push_back({"correo", "reportes.error.email"});
      } else {
        request.contact.email = *email;
      }
    }
    if (!blank(in.phone)) {
      auto phone = check_phone(in.phone);
      if (!phone) {
        errors.push_back({"telefono", "reportes.error.phone"});
      } else {
        request.contact.phone = *phone;
      }
    }
  }
  if (errors.empty()) form.request = std::move(request);
  return form;
}

}  // namespace zocalo::requests
