#include "requests/open311/request_documents.hpp"

#include "requests/open311/wire_value.hpp"

namespace zocalo::requests::open311 {

namespace {

constexpr std::string_view kRoot = "service_requests";
constexpr std::string_view kItem = "request";

WireValue extended_value(const ExtendedAttributes& x) {
  WireValue notes = WireValue::array("note");
  for (const RequestNote& n : x.notes) {
    notes.push(WireValue::object()
                   .add("datetime", WireValue::datetime(n.datetime))
                   .add("summary", WireValue::string(n.summary))
                   .add("description", WireValue::optional_string(n.description)));
  }
  WireValue photos = WireValue::array("photo");
  for (const RequestPhoto& p : x.photos) {
    photos.push(WireValue::object()
                    .add("media_url", WireValue::string(p.media_url))
                    .add("title", WireValue::optional_string(p.title))
                    .add("created_datetime", WireValue::datetime(p.created_datetime)));
  }
  WireValue v = WireValue::object();
  v.add("channel", WireValue::optional_string(x.channel))
      .add("duplicate_of", WireValue::optional_string(x.duplicate_of))
      .add("parent_service_request_id", WireValue::optional_string(x.parent_service_request_id))
      .add("notes", std::move(notes))
      .add("photos", std::move(photos));
  return v;
}

WireValue request_value(const RequestView& r, std::string_view locale) {
  auto text = [](const std::string& s) { return WireValue::optional_string(s); };
  WireValue v = WireValue::object();
  v.add("service_request_id", WireValue::string(r.service_request_id))
      .add("status", WireValue::string(to_string(r.status)))
      .add("status_notes", text(r.status_notes))
      .add("service_name", text(r.service_name.in(locale)))
      .add("service_code", WireValue::string(r.service_code))
      .add("description", text(r.description))
      .add("agency_responsible", text(r.agency_responsible))
      .add("service_notice", text(r.service_notice))
      .add("requested_datetime", WireValue::datetime(r.requested_datetime))
      .add("updated_datetime", WireValue::datetime(r.updated_datetime))
      .add("expected_datetime", WireValue::datetime(r.expected_datetime))
      .add("address", text(r.address))
      .add("address_id", text(r.address_id))
      .add("zipcode", text(r.zipcode))
      .add("lat", r.location ? WireValue::coordinate(r.location->lat) : WireValue::null())
      .add("long", r.location ? WireValue::coordinate(r.location->lon) : WireValue::null())
      .add("media_url", text(r.media_url));
  if (r.extended_attributes) v.add("extended_attributes", extended_value(*r.extended_attributes));
  return v;
}

}  // namespace

std::string render_requests(const std::vector<RequestView>& requests, Format format,
                            std::string_view locale) {
  WireValue list = WireValue::array(kItem);
  for (const RequestView& r : requests) list.push(request_value(r, locale));
  return render(list, kRoot, format);
}

std::string render_post_answer(const std::vector<PostAnswer>& answers, Format format) {
  WireValue list = WireValue::array(kItem);
  for (const PostAnswer& a : answers) {
    WireValue v = WireValue::object();
    // Open311 GeoReport v2: "service_request_id" for realtime services, else "token".
    if (!a.service_request_id.empty() || a.token.empty()) {
      v.add("service_request_id", WireValue::string(a.service_request_id));
    } else {
      v.add("token", WireValue::string(a.token));
    }
    v.add("service_notice", WireValue::optional_string(a.service_notice))
        .add("account_id", WireValue::optional_string(a.account_id));
    list.push(std::move(v));
  }
  return render(list, kRoot, format);
}

std::string render_token_answer(const std::vector<TokenAnswer>& answers, Format format) {
  WireValue list = WireValue::array(kItem);
  for (const TokenAnswer& a : answers) {
    list.push(WireValue::object()
                  .add("service_request_id", WireValue::optional_string(a.service_request_id))
                  .add("token", WireValue::string(a.token)));
  }
  return render(list, kRoot, format);
}

}  // namespace zocalo::requests::open311
