#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "child_process.hpp"
#include "db_fixture.hpp"
#include "platform/core/crypto.hpp"
#include "platform/jobs/job_queue.hpp"
#include "platform/notify/email_sender.hpp"
#include "platform/notify/inbox.hpp"
#include "platform/notify/mime.hpp"
#include "platform/notify/notifier.hpp"
#include "platform/notify/sms_sender.hpp"
#include "temp_dir.hpp"

namespace zocalo::notify {
namespace {

using namespace std::chrono_literals;
using testing::ChildProcess;
using testing::TempDir;

// ---- helpers: the Python harness servers ----

int read_port(ChildProcess& child) {
  const auto line = child.read_line(20s);
  if (!line || line->rfind("PORT ", 0) != 0) return 0;
  return std::stoi(line->substr(5));
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Waits for FOLDER/NNNN.json and parses it.
std::optional<boost::json::object> wait_for_json(const std::filesystem::path& folder, int n,
                                                 std::chrono::seconds timeout = 15s) {
  char name[16];
  std::snprintf(name, sizeof name, "%04d.json", n);
  const auto file = folder / name;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!std::filesystem::exists(file)) {
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(20ms);
  }
  return boost::json::parse(read_file(file)).as_object();
}

std::string str(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

struct SmtpCapture {
  TempDir dir;
  ChildProcess process{
      {"/usr/bin/python3", testing::harness_path("smtp_capture.py"), dir.path().string()}};
  int port = read_port(process);
};

struct SmsGateway {
  TempDir dir;
  ChildProcess process{{"/usr/bin/python3", testing::harness_path("sms_gateway.py"),
                        dir.path().string(), "tok-123"}};
  int port = read_port(process);
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
};

EmailOptions capture_options(int port) {
  return {.host = "127.0.0.1",
          .port = port,
          .security = SmtpSecurity::kNone,
          .from_address = "avisos@cdmx.example.mx",
          .from_name = "Agencia Digital de Innovación Pública",
          .timeout = 10s};
}

// ---- MIME (pure) ----

TEST(MimeTest, AddressValidation) {
  struct Case {
    const char* address;
    bool valid;
  } cases[] = {
      {"vecina@example.mx", true},
      {"first.last+311@sub.cdmx.gob.mx", true},
      {"o'brien@example.com", true},
      {"", false},
      {"no-at.example.mx", false},
      {"@example.mx", false},
      {"vecina@", false},
      {"vecina@localhost", false},
      {".lead@example.mx", false},
      {"dou..ble@example.mx", false},
      {"sp ace@example.mx", false},
      {"a@exa_mple.mx", false},
      {"a@-example.mx", false},
      {"a@example.mx\r\nBcc: x@evil.example", false},
      {"<a@example.mx>", false},
      {"josé@example.mx", false},  // SMTPUTF8 not supported
  };
  for (const auto& c : cases) EXPECT_EQ(is_valid_email_address(c.address), c.valid) << c.address;
  EXPECT_FALSE(is_valid_email_address(std::string(250, 'a') + "@b.mx"));
}

TEST(MimeTest, Utf8Validation) {
  EXPECT_TRUE(utf8::is_valid("Trámite en línea ✓ 😀"));
  EXPECT_FALSE(utf8::is_valid("\xc3"));          // truncated
  EXPECT_FALSE(utf8::is_valid("\xc0\xaf"));      // overlong "/"
  EXPECT_FALSE(utf8::is_valid("\xed\xa0\x80"));  // surrogate
  EXPECT_FALSE(utf8::is_valid("caf\xe9"));       // Latin-1
}

TEST(MimeTest, AsciiSubjectStaysReadable) {
  EXPECT_EQ(encode_header_text("Your request 311-0042"), "Your request 311-0042");
}

TEST(MimeTest, NonAsciiSubjectBecomesEncodedWordsThatDecodeBack) {
  const std::string subject =
      "Tu solicitud de bacheo en Iztapalapa fue atendida — gracias por participar, vecina ñandú";
  const std::string encoded = encode_header_text(subject);
  std::string decoded;
  std::size_t pos = 0;
  while ((pos = encoded.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const auto end = encoded.find("?=", pos + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - pos, 75u) << "RFC 2047 §2: an encoded-word is at most 75 characters";
    std::string b64 = encoded.substr(pos + 10, end - pos - 10);
    // Standard base64 -> base64url for the shared decoder.
    for (char& c : b64) c = c == '+' ? '-' : c == '/' ? '_' : c;
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    const auto part = crypto::base64url_decode(b64);
    ASSERT_TRUE(part.has_value());
    EXPECT_TRUE(utf8::is_valid(*part)) << "a word must not split a character";
    decoded += *part;
    pos = end + 2;
  }
  EXPECT_EQ(decoded, subject);
  EXPECT_NE(encoded.find("\r\n "), std::string::npos) << "long subjects are folded";
}

TEST(MimeTest, QuotedPrintableEncodesAccentsAndKeepsLinesShort) {
  EXPECT_EQ(quoted_printable("Atención: año"), "Atenci=C3=B3n: a=C3=B1o");
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
  EXPECT_EQ(quoted_printable("trailing  \nnext"), "trailing =20\r\nnext");
  EXPECT_EQ(quoted_printable(".\nx"), "=2E\r\nx");
  const std::string long_line(200, 'x');
  const std::string qp = quoted_printable(long_line + "\r\nfin");
  std::size_t start = 0;
  while (start < qp.size()) {
    auto end = qp.find("\r\n", start);
    if (end == std::string::npos) end = qp.size();
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
  std::string joined = qp;
  for (std::size_t p; (p = joined.find("=\r\n")) != std::string::npos;) joined.erase(p, 3);
  EXPECT_EQ(joined, long_line + "\r\nfin");
}

TEST(MimeTest, DateIsRfc5322InUtc) {
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(1795383783), "Sun, 22 Nov 2026 21:43:03 +0000");
}

MimeEmail sample() {
  return {.from = {"avisos@cdmx.example.mx", "Ciudad de México"},
          .to = {"vecina@example.mx", "Ana \"La Jefa\" Pérez"},
          .subject = "Solicitud 311 recibida",
          .text = "Hola,\nrecibimos tu reporte.\n",
          .date = 1795383783,
          .message_id = "<abc@cdmx.example.mx>"};
}

TEST(MimeTest, MessageCarriesEveryRequiredHeader) {
  MimeEmail e = sample();
  e.from.name = "Avisos";
  e.to.name = "Ana \"La Jefa\"";
  auto m = build_email(e);
  ASSERT_TRUE(m.ok()) << m.error().detail;
  const std::string& text = *m;
  EXPECT_NE(text.find("Date: Sun, 22 Nov 2026 21:43:03 +0000\r\n"), std::string::npos);
  EXPECT_NE(text.find("From: \"Avisos\" <avisos@cdmx.example.mx>\r\n"), std::string::npos);
  EXPECT_NE(text.find("To: \"Ana \\\"La Jefa\\\"\" <vecina@example.mx>\r\n"), std::string::npos);
  EXPECT_NE(text.find("Subject: Solicitud 311 recibida\r\n"), std::string::npos);
  EXPECT_NE(text.find("Message-ID: <abc@cdmx.example.mx>\r\n"), std::string::npos);
  EXPECT_NE(text.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(text.find("Content-Transfer-Encoding: quoted-printable\r\n\r\n"), std::string::npos);
  EXPECT_EQ(text.find('\n'), text.find("\r\n") + 1) << "CRLF line ends only";
  for (std::size_t i = 0; i < text.size(); ++i) {
    EXPECT_LT(static_cast<unsigned char>(text[i]), 0x80) << "7-bit clean at " << i;
    if (text[i] == '\n') {
      EXPECT_EQ(text[i - 1], '\r');
    }
  }
}

TEST(MimeTest, HeaderInjectionIsRejected) {
  MimeEmail e = sample();
  e.subject = "Hola\r\nBcc: everyone@evil.example";
  EXPECT_EQ(build_email(e).error().kind, ErrorKind::kInvalidInput);
  e = sample();
  e.to.name = "Ana\nBcc: x@evil.example";
  EXPECT_EQ(build_email(e).error().kind, ErrorKind::kInvalidInput);
  e = sample();
  e.to.address = "vecina@example.mx>\r\nBcc: <x@evil.example";
  EXPECT_EQ(build_email(e).error().kind, ErrorKind::kInvalidInput);
  e = sample();
  e.text = "caf\xe9";
  EXPECT_EQ(build_email(e).error().kind, ErrorKind::kInvalidInput);
}

TEST(MimeTest, MessageIdsAreUnique) {
  EXPECT_NE(make_message_id("cdmx.example.mx"), make_message_id("cdmx.example.mx"));
  EXPECT_EQ(make_message_id("d.mx").substr(33), "@d.mx>");
}

// ---- a real SMTP round trip (Debian's aiosmtpd) ----

TEST(EmailSenderTest, DeliversUtf8MessageThroughRealSmtpServer) {
  SmtpCapture smtp;
  ASSERT_GT(smtp.port, 0) << "smtp_capture.py did not start (python3-aiosmtpd installed?)";
  EmailSender sender(capture_options(smtp.port));
  const std::string body =
      "Hola, Begoña:\n\nTu solicitud de reparación de luminaria en la alcaldía Álvaro Obregón "
      "quedó atendida. ¿Cómo calificarías el servicio? Responde en la aplicación.\n\n"
      "= Gracias =\n";
  const Status st = sender.send({.to = "begona@example.mx",
                                 .to_name = "Begoña Núñez",
                                 .subject = "Tu solicitud 311 está atendida ✓",
                                 .text = body});
  ASSERT_TRUE(st.ok()) << st.error().detail;

  const auto got = wait_for_json(smtp.dir.path(), 1);
  ASSERT_TRUE(got.has_value()) << "no message captured";
  const auto& m = *got;
  EXPECT_EQ(str(m, "mail_from"), "avisos@cdmx.example.mx");
  ASSERT_EQ(m.at("rcpt_tos").as_array().size(), 1u);
  EXPECT_EQ(m.at("rcpt_tos").as_array()[0].as_string(), "begona@example.mx");
  EXPECT_EQ(str(m, "subject"), "Tu solicitud 311 está atendida ✓");
  EXPECT_EQ(str(m, "from"), "Agencia Digital de Innovación Pública <avisos@cdmx.example.mx>");
  EXPECT_EQ(str(m, "to"), "Begoña Núñez <begona@example.mx>");
  EXPECT_EQ(str(m, "content_type"), "text/plain");
  EXPECT_EQ(str(m, "charset"), "utf-8");
  EXPECT_EQ(str(m, "transfer_encoding"), "quoted-printable");
  std::string expected_body = body;
  for (std::size_t p = 0; (p = expected_body.find('\n', p)) != std::string::npos; p += 2) {
    expected_body.replace(p, 1, "\r\n");
  }
  std::string got_body = str(m, "body");
  // Python's parser may normalise line ends to \n; compare without \r.
  auto strip_cr = [](std::string s) {
    s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
    return s;
  };
  EXPECT_EQ(strip_cr(got_body), strip_cr(expected_body));
  EXPECT_TRUE(m.at("defects").as_array().empty()) << boost::json::serialize(m.at("defects"));
  std::set<std::string> names;
  for (const auto& h : m.at("headers").as_array())
    names.insert(std::string(h.as_array()[0].as_string()));
  for (const char* h : {"Date", "From", "To", "Subject", "Message-ID", "MIME-Version"}) {
    EXPECT_TRUE(names.count(h)) << h;
  }
  const std::string raw = read_file(smtp.dir.path() / "0001.eml");
  EXPECT_NE(raw.find("Subject: =?UTF-8?B?"), std::string::npos) << "RFC 2047 on the wire";
}

TEST(EmailSenderTest, InvalidRecipientIsRejectedBeforeConnecting) {
  EmailSender sender(capture_options(1));
  const Status st = sender.send({.to = "not an address", .subject = "x", .text = "y"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kInvalidInput);
}

TEST(EmailSenderTest, UnreachableServerIsUnavailable) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  EmailSender sender(capture_options(1));
  const Status st = sender.send({.to = "vecina@example.mx", .subject = "x", .text = "y"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(st.error().detail.find("smtp://127.0.0.1:1"), std::string::npos);
}

// ---- SMS over a local HTTP gateway ----

TEST(SmsSenderTest, PostsJsonWithBearerToken) {
  SmsGateway gw;
  ASSERT_GT(gw.port, 0);
  SmsSender sender({.gateway_url = gw.url("/send"), .token = "tok-123", .timeout = 10s});
  const Status st = sender.send("+5215512345678", "Tu folio es 311-0042. ¡Gracias!");
  ASSERT_TRUE(st.ok()) << st.error().detail;
  const auto rec = wait_for_json(gw.dir.path(), 1);
  ASSERT_TRUE(rec.has_value());
  EXPECT_EQ(str(*rec, "path"), "/send");
  EXPECT_EQ(str(*rec, "authorization"), "Bearer tok-123");
  EXPECT_EQ(str(*rec, "content_type"), "application/json");
  const auto& body = rec->at("body").as_object();
  EXPECT_EQ(str(body, "to"), "+5215512345678");
  EXPECT_EQ(str(body, "message"), "Tu folio es 311-0042. ¡Gracias!");
}

TEST(SmsSenderTest, GatewayErrorIsUnavailableWithTheStatus) {
  SmsGateway gw;
  ASSERT_GT(gw.port, 0);
  SmsSender sender({.gateway_url = gw.url("/fail"), .token = "tok-123", .timeout = 10s});
  const Status st = sender.send("+5215512345678", "hola");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(st.error().detail.find("HTTP 500"), std::string::npos) << st.error().detail;
  EXPECT_NE(st.error().detail.find("gateway exploded"), std::string::npos);
}

TEST(SmsSenderTest, WrongTokenIsUnavailableSoAnOperatorCanFixIt) {
  SmsGateway gw;
  ASSERT_GT(gw.port, 0);
  SmsSender sender({.gateway_url = gw.url("/send"), .token = "wrong", .timeout = 10s});
  const Status st = sender.send("+5215512345678", "hola");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(st.error().detail.find("HTTP 401"), std::string::npos);
}

TEST(SmsSenderTest, BadNumberOrMessageIsInvalidInput) {
  SmsSender sender({.gateway_url = "http://127.0.0.1:1/send"});
  EXPECT_EQ(sender.send("5512345678", "hola").error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(sender.send("+52 55 1234", "hola").error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(sender.send("+5215512345678", "").error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(sender.send("+5215512345678", std::string(1601, 'a')).error().kind,
            ErrorKind::kInvalidInput);
}

// ---- the inbox and the notifier, on both databases ----

class InboxTest : public testing::DbTest {};

TEST_P(InboxTest, ListsNewestFirstAndCountsUnread) {
  Inbox inbox(db());
  auto first = inbox.add({.recipient = "account:1", .title = "Uno", .body = "b1"});
  auto second = inbox.add(
      {.recipient = "account:1", .title = "Dos", .body = "b2", .link = "/solicitudes/42"});
  ASSERT_TRUE(inbox.add({.recipient = "account:2", .title = "Otro", .body = "x"}).ok());
  ASSERT_TRUE(first.ok() && second.ok());
  auto list = inbox.list("account:1");
  ASSERT_TRUE(list.ok()) << list.error().detail;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, *second);
  EXPECT_EQ((*list)[0].link, "/solicitudes/42");
  EXPECT_EQ((*list)[1].title, "Uno");
  EXPECT_EQ((*list)[1].link, "");
  EXPECT_TRUE((*list)[1].unread());
  EXPECT_EQ(*inbox.unread_count("account:1"), 2);

  ASSERT_TRUE(inbox.mark_read("account:1", *first).ok());
  EXPECT_EQ(*inbox.unread_count("account:1"), 1);
  EXPECT_FALSE((*inbox.list("account:1"))[1].unread());
}

TEST_P(InboxTest, PagesWithBeforeId) {
  Inbox inbox(db());
  std::vector<long long> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(*inbox.add({.recipient = "r", .title = "t" + std::to_string(i), .body = ""}));
  }
  auto page1 = inbox.list("r", 2);
  ASSERT_EQ(page1->size(), 2u);
  auto page2 = inbox.list("r", 2, page1->back().id);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_LT(page2->front().id, page1->back().id);
}

TEST_P(InboxTest, SomeoneElsesMessageCannotBeMarkedRead) {
  Inbox inbox(db());
  auto id = inbox.add({.recipient = "account:1", .title = "Privado", .body = ""});
  const Status st = inbox.mark_read("account:2", *id);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kNotFound);
  EXPECT_EQ(*inbox.unread_count("account:1"), 1);
}

TEST_P(InboxTest, UnsafeLinksAndEmptyFieldsAreRejected) {
  Inbox inbox(db());
  for (const char* link : {"javascript:alert(1)", "//evil.example/x", "http://plain.example",
                           "/ok path", "https://"}) {
    EXPECT_EQ(inbox.add({.recipient = "r", .title = "t", .link = link}).error().kind,
              ErrorKind::kInvalidInput)
        << link;
  }
  EXPECT_TRUE(inbox.add({.recipient = "r", .title = "t", .link = "https://cdmx.gob.mx/x"}).ok());
  EXPECT_EQ(inbox.add({.recipient = "", .title = "t"}).error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(inbox.add({.recipient = "r", .title = ""}).error().kind, ErrorKind::kInvalidInput);
}

class NotifierTest : public testing::DbTest {};

TEST_P(NotifierTest, JobsEnqueuedInACommittedTransactionAreDelivered) {
  SmtpCapture smtp;
  SmsGateway gw;
  ASSERT_GT(smtp.port, 0);
  ASSERT_GT(gw.port, 0);
  const Status st = db().transaction([&](soci::session& sql) -> Status {
    for (auto r : {Notifier::email(sql, {.to = "vecino@example.mx",
                                        .subject = "Reporte 311 actualizado",
                                        .text = "Tu reporte cambió a «en proceso»."}),
                   Notifier::sms(sql, {.to = "+5215512345678", .message = "Folio 311-7"}),
                   Notifier::inbox(sql, {.recipient = "account:9",
                                        .title = "Reporte actualizado",
                                        .body = "En proceso",
                                        .link = "/reportes/7"})}) {
      if (!r) return fail(r.error());
    }
    return {};
  });
  ASSERT_TRUE(st.ok()) << st.error().detail;

  EmailSender email(capture_options(smtp.port));
  SmsSender sms({.gateway_url = gw.url("/send"), .token = "tok-123", .timeout = 10s});
  jobs::Worker worker(db(), {.threads = 1, .node_id = "notify-test"});
  Notifier::register_handlers(worker, db(), {.email = &email, .sms = &sms});
  for (int i = 0; i < 3; ++i) {
    auto ran = worker.run_once();
    ASSERT_TRUE(ran.ok()) << ran.error().detail;
    EXPECT_TRUE(*ran);
  }
  EXPECT_EQ(*jobs::JobQueue::count(db(), jobs::JobStatus::kDone), 3);

  const auto mail = wait_for_json(smtp.dir.path(), 1);
  ASSERT_TRUE(mail.has_value());
  EXPECT_EQ(str(*mail, "subject"), "Reporte 311 actualizado");
  EXPECT_NE(str(*mail, "body").find("«en proceso»"), std::string::npos);
  const auto text = wait_for_json(gw.dir.path(), 1);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(str(text->at("body").as_object(), "message"), "Folio 311-7");
  Inbox inbox(db());
  auto items = inbox.list("account:9");
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ((*items)[0].link, "/reportes/7");
}

TEST_P(NotifierTest, RolledBackTransactionSendsNothing) {
  const Status st = db().transaction([&](soci::session& sql) -> Status {
    auto r = Notifier::email(sql, {.to = "vecino@example.mx", .subject = "s", .text = "t"});
    if (!r) return fail(r.error());
    return fail(Error::conflict("error.conflict", "the 311 update was refused"));
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(*jobs::JobQueue::waiting_count(db()), 0);
}

TEST_P(NotifierTest, InvalidRecipientFailsTheCallerNotALaterJob) {
  const Status st = db().transaction([&](soci::session& sql) -> Status {
    auto r = Notifier::email(sql, {.to = "vecino(at)example.mx", .subject = "s", .text = "t"});
    return r ? Status{} : fail(r.error());
  });
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(*jobs::JobQueue::waiting_count(db()), 0);
}

TEST_P(NotifierTest, FailedDeliveryIsRetriedLater) {
  ASSERT_TRUE(db().transaction([&](soci::session& sql) -> Status {
                    auto r = Notifier::sms(sql, {.to = "+5215512345678", .message = "hola"});
                    return r ? Status{} : fail(r.error());
                  })
                  .ok());
  SmsGateway gw;
  ASSERT_GT(gw.port, 0);
  SmsSender failing({.gateway_url = gw.url("/fail"), .token = "tok-123", .timeout = 10s});
  jobs::Worker worker(db(), {.threads = 1, .node_id = "notify-test"});
  Notifier::register_handlers(worker, db(), {.sms = &failing});
  ASSERT_TRUE(*worker.run_once());
  EXPECT_EQ(*jobs::JobQueue::count(db(), jobs::JobStatus::kFailed), 1);
  EXPECT_FALSE(*worker.run_once()) << "the retry waits for its backoff";
}

ZOCALO_INSTANTIATE_DB_TEST(InboxTest);
ZOCALO_INSTANTIATE_DB_TEST(NotifierTest);

}  // namespace
}  // namespace zocalo::notify
