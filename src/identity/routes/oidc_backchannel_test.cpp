// Back-Channel Logout 1.0 end to end in process: /oidc/logout/confirmar queues a signed
// logout token for the client the resident used, and the worker POSTs it to the client's
// backchannel_logout_uri (a real socket on loopback standing in for the relying party).
#include "identity/routes/oidc_backchannel.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <thread>

#include "db_fixture.hpp"
#include "identity/jose/jwt.hpp"
#include "identity/oidc/tokens.hpp"
#include "platform/http/form.hpp"
#include "platform/jobs/job_queue.hpp"

namespace zocalo::identity {
namespace {

// Accepts one connection, reads one request (headers and Content-Length body) and answers
// `status`; the request is kept for the test.
class OneShotServer {
 public:
  explicit OneShotServer(int status) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 1);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, status] {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      char buf[8192];
      std::size_t want = std::string::npos;
      while (true) {
        const auto n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        request_.append(buf, static_cast<std::size_t>(n));
        const auto end = request_.find("\r\n\r\n");
        if (end != std::string::npos && want == std::string::npos) {
          const auto at = request_.find("Content-Length: ");
          want = end + 4 + (at == std::string::npos ? 0 : std::stoul(request_.substr(at + 16)));
        }
        if (want != std::string::npos && request_.size() >= want) break;
      }
      const std::string answer = "HTTP/1.1 " + std::to_string(status) +
                                 " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)!::write(c, answer.data(), answer.size());
      ::close(c);
    });
  }
  ~OneShotServer() {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  const std::string& request() {
    if (thread_.joinable()) thread_.join();
    return request_;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::string request_;
};

class BackchannelLogoutTest : public zocalo::testing::DbTest {};

TEST_P(BackchannelLogoutTest, WorkerPostsTheLogoutTokenAndRecordsTheOutcome) {
  OneShotServer rp(200);
  const std::string uri = "http://127.0.0.1:" + std::to_string(rp.port()) + "/backchannel";
  auto id = jobs::JobQueue::enqueue(
      db(), kBackchannelLogoutJob,
      R"({"uri":")" + uri + R"(","logout_token":"a.b.c","client_id":"web"})");
  ASSERT_TRUE(id);
  jobs::Worker worker(db());
  register_job_handlers(worker, db());
  auto ran = worker.run_once();
  ASSERT_TRUE(ran);
  EXPECT_TRUE(*ran);
  const std::string& request = rp.request();
  EXPECT_TRUE(request.starts_with("POST /backchannel HTTP/1.1")) << request;
  EXPECT_NE(request.find("application/x-www-form-urlencoded"), std::string::npos);
  EXPECT_NE(request.find("\r\n\r\nlogout_token=a.b.c"), std::string::npos);
  auto state = jobs::JobQueue::find(db(), *id);
  ASSERT_TRUE(state && state->has_value());
  EXPECT_EQ((*state)->status, jobs::JobStatus::kDone);
}

TEST_P(BackchannelLogoutTest, ARefusalIsPermanentAndOtherFailuresAreRetried) {
  {
    OneShotServer rp(400);
    const std::string uri = "http://127.0.0.1:" + std::to_string(rp.port()) + "/bc";
    auto id = jobs::JobQueue::enqueue(db(), kBackchannelLogoutJob,
                                      R"({"uri":")" + uri + R"(","logout_token":"t"})");
    jobs::Worker worker(db());
    register_job_handlers(worker, db());
    ASSERT_TRUE(worker.run_once());
    rp.request();
    EXPECT_EQ((*jobs::JobQueue::find(db(), *id))->status, jobs::JobStatus::kDead);
  }
  OneShotServer rp(503);
  const std::string uri = "http://127.0.0.1:" + std::to_string(rp.port()) + "/bc";
  auto id = jobs::JobQueue::enqueue(db(), kBackchannelLogoutJob,
                                    R"({"uri":")" + uri + R"(","logout_token":"t"})");
  jobs::Worker worker(db());
  register_job_handlers(worker, db());
  ASSERT_TRUE(worker.run_once());
  rp.request();
  EXPECT_EQ((*jobs::JobQueue::find(db(), *id))->status, jobs::JobStatus::kFailed);
}

ZOCALO_INSTANTIATE_DB_TEST(BackchannelLogoutTest);

}  // namespace
}  // namespace zocalo::identity
