#pragma once
// The web report form of the one app (issue 4, item 4, channel "web"): its fields read and
// checked one by one with the model's rules (request_intake.hpp, attribute.hpp), so each
// problem is shown next to its field and the resident's input is kept. Pure: the routes look
// up the service, the areas and who is signed in.
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "requests/model/request_intake.hpp"
#include "requests/model/service.hpp"

namespace zocalo::requests {

using ReportFields = std::vector<std::pair<std::string, std::string>>;

// What the resident typed, kept to fill the form again.
struct ReportFormInput {
  std::string service_code;  // servicio
  std::string area_code;     // alcaldia
  std::string address;       // direccion: street and number, colonia
  std::string lat;           // lat
  std::string lon;           // lon
  std::string description;   // descripcion
  std::string first_name;    // nombre
  std::string email;         // correo
  std::string phone;         // telefono
  bool confirmed = false;    // confirmar=1: filed although duplicates were offered
  // attribute[CODE] / attribute[CODE][] values by code, in submission order.
  std::map<std::string, std::vector<std::string>, std::less<>> attributes;
};

struct FieldError {
  std::string field;  // the form field's name ("descripcion", "attribute[ARBOL_ALTURA]")
  std::string key;    // catalog key of the message (locale/reportes)
};

struct ReportForm {
  ReportFormInput input;
  std::vector<FieldError> errors;
  // When there are no errors: the request to file (channel "web", contact from the form) and
  // the area the resident chose (empty when a point gives it).
  std::optional<NewServiceRequest> request;
  std::string chosen_area;
  bool ok() const { return errors.empty() && request.has_value(); }
};

inline constexpr std::size_t kReportFieldsMax = 150;

// Reads `fields` for `service`. `areas`: code → name of the alcaldías offered. `signed_in`:
// the contact fields are ignored (the routes link the account and its verified contacts).
// Location: lat and lon (both, decimal degrees), or an alcaldía and an address; both may come.
ReportForm read_report_form(const ReportFields& fields, const Service& service,
                            const std::map<std::string, std::string, std::less<>>& areas,
                            bool signed_in, std::int64_t now);

// The raw values only (to show the form again for another service or after a failure).
ReportFormInput read_report_input(const ReportFields& fields);

}  // namespace zocalo::requests
