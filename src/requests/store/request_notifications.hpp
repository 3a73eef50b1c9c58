#pragma once
// Telling the resident (issue 4, item 7): every request event that a resident should hear of
// queues its messages — e-mail, SMS and the in-app inbox, through notify::Notifier's outbox —
// in the same transaction as the change, so a status change is never saved without its
// message nor a message sent for a change that rolled back.
#include <soci/soci.h>

#include <string>
#include <string_view>

#include "platform/core/result.hpp"
#include "requests/model/status.hpp"

namespace zocalo::requests {

enum class RequestEvent {
  kReceived,       // intake: the folio and how to follow it
  kAssigned,       // an agency (or a person in it) took it
  kStatusChanged,  // acknowledged, in progress, action scheduled
  kClosed,         // fixed, closed-not-fixed, duplicate: with confirm/reopen link and window
  kReopened,       // the resident reopened it
  kMerged,         // it was merged into another request the resident now follows
};

struct RequestNotice {
  long long request_id = 0;
  RequestEvent event = RequestEvent::kReceived;
  std::string public_note;  // the agency's public status note, if any (never internal notes)
};

// What a notice says about its request: read back by queue(), or given by the intake that
// has just written it (queue_received).
struct RequestFacts {
  std::string folio;  // compact, as stored
  std::string token;
  std::string email, phone, account_id;  // the reporter's contact as given, may be empty
  std::string locale;                    // "es-MX" or "en": the report's language
  std::string service_es, service_en;
  RequestStatus status = RequestStatus::kOpen;
};

class RequestNotifications {
 public:
  // Queues the messages for `notice` to the request's reporter (the contact given at intake,
  // or the signed-in resident's verified contacts) and to its followers, each in their
  // language, each with the folio and a link under `base_url`. Nothing is queued for a
  // reporter who left no contact. Followers get the in-app notice and, at their verified
  // e-mail and phone (identity), e-mail and SMS in the language they followed in, with a
  // single-use link to /reportes/dejar-de-seguir?codigo=<stop_token> (migration 0016).
  // Call inside the transaction that made the change.
  static Status queue(soci::session& sql, const RequestNotice& notice, std::string_view base_url);
  // queue() for the intake of a request whose facts the caller has just written: no read back.
  static Status queue_received(soci::session& sql, long long request_id, const RequestFacts& facts,
                               std::string_view base_url);

  // The staff member a request was just handed to: an in-app notice and an e-mail to their
  // verified address, with the folio and the link to /atencion/<folio>. Call inside the
  // transaction that assigned it.
  static Status queue_assignee(soci::session& sql, long long request_id, long long assignee,
                               std::string_view base_url);

 private:
  static Status queue_with(soci::session& sql, const RequestNotice& notice,
                           const RequestFacts& facts, std::string_view base_url);
};

}  // namespace zocalo::requests
