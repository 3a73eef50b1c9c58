// Integration tests: a real Server on an ephemeral port, spoken to over raw TCP so that
// malformed and hostile input can be sent exactly as an attacker would.
#include "platform/http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "platform/core/log.hpp"
#include "platform/http/gzip.hpp"

namespace zocalo::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  std::optional<std::string> header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (iequals(n, name)) return v;
    }
    return std::nullopt;
  }
};

// A deliberately small HTTP/1.1 client over a POSIX socket, with timeouts on every read.
class TestClient {
 public:
  explicit TestClient(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      throw std::runtime_error("connect failed");
    }
  }
  ~TestClient() { ::close(fd_); }
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // False when the server has closed or reset the connection.
  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  std::optional<HttpResponse> read_response(bool head_request = false,
                                            std::chrono::milliseconds timeout = 3000ms) {
    const auto deadline = Clock::now() + timeout;
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill(deadline)) return std::nullopt;
    }
    HttpResponse res;
    const std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    std::size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || !status_line.starts_with("HTTP/1.1 ")) return std::nullopt;
    res.status = std::stoi(status_line.substr(9, 3));
    while (line_end != std::string::npos) {
      const std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      res.headers.emplace_back(line.substr(0, colon), value);
    }
    if (res.status == 100) return res;
    std::size_t length = 0;
    if (auto cl = res.header("Content-Length")) length = std::stoul(*cl);
    if (head_request || res.status == 204 || res.status == 304) length = 0;
    while (buf_.size() < length) {
      if (!fill(deadline)) return std::nullopt;
    }
    res.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return res;
  }

  // True when the server closes the connection (EOF or reset) before the timeout.
  bool closed_by_server(std::chrono::milliseconds timeout = 3000ms) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
      char tmp[4096];
      const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n <= 0) return true;
    }
  }

  // Whether bytes (or EOF) are waiting, without consuming them.
  bool readable_within(std::chrono::milliseconds timeout) {
    if (!buf_.empty()) return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  }

 private:
  bool fill(Clock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char tmp[16384];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buf_;
};

std::string get(std::string_view target, std::string_view extra_headers = "") {
  std::string r = "GET ";
  r += target;
  r += " HTTP/1.1\r\nHost: test\r\n";
  r += extra_headers;
  r += "\r\n";
  return r;
}

std::string big_json() {
  std::string s = "{\"items\":[";
  for (int i = 0; i < 100; ++i)
    s += (i ? "," : "") + std::string("{\"folio\":\"CDMX-2026-000") + std::to_string(i) +
         "\",\"status\":\"open\"}";
  return s + "]}";
}

Response render_error(Request&, int status) {
  return Response::html("<h1>error " + std::to_string(status) + "</h1>", status);
}

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { log::init(log::Level::kError); }

  void SetUp() override {
    router_.get("/hello", [](Request&) { return Response::text("hello"); }, {.run_inline = true});
    router_.get("/pooled", [](Request&) { return Response::text("from the pool"); });
    router_.get("/json-big", [](Request&) { return Response::json(big_json()); });
    router_.get("/json-small", [](Request&) { return Response::json(R"({"ok":true})"); });
    router_.get("/opaque", [](Request&) {
      Response r = Response::text(std::string(4096, 'z'));
      r.compressible = false;
      return r;
    });
    router_.get("/png", [](Request&) {
      return Response::with_type("image/png", std::string(4096, '\x01'));
    });
    router_.post("/echo", [](Request& r) { return Response::text(r.body); });
    router_.post("/upload",
                 [](Request& r) { return Response::text(std::to_string(r.body.size())); },
                 {.max_body_bytes = 64 * 1024});
    router_.get("/static/{path*}",
                [](Request& r) { return Response::text("file:" + r.params["path"]); });
    router_.get("/boom", [](Request&) -> Response {
      throw std::runtime_error("secret: db password hunter2");
    });
    router_.get("/slow", [this](Request&) {
      slow_started_ = true;
      std::this_thread::sleep_for(500ms);
      return Response::text("slow done");
    });
    router_.get("/whoami", [](Request& r) {
      return Response::text(r.remote_addr + (r.secure ? " https" : " http"));
    });
    router_.finalize();
  }

  void TearDown() override {
    for (auto& s : servers_) {
      s->stop();
      s->wait();
    }
  }

  Server& start(ServerOptions o = {}) {
    o.port = 0;
    o.io_threads = 2;
    servers_.push_back(std::make_unique<Server>(o, router_, render_error));
    EXPECT_TRUE(servers_.back()->start());
    return *servers_.back();
  }

  static ServerOptions strict_options() {
    ServerOptions o;
    o.max_header_bytes = 4096;
    o.max_body_bytes = 1024;
    o.request_timeout = std::chrono::seconds(1);
    o.gzip_min_bytes = 256;
    o.worker_threads = 2;
    return o;
  }

  // Every hostile case ends with this: the server still answers a well-formed request.
  static void expect_still_serving(Server& s) {
    TestClient c(s.port());
    ASSERT_TRUE(c.send(get("/hello")));
    auto res = c.read_response();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_EQ(res->body, "hello");
  }

  static std::optional<HttpResponse> one_shot(Server& s, std::string_view raw, bool head = false) {
    TestClient c(s.port());
    c.send(raw);
    return c.read_response(head);
  }

  Router router_;
  std::vector<std::unique_ptr<Server>> servers_;
  std::atomic<bool> slow_started_{false};
};

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  Server& s = start(strict_options());
  TestClient c(s.port());
  for (const char* target : {"/hello", "/pooled", "/json-small", "/hello"}) {
    ASSERT_TRUE(c.send(get(target)));
    auto res = c.read_response();
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->status, 200) << target;
    EXPECT_FALSE(res->header("Connection").has_value()) << "HTTP/1.1 keeps alive by default";
    EXPECT_TRUE(res->header("Date").has_value());
  }
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Server& s = start(strict_options());
  TestClient c(s.port());
  ASSERT_TRUE(c.send(get("/pooled") + get("/hello") + get("/static/x")));
  EXPECT_EQ(c.read_response()->body, "from the pool");
  EXPECT_EQ(c.read_response()->body, "hello");
  EXPECT_EQ(c.read_response()->body, "file:x");
}

TEST_F(ServerTest, Http10ClosesUnlessAskedToKeepAlive) {
  Server& s = start(strict_options());
  TestClient c(s.port());
  ASSERT_TRUE(c.send("GET /hello HTTP/1.0\r\n\r\n"));
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->header("Connection").value_or(""), "close");
  EXPECT_TRUE(c.closed_by_server());
  TestClient k(s.port());
  ASSERT_TRUE(k.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  res = k.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->header("Connection").value_or(""), "keep-alive");
  ASSERT_TRUE(k.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_EQ(k.read_response()->status, 200);
}

TEST_F(ServerTest, NotFoundAndMethodNotAllowedWithAllow) {
  Server& s = start(strict_options());
  TestClient c(s.port());
  ASSERT_TRUE(c.send(get("/nowhere")));
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  ASSERT_TRUE(c.send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n"));
  res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->header("Allow").value_or(""), "GET, HEAD");
}

TEST_F(ServerTest, HeadAnswersLengthWithoutBody) {
  Server& s = start(strict_options());
  TestClient c(s.port());
  ASSERT_TRUE(c.send(get("/json-small")));
  const auto full = c.read_response();
  ASSERT_TRUE(full);
  ASSERT_TRUE(c.send("HEAD /json-small HTTP/1.1\r\nHost: t\r\n\r\n"));
  const auto head = c.read_response(/*head_request=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Length").value_or(""), std::to_string(full->body.size()));
  EXPECT_EQ(head->header("Content-Type"), full->header("Content-Type"));
  // Had a body been sent, this response would be read from its bytes instead.
  ASSERT_TRUE(c.send(get("/hello")));
  const auto next = c.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "hello");
}

TEST_F(ServerTest, GzipWhenAcceptedAndWorthIt) {
  Server& s = start(strict_options());
  const std::string expected = big_json();

  auto res = one_shot(s, get("/json-big", "Accept-Encoding: br, gzip;q=0.8\r\n"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->header("Content-Encoding").value_or(""), "gzip");
  EXPECT_EQ(res->header("Vary").value_or(""), "Accept-Encoding");
  EXPECT_LT(res->body.size(), expected.size());
  EXPECT_EQ(gzip_decompress(res->body, 1 << 20).value_or(""), expected);

  res = one_shot(s, get("/json-big"));
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->header("Content-Encoding"));
  EXPECT_EQ(res->header("Vary").value_or(""), "Accept-Encoding") << "the answer depends on it";
  EXPECT_EQ(res->body, expected);

  res = one_shot(s, get("/json-big", "Accept-Encoding: gzip;q=0, deflate\r\n"));
  ASSERT_TRUE(res);
  EXPECT_FALSE(res->header("Content-Encoding")) << "q=0 means not acceptable";
  EXPECT_EQ(res->body, expected);

  for (const char* target : {"/json-small", "/opaque", "/png"}) {
    res = one_shot(s, get(target, "Accept-Encoding: gzip\r\n"));
    ASSERT_TRUE(res) << target;
    EXPECT_FALSE(res->header("Content-Encoding")) << target;
  }
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  Server& s = start(strict_options());
  const auto res = one_shot(s, get("/hello", "X-Big: " + std::string(8000, 'a') + "\r\n"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 431);
  EXPECT_EQ(res->body, "<h1>error 431</h1>") << "rendered by the ErrorRenderer";
  EXPECT_EQ(res->header("Connection").value_or(""), "close");
  expect_still_serving(s);
}

TEST_F(ServerTest, OversizedBodyIs413UnlessTheRouteAllowsMore) {
  Server& s = start(strict_options());
  const std::string body(4000, 'b');
  const std::string post = "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4000\r\n\r\n" + body;
  auto res = one_shot(s, post);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);

  res = one_shot(s, "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 4000\r\n\r\n" + body);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "4000");

  // Chunked bodies are counted as they arrive.
  std::string chunked = "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 5; ++i) chunked += "320\r\n" + std::string(800, 'c') + "\r\n";
  chunked += "0\r\n\r\n";
  res = one_shot(s, chunked);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);

  res = one_shot(s,
                 "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                 "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "hello world");
  expect_still_serving(s);
}

TEST_F(ServerTest, ExpectContinueGetsAnInterimAnswer) {
  Server& s = start(strict_options());
  TestClient c(s.port());
  ASSERT_TRUE(
      c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
             "Expect: 100-continue\r\n\r\n"));
  auto interim = c.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.send("12345"));
  auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "12345");
}

TEST_F(ServerTest, SlowClientGets408WithinTheTimeout) {
  Server& s = start(strict_options());  // request_timeout = 1 s
  TestClient c(s.port());
  const std::string request = get("/hello", "X-Padding: " + std::string(100, 'p') + "\r\n");
  const auto start_time = Clock::now();
  std::size_t sent = 0;
  while (sent < request.size() && !c.readable_within(100ms)) {
    if (!c.send(request.substr(sent, 1))) break;
    ++sent;
  }
  const auto res = c.read_response(false, 1000ms);
  const auto elapsed = Clock::now() - start_time;
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 408);
  EXPECT_LT(sent, request.size()) << "the server must not wait for the trickle to finish";
  EXPECT_GE(elapsed, 900ms);
  EXPECT_LT(elapsed, 2500ms);
  EXPECT_TRUE(c.closed_by_server());
  expect_still_serving(s);
}

TEST_F(ServerTest, MalformedRequestsAre400) {
  Server& s = start(strict_options());
  const std::vector<std::string> bad = {
      "GARBAGE\r\n\r\n",
      "GET /hello HTTP/9.9\r\nHost: t\r\n\r\n",
      "GET /hello HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n",
      "GET /hello HTTP/1.1\r\n\r\n",                              // no Host
      "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",        // two Hosts
      "GET http://example.com?x=1 HTTP/1.1\r\nHost: t\r\n\r\n",   // absolute-form, no path
      "GET ftp://example.com/hello HTTP/1.1\r\nHost: t\r\n\r\n",  // not ours to serve
      "GET * HTTP/1.1\r\nHost: t\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
      "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
  };
  for (const auto& raw : bad) {
    const auto res = one_shot(s, raw);
    ASSERT_TRUE(res) << raw;
    EXPECT_EQ(res->status, 400) << raw;
  }
  expect_still_serving(s);
}

TEST_F(ServerTest, AbsoluteFormTargetIsServedByItsPath) {
  // RFC 9112 §3.2.2: a server MUST accept the absolute-form in requests.
  Server& s = start(strict_options());
  const auto res = one_shot(s, "GET http://example.com/static/a HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "file:a");
  const auto root = one_shot(s, "GET HTTPS://example.com HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(root);
  EXPECT_NE(root->status, 400);
}

TEST_F(ServerTest, BadPathEncodingIs400) {
  Server& s = start(strict_options());
  for (std::string target : {"/static/%zz", "/static/%F", "/static/%FF", "/static/%C3%28",
                             "/static/a%00b", "/static/\xC3\x28", "/static/\xFF"}) {
    const auto res = one_shot(s, get(target));
    ASSERT_TRUE(res) << target;
    EXPECT_EQ(res->status, 400) << target;
  }
  const auto ok = one_shot(s, get("/static/ma%C3%B1ana"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->body,
            "file:ma\xC3\xB1"
            "ana");
  expect_still_serving(s);
}

TEST_F(ServerTest, TraversalNeverReachesAFile) {
  Server& s = start(strict_options());
  for (const char* target :
       {"/static/../etc/passwd", "/static/%2e%2e/etc/passwd", "/static/%2E%2E%2Fetc%2Fpasswd",
        "/static/..%2fetc/passwd", "/static/./x", "/../etc/passwd"}) {
    const auto res = one_shot(s, get(target));
    ASSERT_TRUE(res) << target;
    EXPECT_TRUE(res->status == 400 || res->status == 404) << target << " -> " << res->status;
    EXPECT_EQ(res->body.find("file:"), std::string::npos) << target;
  }
  expect_still_serving(s);
}

TEST_F(ServerTest, TooManyConnectionsGet503) {
  ServerOptions o = strict_options();
  o.max_connections = 2;
  Server& s = start(o);
  auto a = std::make_unique<TestClient>(s.port());
  auto b = std::make_unique<TestClient>(s.port());
  for (auto* c : {a.get(), b.get()}) {  // make sure both are accepted and holding a slot
    ASSERT_TRUE(c->send(get("/hello")));
    ASSERT_TRUE(c->read_response());
  }
  {
    TestClient third(s.port());
    third.send(get("/hello"));
    const auto res = third.read_response();
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 503);
    EXPECT_EQ(res->body, "<h1>error 503</h1>");
    EXPECT_EQ(res->header("Connection").value_or(""), "close");
    EXPECT_TRUE(third.closed_by_server());
  }
  a.reset();  // frees a slot
  const auto deadline = Clock::now() + 2s;
  int status = 0;
  while (Clock::now() < deadline && status != 200) {
    TestClient c(s.port());
    c.send(get("/hello"));
    if (auto res = c.read_response()) status = res->status;
    if (status != 200) std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(status, 200);
}

TEST_F(ServerTest, FullWorkerBacklogGets503) {
  ServerOptions o = strict_options();
  o.worker_threads = 1;
  o.max_queued_requests = 1;
  Server& s = start(o);
  TestClient running(s.port());
  ASSERT_TRUE(running.send(get("/slow")));
  while (!slow_started_) std::this_thread::sleep_for(5ms);
  TestClient queued(s.port());
  ASSERT_TRUE(queued.send(get("/pooled")));
  while (s.in_flight() < 2) std::this_thread::sleep_for(5ms);
  TestClient refused(s.port());
  ASSERT_TRUE(refused.send(get("/pooled")));
  const auto res = refused.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 503);
  EXPECT_EQ(running.read_response()->body, "slow done");
  EXPECT_EQ(queued.read_response()->body, "from the pool");
  // Inline routes never queue.
  expect_still_serving(s);
}

TEST_F(ServerTest, HandlerExceptionIs500RevealingNothing) {
  Server& s = start(strict_options());
  TestClient c(s.port());
  ASSERT_TRUE(c.send(get("/boom")));
  const auto res = c.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 500);
  EXPECT_EQ(res->body, "<h1>error 500</h1>");
  for (const auto& [name, value] : res->headers) {
    EXPECT_EQ(value.find("hunter2"), std::string::npos) << name;
  }
  // The connection itself is fine: the request was well-formed.
  ASSERT_TRUE(c.send(get("/hello")));
  EXPECT_EQ(c.read_response()->status, 200);
}

TEST_F(ServerTest, ForwardedHeadersOnlyFromATrustedProxy) {
  Server& direct = start(strict_options());
  const std::string spoof =
      "X-Forwarded-For: 198.51.100.7, 203.0.113.5\r\nX-Forwarded-Proto: https\r\n";
  auto res = one_shot(direct, get("/whoami", spoof));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "127.0.0.1 http");

  ServerOptions o = strict_options();
  o.trust_proxy = true;
  Server& proxied = start(o);
  res = one_shot(proxied, get("/whoami", spoof));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "203.0.113.5 https") << "the last hop is the one our proxy added";
  res = one_shot(proxied, get("/whoami", "X-Forwarded-For: not-an-ip\r\n"));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "127.0.0.1 http");
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequests) {
  ServerOptions o = strict_options();
  o.shutdown_grace = std::chrono::seconds(5);
  Server& s = start(o);
  TestClient idle(s.port());
  ASSERT_TRUE(idle.send(get("/hello")));
  ASSERT_TRUE(idle.read_response());

  TestClient busy(s.port());
  ASSERT_TRUE(busy.send(get("/slow")));
  while (!slow_started_) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(s.in_flight(), 1u);

  const auto t0 = Clock::now();
  std::thread stopper([&s] { s.stop(); });
  s.wait();
  const auto waited = Clock::now() - t0;
  stopper.join();

  const auto res = busy.read_response();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "slow done");
  EXPECT_EQ(res->header("Connection").value_or(""), "close");
  EXPECT_TRUE(idle.closed_by_server(100ms)) << "idle keep-alive connections are closed";
  EXPECT_LT(waited, 4s);
  EXPECT_EQ(s.in_flight(), 0u);
  // No longer accepting.
  EXPECT_THROW(TestClient late(s.port()), std::runtime_error);
}

// run_inline_if: a request the predicate accepts is answered on the I/O thread even while the
// only worker is held; one it refuses (or whose predicate throws) waits for the worker.
TEST(ServerInlineTest, PerRequestInlineDecisionBypassesABusyPool) {
  log::init(log::Level::kError);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<bool> held{false};
  Router router;
  router.get("/hold", [&](Request&) {
    held = true;
    gate.wait();
    return Response::text("released");
  });
  router.post("/maybe", [](Request& r) { return Response::text("answered " + r.body); },
              {.run_inline_if =
                   [](const Request& r) {
                     if (r.body == "throw") throw std::runtime_error("predicate failed");
                     return r.body == "inline";
                   },
               .csrf_exempt = true});
  router.finalize();
  ServerOptions o;
  o.port = 0;
  o.io_threads = 1;
  o.worker_threads = 1;
  Server server(o, router, render_error);
  ASSERT_TRUE(server.start());

  TestClient holder(server.port());
  ASSERT_TRUE(holder.send(get("/hold")));
  while (!held) std::this_thread::sleep_for(5ms);

  auto post = [](std::string_view body) {
    return "POST /maybe HTTP/1.1\r\nHost: test\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + std::string(body);
  };
  TestClient fast(server.port());
  ASSERT_TRUE(fast.send(post("inline")));
  const auto inline_answer = fast.read_response();
  ASSERT_TRUE(inline_answer) << "the inline request must not wait for the held worker";
  EXPECT_EQ(inline_answer->body, "answered inline");

  TestClient pooled(server.port());
  ASSERT_TRUE(pooled.send(post("pooled")));
  TestClient throwing(server.port());
  ASSERT_TRUE(throwing.send(post("throw")));
  EXPECT_FALSE(pooled.readable_within(100ms)) << "refused requests queue for the worker";
  EXPECT_FALSE(throwing.readable_within(0ms));
  release.set_value();
  EXPECT_EQ(holder.read_response()->body, "released");
  const auto pooled_answer = pooled.read_response();
  ASSERT_TRUE(pooled_answer);
  EXPECT_EQ(pooled_answer->body, "answered pooled");
  const auto throwing_answer = throwing.read_response();
  ASSERT_TRUE(throwing_answer);
  EXPECT_EQ(throwing_answer->body, "answered throw");
  server.stop();
  server.wait();
}

TEST(ServerStartTest, UnfinalizedRouterOrBadAddressRefusesToStart) {
  Router router;
  router.get("/", [](Request&) { return Response::text("x"); });
  {
    Server s({.port = 0}, router, render_error);
    EXPECT_FALSE(s.start()) << "routes must be finalized first";
  }
  router.finalize();
  Server bad({.address = "not an address", .port = 0}, router, render_error);
  EXPECT_FALSE(bad.start());
}

}  // namespace
}  // namespace zocalo::http
