#pragma once
// The one place where error kinds become HTTP statuses, and where our own JSON APIs answer
// RFC 9457 problem+json.
#include <string>
#include <string_view>

#include "platform/core/result.hpp"
#include "platform/http/response.hpp"

namespace zocalo::http {

int status_for(ErrorKind kind);
// {"type":"about:blank","title":...,"status":...,"detail":...,"instance":...}
// `title` and `detail` are user-facing text (already localised); never the log detail.
Response problem_json(int status, std::string_view title, std::string_view detail = {},
                      std::string_view instance = {});

}  // namespace zocalo::http
