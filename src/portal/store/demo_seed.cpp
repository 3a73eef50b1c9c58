#include "portal/store/demo_seed.hpp"

#include <array>
#include <string_view>

#include "platform/core/assets.hpp"
#include "portal/model/area_features.hpp"
#include "portal/store/agency_store.hpp"
#include "portal/store/area_store.hpp"

namespace zocalo::portal {
namespace {

constexpr std::string_view kAlcaldiasFile = "data/cdmx/alcaldias.geojson";

struct CityAgency {
  std::string_view code;
  std::string_view name_es;
  std::string_view name_en;
};

// Agencies of the Mexico City government (Ley Orgánica del Poder Ejecutivo y de la
// Administración Pública de la Ciudad de México), with the bodies residents deal with most.
constexpr std::array<CityAgency, 20> kCityAgencies{{
    {"jefatura", "Jefatura de Gobierno", "Office of the Head of Government"},
    {"adip", "Agencia Digital de Innovación Pública", "Digital Agency for Public Innovation"},
    {"segob", "Secretaría de Gobierno", "Ministry of Government"},
    {"saf", "Secretaría de Administración y Finanzas", "Ministry of Administration and Finance"},
    {"sobse", "Secretaría de Obras y Servicios", "Ministry of Public Works and Services"},
    {"sacmex", "Sistema de Aguas de la Ciudad de México", "Mexico City Water System"},
    {"sedema", "Secretaría del Medio Ambiente", "Ministry of the Environment"},
    {"ssc", "Secretaría de Seguridad Ciudadana", "Ministry of Citizen Security"},
    {"semovi", "Secretaría de Movilidad", "Ministry of Mobility"},
    {"sedesa", "Secretaría de Salud", "Ministry of Health"},
    {"seduvi", "Secretaría de Desarrollo Urbano y Vivienda",
     "Ministry of Urban Development and Housing"},
    {"sedeco", "Secretaría de Desarrollo Económico", "Ministry of Economic Development"},
    {"sectei", "Secretaría de Educación, Ciencia, Tecnología e Innovación",
     "Ministry of Education, Science, Technology and Innovation"},
    {"sibiso", "Secretaría de Inclusión y Bienestar Social",
     "Ministry of Social Inclusion and Welfare"},
    {"semujeres", "Secretaría de las Mujeres", "Ministry of Women"},
    {"sgirpc", "Secretaría de Gestión Integral de Riesgos y Protección Civil",
     "Ministry of Integrated Risk Management and Civil Protection"},
    {"cejur", "Consejería Jurídica y de Servicios Legales", "Office of Legal Counsel and Services"},
    {"c5", "Centro de Comando, Control, Cómputo, Comunicaciones y Contacto Ciudadano (C5)",
     "Command, Control, Computing, Communications and Citizen Contact Centre (C5)"},
    {"locatel", "Locatel", "Locatel (city information and help line)"},
    {"metro", "Sistema de Transporte Colectivo Metro", "Mexico City Metro"},
}};

Agency alcaldia_agency(const Area& area) {
  Agency agency;
  agency.code = "alcaldia-" + area.code;
  agency.name_es = "Alcaldía " + area.name;
  agency.name_en = area.name + " Borough";
  agency.kind = "alcaldia";
  agency.area_code = area.code;
  return agency;
}

}  // namespace

Status seed_demo(db::Database& db) {
  const auto file = assets::find(kAlcaldiasFile);
  if (!file) return fail(Error::internal(std::string(kAlcaldiasFile) + " is not embedded"));
  auto features = parse_area_features(*file, "alcaldia");
  if (!features) {
    return fail(Error::internal(std::string(kAlcaldiasFile) + ": " + features.error().detail));
  }
  if (features->size() != kCdmxAlcaldias) {
    return fail(Error::internal(std::string(kAlcaldiasFile) + ": expected 16 alcaldías, found " +
                                std::to_string(features->size())));
  }
  return db.transaction([&](soci::session& sql) -> Status {
    for (const AreaFeature& feature : *features) {
      AreaStore::upsert(sql, feature.area, feature.geometry);
      AgencyStore::upsert(sql, alcaldia_agency(feature.area));
    }
    for (const CityAgency& city : kCityAgencies) {
      AgencyStore::upsert(sql, Agency{.code = std::string(city.code),
                                      .name_es = std::string(city.name_es),
                                      .name_en = std::string(city.name_en),
                                      .kind = "city"});
    }
    return {};
  });
}

}  // namespace zocalo::portal
