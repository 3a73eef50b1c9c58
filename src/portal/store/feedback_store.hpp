#pragma once
// SQL for residents' feedback (migrations/*/0003_feedback.sql).
#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>

#include "platform/core/result.hpp"
#include "platform/db/database.hpp"
#include "portal/model/feedback.hpp"

namespace zocalo::portal {

struct StoredFeedback {
  long long id = 0;
  Feedback feedback;
  std::string locale;
  std::int64_t created_at = 0;
};

class FeedbackStore {
 public:
  explicit FeedbackStore(db::Database& db) : db_(db) {}

  // Inserts in the caller's transaction and returns the new id.
  static long long add(soci::session& sql, const Feedback& feedback, const std::string& locale,
                       std::int64_t now);
  Result<std::optional<StoredFeedback>> find(long long id);

 private:
  db::Database& db_;
};

}  // namespace zocalo::portal
