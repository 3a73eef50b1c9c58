#include "requests/open311/open311_error.hpp"

#include "requests/open311/wire_value.hpp"

namespace zocalo::requests::open311 {

std::string render_errors(const std::vector<Open311Error>& errors, Format format) {
  WireValue list = WireValue::array("error");
  for (const Open311Error& e : errors) {
    list.push(WireValue::object()
                  .add("code", WireValue::integer(e.code))
                  .add("description", WireValue::string(e.description)));
  }
  return render(list, "errors", format);
}

int http_status(const std::vector<Open311Error>& errors) {
  return errors.empty() ? 400 : errors.front().code;
}

}  // namespace zocalo::requests::open311
