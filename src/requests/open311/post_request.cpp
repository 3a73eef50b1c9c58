#include "requests/open311/post_request.hpp"

#include "platform/core/text.hpp"

namespace zocalo::requests::open311 {
namespace {

// Reads one optional field with `check`; records the error's sentence as an Open311 error.
template <class Check>
void read_field(const FormFields& fields, std::string_view name, std::string& out,
                std::vector<Open311Error>& errors, Check check) {
  bool twice = false;
  const auto value = single_field(fields, name, &twice);
  if (twice) {
    errors.push_back({400, std::string(name) + ": given more than once."});
    return;
  }
  if (!value) return;
  auto checked = check(*value);
  if (!checked) {
    errors.push_back({400, checked.error().detail + "."});
    return;
  }
  out = std::move(*checked);
}

}  // namespace

std::optional<std::string> single_field(const FormFields& fields, std::string_view name,
                                        bool* twice) {
  std::optional<std::string> found;
  for (const auto& [key, value] : fields) {
    if (key != name || text::trim_space(value).empty()) continue;
    if (found) {
      if (twice && *found != value) *twice = true;
      continue;
    }
    found = value;
  }
  return found;
}

ParsedPostRequest parse_post_request(const FormFields& fields) {
  ParsedPostRequest parsed;
  PostRequestInput& in = parsed.input;
  std::vector<Open311Error>& errors = parsed.errors;

  bool lat_twice = false;
  bool long_twice = false;
  const auto lat = single_field(fields, "lat", &lat_twice);
  const auto lon = single_field(fields, "long", &long_twice);
  if (lat_twice || long_twice) {
    errors.push_back({400, "lat/long: given more than once."});
  } else if (lat.has_value() != lon.has_value()) {
    errors.push_back({400, "lat and long go together: give both or neither."});
  } else if (lat) {
    const auto lat_value = parse_degrees(*lat);
    const auto lon_value = parse_degrees(*lon);
    if (!lat_value || !lon_value) {
      errors.push_back({400, "lat/long: decimal degrees such as 19.4326 and -99.1332."});
    } else if (auto point = GeoPoint::from_lon_lat(*lon_value, *lat_value)) {
      in.point = *point;
    } else {
      errors.push_back({400, "lat/long: lat must be within -90..90 and long within -180..180."});
    }
  }
  read_field(fields, "address_string", in.address_string, errors, [](std::string_view v) {
    return check_free_text("address_string", v, kAddressMaxChars);
  });
  read_field(fields, "address_id", in.address_id, errors,
             [](std::string_view v) { return check_identifier("address_id", v); });
  // Open311 GeoReport v2: "lat & long both need to be sent even though they are sent
  // separately" and a location is required: lat/long, address_string or address_id.
  if (!lat && !lon && in.address_string.empty() && in.address_id.empty() &&
      !single_field(fields, "address_string") && !single_field(fields, "address_id")) {
    errors.push_back({400, "A location is required: lat and long, address_string or address_id."});
  }
  read_field(fields, "description", in.description, errors, [](std::string_view v) {
    return check_free_text("description", v, kDescriptionMaxChars);
  });
  read_field(fields, "media_url", in.media_url, errors, check_media_url);
  read_field(fields, "email", in.contact.email, errors, check_email);
  read_field(fields, "phone", in.contact.phone, errors, check_phone);
  read_field(fields, "first_name", in.contact.first_name, errors,
             [](std::string_view v) { return check_person_name("first_name", v); });
  read_field(fields, "last_name", in.contact.last_name, errors,
             [](std::string_view v) { return check_person_name("last_name", v); });
  read_field(fields, "device_id", in.contact.device_id, errors,
             [](std::string_view v) { return check_identifier("device_id", v); });
  read_field(fields, "account_id", in.contact.account_id, errors,
             [](std::string_view v) { return check_identifier("account_id", v); });

  auto attributes = collect_attribute_fields(fields);
  if (!attributes) {
    errors.push_back({400, "attribute: names must be attribute[CODE] or attribute[CODE][]."});
  } else {
    in.attributes = std::move(*attributes);
  }
  return parsed;
}

ParsedPostUpdate parse_post_update(const FormFields& fields) {
  ParsedPostUpdate parsed;
  PostUpdateInput& in = parsed.input;
  std::vector<Open311Error>& errors = parsed.errors;
  bool twice = false;
  const auto id = single_field(fields, "service_request_id", &twice);
  if (!id || twice) {
    errors.push_back({400, "service_request_id: exactly one is required."});
  } else {
    in.service_request_id = std::string(text::trim_space(*id));
  }
  twice = false;
  const auto status = single_field(fields, "status", &twice);
  if (!status || twice) {
    errors.push_back({400, "status: exactly one is required."});
  } else if (auto parsed_status = from_fixmystreet(text::trim_space(*status))) {
    in.status = *parsed_status;
  } else {
    errors.push_back({400,
                      "status: one of OPEN, IN_PROGRESS, ACTION_SCHEDULED, FIXED, CLOSED, "
                      "DUPLICATE, NOT_COUNCILS_RESPONSIBILITY, NO_FURTHER_ACTION, REOPEN."});
  }
  read_field(fields, "description", in.description, errors, [](std::string_view v) {
    return check_free_text("description", v, kDescriptionMaxChars);
  });
  read_field(fields, "media_url", in.media_url, errors, check_media_url);
  return parsed;
}

}  // namespace zocalo::requests::open311
