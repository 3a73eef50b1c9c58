#include "portal/model/feedback.hpp"

#include "platform/core/text.hpp"
#include "platform/core/utf8.hpp"

namespace zocalo::portal {
namespace {

// Only our own paths are remembered: the field is echoed to staff, never followed.
bool is_site_path(std::string_view p) {
  return !p.empty() && p.size() <= kFeedbackPageMaxBytes && p.front() == '/' &&
         (p.size() == 1 || (p[1] != '/' && p[1] != '\\'));
}

}  // namespace

Result<Feedback> make_feedback(std::string_view message, std::string_view page) {
  const std::string_view text = text::trim_space(message);
  if (text.empty()) return fail(Error::invalid("portal.feedback.empty", "empty feedback"));
  if (utf8::count_code_points(text) > kFeedbackMaxChars) {
    return fail(
        Error::invalid("portal.feedback.too_long",
                       "feedback of " + std::to_string(utf8::count_code_points(text)) + " chars"));
  }
  return Feedback{std::string(text), is_site_path(page) ? std::string(page) : std::string()};
}

}  // namespace zocalo::portal
