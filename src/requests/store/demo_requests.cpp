#include "requests/store/demo_requests.hpp"

#include <array>
#include <random>
#include <string>
#include <vector>

#include "platform/core/time.hpp"
#include "requests/store/api_key_store.hpp"
#include "requests/store/area_locator.hpp"
#include "requests/store/request_store.hpp"
#include "requests/store/routing_store.hpp"
#include "requests/store/service_store.hpp"

namespace zocalo::requests {
namespace {

struct CityRule {
  std::string_view service_code;
  std::string_view agency_code;
};

// See demo_requests.hpp for why each goes where it goes.
constexpr std::array<CityRule, 9> kCityRules{{
    {"fuga-de-agua", "sacmex"},
    {"falta-de-agua", "sacmex"},
    {"drenaje-tapado", "sacmex"},
    {"semaforo-descompuesto", "ssc"},
    {"vehiculo-abandonado", "ssc"},
    {"ruido", "sedema"},
    {"tiradero-clandestino", "sedema"},
    {"animal-en-situacion-de-calle", "sedema"},
    {"arbol-caido", "sgirpc"},
}};

// What residents write, per service (a sample of Mexico City 311 reports, reworded).
struct Sample {
  std::string_view service_code;
  std::string_view description;
  std::string_view address;
  int weight;  // lighting and water dominate, as in the real 311
};

constexpr std::array<Sample, 15> kSamples{{
    {"luminaria-apagada", "Tres luminarias apagadas en toda la cuadra, está muy oscuro de noche.",
     "Calle Morelos esquina Hidalgo", 24},
    {"fuga-de-agua", "Fuga de agua limpia en la banqueta desde hace dos días.",
     "Av. Central frente al mercado", 20},
    {"falta-de-agua", "No ha llegado agua en toda la semana a la colonia.", "", 14},
    {"bache", "Bache grande en el carril derecho, ya se ponchó una llanta.",
     "Eje 3 Sur casi esquina con Calzada", 12},
    {"basura-no-recolectada", "El camión de la basura no ha pasado desde el lunes.", "", 8},
    {"drenaje-tapado", "Coladera tapada, se inunda la calle cuando llueve.", "", 6},
    {"arbol-caido", "Árbol caído sobre la banqueta después de la lluvia.", "", 3},
    {"poda-de-arbol", "Las ramas del árbol tocan los cables de luz.", "", 3},
    {"grafiti", "Grafiti en la barda de la escuela primaria.", "", 2},
    {"banqueta-danada", "Banqueta levantada por raíces, peligroso para personas mayores.", "", 2},
    {"ruido", "Fiesta con música a todo volumen todas las noches.", "", 2},
    {"semaforo-descompuesto", "El semáforo está intermitente desde la mañana.", "", 2},
    {"tiradero-clandestino", "Tiran cascajo y muebles en el camellón.", "", 1},
    {"animal-en-situacion-de-calle", "Perrito herido en la esquina, no se puede mover.", "", 1},
    {"vehiculo-abandonado", "Auto sin placas abandonado hace más de un mes.", "", 1},
}};

// The attribute answers each demo service requires (validate_attribute_values would accept).
std::vector<AttributeAnswer> demo_answers(const Service& service, std::int64_t requested_at) {
  std::vector<AttributeAnswer> out;
  for (const AttributeDefinition& a : service.attributes) {
    if (!a.required || !a.variable) continue;
    AttributeAnswer answer{a.code, a.datatype, {}};
    switch (a.datatype) {
      case AttributeDatatype::kSingleValueList:
      case AttributeDatatype::kMultiValueList:
        if (!a.values.empty()) answer.values.push_back(a.values.front().key);
        break;
      case AttributeDatatype::kNumber:
        answer.values.push_back("1");
        break;
      case AttributeDatatype::kDatetime:
        answer.values.push_back(time::to_iso8601(requested_at - 2 * 86400));
        break;
      default:
        answer.values.push_back("Sin dato");
        break;
    }
    out.push_back(std::move(answer));
  }
  return out;
}

// The statuses a demo request goes through to end where `target` says, as staff would move
// it. Each step is a few working hours after the previous one.
std::vector<RequestStatus> path_to(int target) {
  using S = RequestStatus;
  switch (target) {
    case 0:
      return {};
    case 1:
      return {S::kAcknowledged};
    case 2:
      return {S::kAcknowledged, S::kInProgress};
    case 3:
      return {S::kAcknowledged, S::kActionScheduled};
    case 4:
      return {S::kAcknowledged, S::kInProgress, S::kFixed};
    case 5:
      return {S::kAcknowledged, S::kClosedNotFixed};
    case 6:
      return {S::kAcknowledged, S::kInProgress, S::kFixed, S::kReopened};
    default:
      return {S::kAcknowledged, S::kInProgress, S::kFixed};
  }
}

std::string_view note_for(RequestStatus status) {
  switch (status) {
    case RequestStatus::kAcknowledged:
      return "Recibido por la dependencia; se asignó una cuadrilla.";
    case RequestStatus::kInProgress:
      return "La cuadrilla está trabajando en el lugar.";
    case RequestStatus::kActionScheduled:
      return "Trabajo programado para la próxima semana.";
    case RequestStatus::kFixed:
      return "Atendido. Gracias por reportar.";
    case RequestStatus::kClosedNotFixed:
      return "No procede: el problema está en propiedad privada.";
    case RequestStatus::kReopened:
      return "La vecina reporta que el problema sigue.";
    default:
      return "";
  }
}

}  // namespace

Status seed_demo_requests(db::Database& db, std::int64_t now) {
  AreaLocator locator(db);
  auto index = locator.index();
  if (!index) return fail(index.error());
  const auto& areas = (*index)->areas();
  if (areas.empty())
    return fail(Error::internal("demo requests: no areas (run portal seed first)"));

  std::vector<RoutingRule> rules;
  for (const AreaShape& area : areas) {
    rules.push_back({"*", area.id, "alcaldia-" + area.id});
  }
  for (const CityRule& r : kCityRules) {
    rules.push_back({std::string(r.service_code), "*", std::string(r.agency_code)});
  }
  if (Status s = RoutingStore(db).put(rules); !s) return s;
  if (Status s =
          ApiKeyStore(db).add_fixed(std::string(kDemoApiKeyName), std::string(kDemoApiKey), now);
      !s) {
    return s;
  }

  auto services = ServiceStore(db).list();
  if (!services) return fail(services.error());
  auto find_service = [&](std::string_view code) -> const Service* {
    for (const Service& s : *services) {
      if (s.code == code) return &s;
    }
    return nullptr;
  };
  long long demo_key_id = 0;
  auto keys = ApiKeyStore(db).list();
  if (!keys) return fail(keys.error());
  for (const ApiKeyRecord& k : *keys) {
    if (k.name == kDemoApiKeyName) demo_key_id = k.id;
  }

  const bool postgres = db.is_postgres();
  return db.transaction([&](soci::session& sql) -> Status {
    long long existing = 0;
    sql << "SELECT COUNT(*) FROM service_requests", soci::into(existing);
    if (existing > 0) return {};
    std::mt19937_64 random(20261122);  // the same demo city every time
    int total_weight = 0;
    for (const Sample& s : kSamples) total_weight += s.weight;
    constexpr std::array<std::string_view, 4> kChannels = {"web", "phone", "api:demo-app", "web"};
    for (int i = 0; i < kDemoRequestCount; ++i) {
      int pick = static_cast<int>(random() % static_cast<unsigned>(total_weight));
      const Sample* sample = &kSamples.front();
      for (const Sample& s : kSamples) {
        if (pick < s.weight) {
          sample = &s;
          break;
        }
        pick -= s.weight;
      }
      const Service* service = find_service(sample->service_code);
      if (!service) continue;  // a catalog without this service: seed the rest
      // A point inside alcaldía i mod 16: drawn in its bounding box until the index agrees.
      const AreaShape& area = areas[static_cast<std::size_t>(i) % areas.size()];
      const GeoBox box = area.shape.bounds();
      std::optional<GeoPoint> point;
      std::uniform_real_distribution<double> lon(box.min_lon, box.max_lon);
      std::uniform_real_distribution<double> lat(box.min_lat, box.max_lat);
      for (int attempt = 0; attempt < 200 && !point; ++attempt) {
        const GeoPoint p{lon(random), lat(random)};
        const auto found = (*index)->locate(p);
        if (found && *found == area.id) point = p;
      }
      if (!point) continue;
      NewServiceRequest request;
      request.service_code = service->code;
      request.point = point;
      request.address_string = std::string(sample->address);
      request.description = std::string(sample->description);
      request.channel = std::string(kChannels[static_cast<std::size_t>(i) % kChannels.size()]);
      if (request.channel.starts_with("api:") && demo_key_id != 0) request.api_key_id = demo_key_id;
      request.is_private = i % 25 == 0;
      // Spread over the last 60 days, during the day in Mexico City (UTC−6).
      const std::int64_t day = static_cast<std::int64_t>(random() % 60);
      const std::int64_t second = 15 * 3600 + static_cast<std::int64_t>(random() % (12 * 3600));
      request.requested_at = now - (day + 1) * 86400 + second;
      if (request.requested_at > now) request.requested_at = now - 3600;
      request.attributes = demo_answers(*service, request.requested_at);
      auto created = RequestStore::insert(sql, request, *service, area.id);
      if (!created) return fail(created.error());
      // Older requests have gone further: most of those over two weeks old are closed.
      const int target = day > 14 ? static_cast<int>(random() % 8) : static_cast<int>(random() % 4);
      std::int64_t at = request.requested_at;
      for (const RequestStatus step : path_to(target)) {
        at += 3600 * (2 + static_cast<std::int64_t>(random() % 40));
        if (at >= now) break;
        RequestUpdateInput update;
        update.folio = created->folio;
        update.status = step;
        update.description = std::string(note_for(step));
        update.actor =
            step == RequestStatus::kReopened ? StatusActor::kResident : StatusActor::kStaff;
        update.actor_name = step == RequestStatus::kReopened ? "resident" : "staff:demo";
        update.now = at;
        auto applied = RequestStore::apply_update(sql, postgres, update);
        if (!applied) return fail(applied.error());
      }
    }
    return {};
  });
}

}  // namespace zocalo::requests
