#include "requests/routes/resident_form.hpp"

#include <gtest/gtest.h>

namespace zocalo::requests {
namespace {

const std::map<std::string, std::string, std::less<>> kAreas = {{"09007", "Iztapalapa"},
                                                                {"09015", "Cuauhtémoc"}};

Service pothole() {
  Service s;
  s.code = "bache";
  AttributeDefinition where;
  where.code = "ubicacion";
  where.datatype = AttributeDatatype::kSingleValueList;
  where.required = true;
  where.values = {{"arroyo", "Arroyo"}, {"ciclovia", "Ciclovía"}};
  AttributeDefinition since;
  since.code = "desde";
  since.datatype = AttributeDatatype::kDatetime;
  since.order = 1;
  s.attributes = {where, since};
  return s;
}

bool has_error(const ReportForm& f, const std::string& field) {
  for (const FieldError& e : f.errors) {
    if (e.field == field) return true;
  }
  return false;
}

TEST(ResidentFormTest, AValidFormBecomesAWebRequest) {
  const ReportForm f = read_report_form({{"servicio", "bache"},
                                         {"alcaldia", "09007"},
                                         {"direccion", " Ermita 5 "},
                                         {"descripcion", "Hoyo\r\ngrande"},
                                         {"attribute[ubicacion]", "arroyo"},
                                         {"attribute[desde]", "2026-11-20T08:30"},
                                         {"correo", "Ana@Example.MX"},
                                         {"telefono", "55 1234 5678"}},
                                        pothole(), kAreas, false, 1'790'000'000);
  ASSERT_TRUE(f.ok()) << (f.errors.empty() ? "" : f.errors[0].field);
  const NewServiceRequest& r = *f.request;
  EXPECT_EQ(r.channel, "web");
  EXPECT_FALSE(r.point);
  EXPECT_EQ(f.chosen_area, "09007");
  EXPECT_EQ(r.address_string, "Ermita 5, Iztapalapa");
  EXPECT_EQ(r.description, "Hoyo\ngrande");
  EXPECT_EQ(r.contact.email, "Ana@example.mx");
  ASSERT_EQ(r.attributes.size(), 2u);
  // datetime-local means Mexico City time.
  EXPECT_EQ(r.attributes[1].values[0], "2026-11-20T14:30:00Z");
}

TEST(ResidentFormTest, EachProblemLandsOnItsField) {
  const ReportForm f = read_report_form({{"servicio", "bache"},
                                         {"lat", "19.4"},
                                         {"lon", "east"},
                                         {"descripcion", std::string(4'001, 'x')},
                                         {"attribute[ubicacion]", "luna"},
                                         {"attribute[otro]", "x"},
                                         {"correo", "no-es-correo"},
                                         {"telefono", "12"},
                                         {"nombre", "<b>"}},
                                        pothole(), kAreas, false, 0);
  EXPECT_FALSE(f.ok());
  for (const char* field :
       {"lat", "descripcion", "attribute[ubicacion]", "servicio", "correo", "telefono", "nombre"}) {
    EXPECT_TRUE(has_error(f, field)) << field;
  }
  EXPECT_EQ(f.input.description.size(), 4'001u);  // kept to show again
}

TEST(ResidentFormTest, LocationIsAPointOrAnAlcaldiaWithAnAddress) {
  EXPECT_TRUE(has_error(read_report_form({{"descripcion", "x"}, {"attribute[ubicacion]", "arroyo"}},
                                         pothole(), kAreas, false, 0),
                        "alcaldia"));
  EXPECT_TRUE(has_error(read_report_form({{"descripcion", "x"},
                                          {"alcaldia", "00000"},
                                          {"direccion", "a"},
                                          {"attribute[ubicacion]", "arroyo"}},
                                         pothole(), kAreas, false, 0),
                        "alcaldia"));
  const ReportForm point = read_report_form({{"lat", "19.4326"},
                                             {"lon", "-99.1332"},
                                             {"descripcion", "x"},
                                             {"attribute[ubicacion]", "arroyo"}},
                                            pothole(), kAreas, false, 0);
  ASSERT_TRUE(point.ok());
  EXPECT_DOUBLE_EQ(point.request->point->lat, 19.4326);
  for (const char* lat : {"91", "1e1", "0x10", "inf", ""}) {
    EXPECT_FALSE(read_report_form({{"lat", lat},
                                   {"lon", "-99.1"},
                                   {"descripcion", "x"},
                                   {"attribute[ubicacion]", "arroyo"}},
                                  pothole(), kAreas, false, 0)
                     .ok())
        << lat;
  }
}

TEST(ResidentFormTest, ASignedInResidentsContactFieldsAreIgnored) {
  const ReportForm f = read_report_form({{"alcaldia", "09015"},
                                         {"direccion", "Madero 1"},
                                         {"descripcion", "x"},
                                         {"attribute[ubicacion]", "arroyo"},
                                         {"correo", "no-es-correo"}},
                                        pothole(), kAreas, true, 0);
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f.request->contact.email.empty());
}

}  // namespace
}  // namespace zocalo::requests
