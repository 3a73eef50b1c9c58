#pragma once
// What each scope lets a client know about the resident (OpenID Connect Core §5.4, plus our
// "curp" scope), as the claims of /oidc/userinfo. Pure.
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "identity/model/account.hpp"

namespace zocalo::identity::oidc {

// "sub" always; profile: name, given_name, family_name, birthdate, updated_at; email: email,
// email_verified; phone: phone_number, phone_number_verified; address: address (the stored
// §5.1.1 object); curp: curp, curp_verified. Claims the account has no value for are left out
// (§5.3.2). Never more than the scopes allow.
boost::json::object claims_for_scopes(const Account& account,
                                      const std::vector<std::string>& scopes);

// The claim names discovery lists in claims_supported.
std::vector<std::string> supported_claims();

}  // namespace zocalo::identity::oidc
