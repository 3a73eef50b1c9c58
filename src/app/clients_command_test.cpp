#include "app/clients_command.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "identity/store/client_store.hpp"
#include "platform/db/database.hpp"
#include "temp_dir.hpp"

namespace zocalo::app {
namespace {

// Parses `args` (after the program name) as main() would and runs the chosen subcommand;
// returns the exit code and what it printed.
std::pair<int, std::string> run(const std::vector<std::string>& args) {
  CLI::App app;
  Config config;
  ClientsCli cli(app, config);
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  app.parse(reversed);
  EXPECT_TRUE(cli.selected());
  ::testing::internal::CaptureStdout();
  const int code = cli.run();
  return {code, ::testing::internal::GetCapturedStdout()};
}

TEST(ClientsCommandTest, AddListRemove) {
  zocalo::testing::TempDir dir;
  const std::string data = dir.path().string();
  auto [added, out] =
      run({"clients", "add", "--data-dir", data, "--name", "Predial en línea", "--redirect-uri",
           "https://predial.example/cb", "--scope", "openid email", "--scope", "offline_access"});
  ASSERT_EQ(added, 0);
  const auto id_at = out.find("client_id: ");
  ASSERT_NE(id_at, std::string::npos);
  const std::string id = out.substr(id_at + 11, out.find('\n', id_at) - id_at - 11);
  EXPECT_NE(out.find("client_secret: "), std::string::npos);

  auto db = db::Database::open({.url = "sqlite:" + data + "/zocalo.db"});
  ASSERT_TRUE(db);
  auto client = identity::ClientStore(**db).find(id);
  ASSERT_TRUE(client && client->has_value());
  EXPECT_EQ((*client)->scopes, (std::vector<std::string>{"openid", "email", "offline_access"}));

  auto [listed, list] = run({"clients", "list", "--data-dir", data});
  EXPECT_EQ(listed, 0);
  EXPECT_NE(list.find(id), std::string::npos);
  EXPECT_NE(list.find("Predial en línea"), std::string::npos);

  EXPECT_EQ(run({"clients", "remove", "--data-dir", data, id}).first, 0);
  EXPECT_EQ(run({"clients", "remove", "--data-dir", data, id}).first, 1);
  // An id from before client ids were hex may start with '-'; `--` still removes it.
  ASSERT_EQ(run({"clients", "add", "--data-dir", data, "--name", "Antiguo", "--grant",
                 "client_credentials", "--client-id=-Antiguo_1"})
                .first,
            0);
  EXPECT_EQ(run({"clients", "remove", "--data-dir", data, "--", "-Antiguo_1"}).first, 0);
  // A public client with client_credentials is refused before anything is written.
  EXPECT_EQ(run({"clients", "add", "--data-dir", data, "--name", "X", "--type", "public", "--grant",
                 "client_credentials"})
                .first,
            2);
}

}  // namespace
}  // namespace zocalo::app
