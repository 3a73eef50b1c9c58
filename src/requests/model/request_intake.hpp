#pragma once
// What a new service request carries besides its service and attributes, checked field by
// field before anything is stored: the reporter's contact details (personal data), the
// location, the description and a photo link. Open311 GeoReport v2, POST Service Request,
// names the fields; the bounds are ours (bounded sizes everywhere).
//
// Policy for hostile text: fields with a syntax (e-mail, phone, ids, URL, coordinates) refuse
// anything outside it, so SQL or markup there is a 400. Free text a person writes (description,
// names, address) may contain any printable character, "<" included: it is stored as written
// and escaped on output (XML, HTML), never refused for its meaning. Control characters and
// invalid UTF-8 are refused everywhere.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/core/result.hpp"
#include "requests/model/attribute.hpp"
#include "requests/model/geo_point.hpp"

namespace zocalo::requests {

inline constexpr std::size_t kDescriptionMaxChars = 4'000;  // Open311 GeoReport v2
inline constexpr std::size_t kNameMaxChars = 100;
inline constexpr std::size_t kAddressMaxChars = 500;
inline constexpr std::size_t kEmailMaxBytes = 254;  // RFC 5321 path limit
inline constexpr std::size_t kIdentifierMaxBytes = 64;
inline constexpr std::size_t kMediaUrlMaxBytes = 2'000;
inline constexpr std::size_t kPhoneMinDigits = 8;
inline constexpr std::size_t kPhoneMaxDigits = 15;  // ITU-T E.164

// PERSONAL DATA: never in GET answers, open data or logs.
struct ContactDetails {
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string phone;
  std::string device_id;
  std::string account_id;
};

// Each returns the value normalised (trimmed; e-mail domain lower-cased) or an error whose
// detail is a sentence a developer can read, naming the field and never quoting the input:
// Error::invalid("requests.intake.invalid", "email: ...").
Result<std::string> check_email(std::string_view value);
// Digits with an optional leading "+" and spaces, dashes, dots or parentheses between them;
// 8 to 15 digits. Stored as typed (trimmed).
Result<std::string> check_phone(std::string_view value);
// first_name, last_name: 1..100 printable characters, no markup characters (< > " ; = { }).
Result<std::string> check_person_name(std::string_view field, std::string_view value);
// device_id, account_id, address_id: 1..64 of [A-Za-z0-9_.:@-].
Result<std::string> check_identifier(std::string_view field, std::string_view value);
// description (≤ 4,000 characters) and address_string (≤ 500): printable text; line breaks
// (CR LF, CR) become LF; tab and LF are the only control characters kept.
Result<std::string> check_free_text(std::string_view field, std::string_view value,
                                    std::size_t max_chars);
// An absolute http(s) URL of printable ASCII without spaces, quotes or angle brackets.
Result<std::string> check_media_url(std::string_view value);
// A WGS84 decimal degree as Open311 sends it: an optional sign, digits, an optional fraction;
// no exponent, NaN, infinity or hex; at most 32 characters.
std::optional<double> parse_degrees(std::string_view text);

// A new service request, every field already checked.
struct NewServiceRequest {
  std::string service_code;
  std::optional<GeoPoint> point;  // nullopt: given by address only
  std::string address_string;
  std::string address_id;
  std::string description;
  std::string media_url;
  ContactDetails contact;
  std::vector<AttributeAnswer> attributes;
  std::string channel;  // "web", "phone", "api:<key name>"
  std::optional<long long> api_key_id;
  bool is_private = false;
  std::int64_t requested_at = 0;
};

// The answers as stored in service_requests.attributes_json: [{"code":…,"values":[…]},…].
std::string attributes_to_json(const std::vector<AttributeAnswer>& answers);

}  // namespace zocalo::requests
