#include "identity/oidc/claims.hpp"

#include <boost/json/parse.hpp>

#include "identity/oidc/scope.hpp"

namespace zocalo::identity::oidc {

boost::json::object claims_for_scopes(const Account& a, const std::vector<std::string>& scopes) {
  boost::json::object c;
  c["sub"] = a.subject;
  if (has_scope(scopes, "profile")) {
    std::string name = a.given_name;
    if (!a.family_name.empty()) name += (name.empty() ? "" : " ") + a.family_name;
    if (!name.empty()) c["name"] = name;
    if (!a.given_name.empty()) c["given_name"] = a.given_name;
    if (!a.family_name.empty()) c["family_name"] = a.family_name;
    if (a.birth_date) c["birthdate"] = *a.birth_date;
    c["updated_at"] = a.updated_at;
  }
  if (has_scope(scopes, "email") && a.email) {
    c["email"] = *a.email;
    c["email_verified"] = a.email_verified_at.has_value();
  }
  if (has_scope(scopes, "phone") && a.phone) {
    c["phone_number"] = *a.phone;
    c["phone_number_verified"] = a.phone_verified_at.has_value();
  }
  if (has_scope(scopes, "address") && a.address) {
    boost::system::error_code ec;
    auto parsed = boost::json::parse(*a.address, ec);
    if (!ec && parsed.is_object()) c["address"] = std::move(parsed.as_object());
  }
  if (has_scope(scopes, "curp") && a.curp) {
    c["curp"] = *a.curp;
    c["curp_verified"] = a.curp_validated_at.has_value();
  }
  return c;
}

std::vector<std::string> supported_claims() {
  return {"sub",
          "iss",
          "aud",
          "exp",
          "iat",
          "auth_time",
          "nonce",
          "acr",
          "amr",
          "sid",
          "name",
          "given_name",
          "family_name",
          "birthdate",
          "updated_at",
          "email",
          "email_verified",
          "phone_number",
          "phone_number_verified",
          "address",
          "curp",
          "curp_verified"};
}

}  // namespace zocalo::identity::oidc
