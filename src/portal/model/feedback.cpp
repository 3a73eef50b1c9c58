#include "portal/model/feedback.hpp"

#include "platform/core/utf8.hpp"

namespace zocalo::portal {
namespace {

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(kSpace) - first + 1);
}

// Only our own paths are remembered: the field is echoed to staff, never followed.
bool is_site_path(std::string_view p) {
  return !p.empty() && p.size() <= kFeedbackPageMaxBytes && p.front() == '/' &&
         (p.size() == 1 || (p[1] != '/' && p[1] != '\\'));
}

}  // namespace

Result<Feedback> make_feedback(std::string_view message, std::string_view page) {
  const std::string_view text = trim(message);
  if (text.empty()) return fail(Error::invalid("portal.feedback.empty", "empty feedback"));
  if (utf8::count_code_points(text) > kFeedbackMaxChars) {
    return fail(
        Error::invalid("portal.feedback.too_long",
                       "feedback of " + std::to_string(utf8::count_code_points(text)) + " chars"));
  }
  return Feedback{std::string(text), is_site_path(page) ? std::string(page) : std::string()};
}

}  // namespace zocalo::portal
