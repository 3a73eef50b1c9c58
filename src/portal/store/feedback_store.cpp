#include "portal/store/feedback_store.hpp"

namespace zocalo::portal {

long long FeedbackStore::add(soci::session& sql, const Feedback& feedback,
                             const std::string& locale, std::int64_t now) {
  long long id = 0;
  sql << "INSERT INTO feedback (message, page, locale, created_at) "
         "VALUES (:message, :page, :locale, :created_at) RETURNING id",
      soci::use(feedback.message), soci::use(feedback.page), soci::use(locale), soci::use(now),
      soci::into(id);
  return id;
}

Result<std::optional<StoredFeedback>> FeedbackStore::find(long long id) {
  std::optional<StoredFeedback> found;
  const Status read = db_.read([&](soci::session& sql) -> Status {
    StoredFeedback f;
    soci::indicator ind = soci::i_ok;
    sql << "SELECT id, message, page, locale, created_at FROM feedback WHERE id = :id",
        soci::use(id), soci::into(f.id, ind), soci::into(f.feedback.message),
        soci::into(f.feedback.page), soci::into(f.locale), soci::into(f.created_at);
    if (sql.got_data() && ind == soci::i_ok) found = std::move(f);
    return {};
  });
  if (!read) return fail(read.error());
  return found;
}

}  // namespace zocalo::portal
