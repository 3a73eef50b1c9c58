#include "requests/open311/update_documents.hpp"

#include "requests/open311/wire_value.hpp"

namespace zocalo::requests::open311 {
namespace {

constexpr std::string_view kRoot = "service_request_updates";
constexpr std::string_view kItem = "request_update";

}  // namespace

std::string render_updates(const std::vector<UpdateView>& updates, Format format) {
  WireValue list = WireValue::array(kItem);
  for (const UpdateView& u : updates) {
    list.push(WireValue::object()
                  .add("update_id", WireValue::string(u.update_id))
                  .add("service_request_id", WireValue::string(u.service_request_id))
                  .add("status", WireValue::string(to_fixmystreet(u.status)))
                  .add("updated_datetime", WireValue::datetime(u.updated_datetime))
                  .add("description", WireValue::optional_string(u.description))
                  .add("media_url", WireValue::optional_string(u.media_url)));
  }
  return render(list, kRoot, format);
}

std::string render_update_answer(const std::string& update_id, Format format) {
  WireValue list = WireValue::array(kItem);
  list.push(WireValue::object().add("update_id", WireValue::string(update_id)));
  return render(list, kRoot, format);
}

}  // namespace zocalo::requests::open311
