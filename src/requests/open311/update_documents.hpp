#pragma once
// FixMyStreet's servicerequestupdates extension (Open311 GeoReport v2 Extensions wiki page,
// "GET/POST Service Request Updates"): <service_request_updates><request_update>… in XML, an
// array in JSON, as every other GeoReport list.
#include <cstdint>
#include <string>
#include <vector>

#include "requests/model/status.hpp"
#include "requests/open311/format.hpp"

namespace zocalo::requests::open311 {

struct UpdateView {
  std::string update_id;
  std::string service_request_id;
  RequestStatus status = RequestStatus::kOpen;  // written as the FixMyStreet name
  std::int64_t updated_datetime = 0;
  std::string description;
  std::string media_url;
};

// GET: update_id, service_request_id, status, updated_datetime, description, media_url.
std::string render_updates(const std::vector<UpdateView>& updates, Format format);
// POST answer: [{"update_id": "…"}].
std::string render_update_answer(const std::string& update_id, Format format);

}  // namespace zocalo::requests::open311
