#pragma once
// A resident's feedback on the portal: the rules for what we accept.
#include <cstddef>
#include <string>
#include <string_view>

#include "platform/core/result.hpp"

namespace zocalo::portal {

inline constexpr std::size_t kFeedbackMaxChars = 2000;
inline constexpr std::size_t kFeedbackPageMaxBytes = 200;

struct Feedback {
  std::string message;  // trimmed, 1..kFeedbackMaxChars characters (code points)
  std::string page;     // the site path it was sent from, or empty
};

// Validates form input. Errors carry the catalog key to show next to the field:
// portal.feedback.empty, portal.feedback.too_long.
Result<Feedback> make_feedback(std::string_view message, std::string_view page);

}  // namespace zocalo::portal
