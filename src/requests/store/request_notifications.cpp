#include "requests/store/request_notifications.hpp"

#include <string>
#include <vector>

#include "identity/resident.hpp"
#include "platform/core/crypto.hpp"
#include "platform/core/log.hpp"
#include "platform/notify/notifier.hpp"
#include "requests/model/folio.hpp"
#include "requests/model/status.hpp"

namespace zocalo::requests {
namespace {

// The messages live here, in both languages, because queue() is called from inside store
// transactions that have no renderer (its declaration is fixed); they are short and few.
struct Texts {
  const char* subject_received;
  const char* subject_assigned;
  const char* subject_status;
  const char* subject_closed;
  const char* subject_reopened;
  const char* subject_merged;
  const char* body_received;
  const char* body_assigned;
  const char* body_status;
  const char* body_closed;
  const char* body_reopened;
  const char* body_merged;
  const char* follow_link;
  const char* private_link;
  const char* note;
  const char* status_word;
};

constexpr Texts kSpanish{
    "Recibimos tu reporte, folio {folio}",
    "Tu reporte {folio} ya tiene responsable",
    "Tu reporte {folio} cambió de estado",
    "Tu reporte {folio} se cerró",
    "Reabriste el reporte {folio}",
    "Tu reporte {folio} se unió a otro",
    "Recibimos tu reporte de {service}. Tu folio es {folio}: con él puedes seguirlo o "
    "preguntar por teléfono al 311.",
    "Una dependencia ya atiende tu reporte {folio} de {service}.",
    "Tu reporte {folio} de {service} ahora está: {status}.",
    "Tu reporte {folio} de {service} se cerró: {status}. Si el problema sigue, puedes "
    "reabrirlo desde la página del reporte durante los próximos 30 días.",
    "El reporte {folio} de {service} se reabrió y volvió a la dependencia.",
    "Tu reporte {folio} de {service} trata el mismo problema que otro; te avisaremos de él.",
    "Síguelo en: {link}",
    "Para confirmar la solución o reabrirlo cuando se cierre (enlace privado, no lo "
    "compartas): {private}",
    "Nota de la dependencia: {note}",
    "",
};

constexpr Texts kEnglish{
    "We received your report, folio {folio}",
    "Your report {folio} has been assigned",
    "Your report {folio} changed status",
    "Your report {folio} was closed",
    "You reopened report {folio}",
    "Your report {folio} was merged into another",
    "We received your {service} report. Your folio is {folio}: use it to follow the report "
    "or to ask about it by calling 311.",
    "An agency is now handling your {service} report {folio}.",
    "Your {service} report {folio} is now: {status}.",
    "Your {service} report {folio} was closed: {status}. If the problem is still there, you "
    "can reopen it from the report's page within the next 30 days.",
    "Report {folio} ({service}) was reopened and went back to the agency.",
    "Your {service} report {folio} is about the same problem as another one; we will keep "
    "you posted on it.",
    "Follow it at: {link}",
    "To confirm the fix or reopen it once it is closed (private link, do not share it): "
    "{private}",
    "Note from the agency: {note}",
    "",
};

std::string status_words(RequestStatus status, bool english) {
  switch (status) {
    case RequestStatus::kOpen:
      return english ? "received" : "recibido";
    case RequestStatus::kAcknowledged:
      return english ? "assigned to the agency" : "asignado a la dependencia";
    case RequestStatus::kInProgress:
      return english ? "work in progress" : "en atención";
    case RequestStatus::kActionScheduled:
      return english ? "work scheduled" : "trabajo programado";
    case RequestStatus::kFixed:
      return english ? "fixed" : "resuelto";
    case RequestStatus::kClosedNotFixed:
      return english ? "closed without a fix" : "cerrado sin solución";
    case RequestStatus::kDuplicate:
      return english ? "duplicate of another report" : "duplicado de otro reporte";
    case RequestStatus::kNotOurs:
      return english ? "being sent to the right agency" : "en reasignación";
    case RequestStatus::kReopened:
      return english ? "reopened" : "reabierto";
  }
  return "";
}

void replace_all(std::string& text, std::string_view name, std::string_view value) {
  for (std::size_t at = text.find(name); at != std::string::npos;
       at = text.find(name, at + value.size())) {
    text.replace(at, name.size(), value);
  }
}

// "55 1234 5678", "+52 (55) 1234-5678" → "+525512345678". A ten-digit number is a Mexican
// one (the national plan since 2019 has ten digits); anything without a country code that is
// not ten digits cannot be dialled with certainty and gets no SMS.
std::string to_e164(std::string_view typed) {
  std::string digits;
  const bool plus = !typed.empty() && typed.front() == '+';
  for (char c : typed) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (plus) return digits.size() >= 8 && digits.size() <= 15 ? "+" + digits : "";
  if (digits.size() == 10) return "+52" + digits;
  if (digits.size() == 12 && digits.starts_with("52")) return "+" + digits;
  return "";
}

// Queues one message; a contact the notifier refuses (a stored address it will not send to)
// is logged and skipped, so that it never undoes the change it reports. Database errors do.
Status queue_or_skip(const Result<long long>& queued, std::string_view channel) {
  if (queued) return {};
  if (queued.error().kind == ErrorKind::kInvalidInput) {
    log::warn("requests.notification_skipped",
              {{"channel", std::string(channel)}, {"detail", queued.error().detail}});
    return {};
  }
  return fail(queued.error());
}

struct Message {
  std::string subject;
  std::string body;  // e-mail and inbox
  std::string sms;
};

Message compose(const RequestNotice& notice, bool english, const std::string& folio,
                const std::string& service, RequestStatus status, const std::string& link,
                const std::string& private_link) {
  const Texts& t = english ? kEnglish : kSpanish;
  const char* subject = t.subject_received;
  const char* body = t.body_received;
  switch (notice.event) {
    case RequestEvent::kReceived:
      break;
    case RequestEvent::kAssigned:
      subject = t.subject_assigned;
      body = t.body_assigned;
      break;
    case RequestEvent::kStatusChanged:
      subject = t.subject_status;
      body = t.body_status;
      break;
    case RequestEvent::kClosed:
      subject = t.subject_closed;
      body = t.body_closed;
      break;
    case RequestEvent::kReopened:
      subject = t.subject_reopened;
      body = t.body_reopened;
      break;
    case RequestEvent::kMerged:
      subject = t.subject_merged;
      body = t.body_merged;
      break;
  }
  Message m;
  m.subject = subject;
  m.body = body;
  if (!notice.public_note.empty()) m.body += std::string("\n\n") + t.note;
  m.body += std::string("\n\n") + t.follow_link;
  m.sms = std::string(body) + " " + t.follow_link;
  for (std::string* s : {&m.subject, &m.body, &m.sms}) {
    replace_all(*s, "{folio}", folio);
    replace_all(*s, "{service}", service);
    replace_all(*s, "{status}", status_words(status, english));
    replace_all(*s, "{link}", link);
    // The note comes last: its text is the agency's and may contain braces.
    replace_all(*s, "{note}", notice.public_note);
  }
  if (!private_link.empty()) {
    std::string p = t.private_link;
    replace_all(p, "{private}", private_link);
    m.body += "\n" + p;
  }
  if (m.sms.size() > 1'500) m.sms.resize(1'500);  // Notifier's bound is 1,600 bytes
  if (m.body.size() > 3'900) m.body.resize(3'900);
  return m;
}

// A follower's message: not "your report" but the one they follow, with the way out.
Message compose_for_follower(const RequestNotice& notice, bool english, const std::string& folio,
                             const std::string& service, RequestStatus status,
                             const std::string& link, const std::string& stop_link) {
  Message m;
  m.subject = english ? "News on report {folio}, which you follow"
                      : "Novedades del reporte {folio} que sigues";
  std::string body;
  switch (notice.event) {
    case RequestEvent::kReopened:
      body = english ? "Report {folio} ({service}) was reopened and went back to the agency."
                     : "El reporte {folio} de {service} se reabrió y volvió a la dependencia.";
      break;
    case RequestEvent::kMerged:
      body = english ? "Report {folio} ({service}) was merged into another one about the same "
                       "problem."
                     : "El reporte {folio} de {service} se unió a otro sobre el mismo problema.";
      break;
    default:
      body = english ? "Report {folio} ({service}), which you follow, is now: {status}."
                     : "El reporte {folio} de {service}, que sigues, ahora está: {status}.";
      break;
  }
  const std::string follow = english ? "Follow it at: {link}" : "Síguelo en: {link}";
  const std::string stop =
      english ? "To stop following it: {stop}" : "Para dejar de seguirlo: {stop}";
  m.body = body;
  if (!notice.public_note.empty()) {
    m.body += english ? "\n\nNote from the agency: {note}" : "\n\nNota de la dependencia: {note}";
  }
  m.body += "\n\n" + follow + "\n" + stop;
  m.sms = body + " " + follow;
  for (std::string* s : {&m.subject, &m.body, &m.sms}) {
    replace_all(*s, "{folio}", folio);
    replace_all(*s, "{service}", service);
    replace_all(*s, "{status}", status_words(status, english));
    replace_all(*s, "{link}", link);
    replace_all(*s, "{stop}", stop_link);
    replace_all(*s, "{note}", notice.public_note);
  }
  if (m.sms.size() > 1'500) m.sms.resize(1'500);
  if (m.body.size() > 3'900) m.body.resize(3'900);
  return m;
}

}  // namespace

Status RequestNotifications::queue_assignee(soci::session& sql, long long request_id,
                                            long long assignee, std::string_view base_url) {
  std::string folio_text, service_es, service_en, address;
  soci::indicator address_ind = soci::i_null;
  sql << "SELECT r.folio, s.name_es, s.name_en, r.address_string FROM service_requests r "
         "JOIN services s ON s.code = r.service_code WHERE r.id = :id",
      soci::use(request_id), soci::into(folio_text), soci::into(service_es), soci::into(service_en),
      soci::into(address, address_ind);
  if (!sql.got_data()) return fail(Error::not_found("no request to notify about"));
  const auto parsed_folio = parse_folio(folio_text);
  const std::string folio = parsed_folio ? parsed_folio->display() : folio_text;
  std::string base(base_url);
  while (base.ends_with('/')) base.pop_back();
  const std::string path = "/atencion/" + folio_text;
  // Staff read Spanish by default; the English line is for the few who use the English UI
  // (accounts carry no language).
  const std::string subject =
      "Te asignaron el reporte " + folio + " / Report " + folio + " was assigned to you";
  std::string body = "Te asignaron el reporte " + folio + " de " + service_es + ".";
  if (address_ind == soci::i_ok && !address.empty()) body += " " + address + ".";
  body += "\n" + base + path + "\n\nReport " + folio + " (" +
          (service_en.empty() ? service_es : service_en) + ") was assigned to you.";
  if (Status s = queue_or_skip(notify::Notifier::inbox(sql, {"account:" + std::to_string(assignee),
                                                             subject, body, path}),
                               "inbox");
      !s) {
    return s;
  }
  auto contact = identity::find_resident(sql, assignee);
  if (!contact) return fail(contact.error());
  if (*contact && (*contact)->email) {
    return queue_or_skip(notify::Notifier::email(sql, {*(*contact)->email, "", subject, body}),
                         "email");
  }
  return {};
}

Status RequestNotifications::queue(soci::session& sql, const RequestNotice& notice,
                                   std::string_view base_url) {
  RequestFacts facts;
  std::string status_name;
  long long id = notice.request_id;
  sql << "SELECT r.folio, r.email, r.phone, r.account_id, r.locale, r.status, s.name_es, "
         "s.name_en, r.token FROM service_requests r JOIN services s ON s.code = r.service_code "
         "WHERE r.id = :id",
      soci::use(id), soci::into(facts.folio), soci::into(facts.email), soci::into(facts.phone),
      soci::into(facts.account_id), soci::into(facts.locale), soci::into(status_name),
      soci::into(facts.service_es), soci::into(facts.service_en), soci::into(facts.token);
  if (!sql.got_data()) return fail(Error::not_found("no request to notify about"));
  const auto status = parse_status(status_name);
  facts.status = status ? *status : RequestStatus::kOpen;
  return queue_with(sql, notice, facts, base_url);
}

Status RequestNotifications::queue_received(soci::session& sql, long long request_id,
                                            const RequestFacts& facts, std::string_view base_url) {
  return queue_with(sql,
                    {.request_id = request_id, .event = RequestEvent::kReceived, .public_note = ""},
                    facts, base_url);
}

Status RequestNotifications::queue_with(soci::session& sql, const RequestNotice& notice,
                                        const RequestFacts& facts, std::string_view base_url) {
  const long long id = notice.request_id;
  const std::string& folio_text = facts.folio;
  const std::string& email = facts.email;
  const std::string& phone = facts.phone;
  const std::string& account = facts.account_id;
  const std::string& locale = facts.locale;
  const std::string& service_es = facts.service_es;
  const std::string& service_en = facts.service_en;
  const std::string& token = facts.token;
  const RequestStatus current = facts.status;
  const auto parsed_folio = parse_folio(folio_text);
  const std::string folio = parsed_folio ? parsed_folio->display() : folio_text;
  std::string base(base_url);
  while (base.ends_with('/')) base.pop_back();
  const std::string path = "/reportes/" + folio_text;
  const std::string link = base + path;
  // The reporter without an account answers a closure through this link (ReporterProof):
  // sent only to the contact they gave, at intake and closure.
  const bool private_link =
      notice.event == RequestEvent::kReceived || notice.event == RequestEvent::kClosed;

  const auto message_in = [&](std::string_view lang, bool with_private) {
    const bool english = lang.starts_with("en");
    const std::string& service = english && !service_en.empty() ? service_en : service_es;
    return compose(notice, english, folio, service, current, link,
                   with_private ? link + "?clave=" + token : "");
  };

  // The reporter, in the language of the report.
  const Message mine = message_in(locale, private_link);
  if (!email.empty()) {
    if (Status s = queue_or_skip(notify::Notifier::email(sql, {email, "", mine.subject, mine.body}),
                                 "email");
        !s) {
      return s;
    }
  }
  if (const std::string to = to_e164(phone); !to.empty()) {
    if (Status s = queue_or_skip(notify::Notifier::sms(sql, {to, mine.sms}), "sms"); !s) return s;
  }
  if (!account.empty()) {
    const Message inbox = message_in(locale, false);
    if (Status s = queue_or_skip(
            notify::Notifier::inbox(sql, {"account:" + account, inbox.subject, inbox.body, path}),
            "inbox");
        !s) {
      return s;
    }
  }

  // Followers hear of it as the reporter does (issue 4, items 5 and 7): in-app inbox, and
  // e-mail and SMS to the verified contacts identity holds for them, in the language they
  // followed in (the report's for older rows), each with a link that stops the follow without
  // signing in. The reporter following their own report is told once. Nobody follows a request
  // at its intake.
  if (notice.event == RequestEvent::kReceived) return {};
  struct Follower {
    long long account_id = 0;
    std::string locale;
    std::string stop_token;
  };
  std::vector<Follower> followers;
  {
    Follower f;
    soci::indicator locale_ind = soci::i_null, token_ind = soci::i_null;
    soci::statement st =
        (sql.prepare << "SELECT account_id, locale, stop_token FROM service_request_followers "
                        "WHERE request_id = :id ORDER BY account_id LIMIT 10000",
         soci::use(id), soci::into(f.account_id), soci::into(f.locale, locale_ind),
         soci::into(f.stop_token, token_ind));
    st.execute();
    while (st.fetch()) {
      Follower row = f;
      if (locale_ind != soci::i_ok) row.locale.clear();
      if (token_ind != soci::i_ok) row.stop_token.clear();
      followers.push_back(std::move(row));
    }
  }
  for (Follower& f : followers) {
    const std::string who = std::to_string(f.account_id);
    if (who == account) continue;
    if (f.stop_token.empty()) {
      f.stop_token = crypto::random_token(24);
      sql << "UPDATE service_request_followers SET stop_token = :t WHERE request_id = :r AND "
             "account_id = :a",
          soci::use(f.stop_token), soci::use(id), soci::use(f.account_id);
    }
    const std::string lang = f.locale.empty() ? locale : f.locale;
    const bool english = lang.starts_with("en");
    const std::string& service = english && !service_en.empty() ? service_en : service_es;
    const std::string stop_link = base + "/reportes/dejar-de-seguir?codigo=" + f.stop_token;
    const Message theirs =
        compose_for_follower(notice, english, folio, service, current, link, stop_link);
    if (Status s = queue_or_skip(
            notify::Notifier::inbox(sql, {"account:" + who, theirs.subject, theirs.body, path}),
            "inbox");
        !s) {
      return s;
    }
    auto contact = identity::find_resident(sql, f.account_id);
    if (!contact) return fail(contact.error());
    if (!*contact) continue;  // closed or suspended account: the inbox only
    if ((*contact)->email) {
      if (Status s = queue_or_skip(
              notify::Notifier::email(sql, {*(*contact)->email, "", theirs.subject, theirs.body}),
              "email");
          !s) {
        return s;
      }
    }
    if ((*contact)->phone) {
      if (const std::string to = to_e164(*(*contact)->phone); !to.empty()) {
        if (Status s = queue_or_skip(notify::Notifier::sms(sql, {to, theirs.sms}), "sms"); !s) {
          return s;
        }
      }
    }
  }
  return {};
}

}  // namespace zocalo::requests
