#include "portal/model/feedback.hpp"

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

std::size_t count_code_points(std::string_view utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;  // count every byte that starts a character
  return n;
}

Result<Feedback> make_feedback(std::string_view message, std::string_view page) {
  const std::string_view text = trim(message);
  if (text.empty()) return fail(Error::invalid("portal.feedback.empty", "empty feedback"));
  if (count_code_points(text) > kFeedbackMaxChars) {
    return fail(
        Error::invalid("portal.feedback.too_long",
                       "feedback of " + std::to_string(count_code_points(text)) + " chars"));
  }
  return Feedback{std::string(text), is_site_path(page) ? std::string(page) : std::string()};
}

}  // namespace zocalo::portal
