// `zocalo areas import` through the function main.cpp calls, on both databases: the demo's
// alcaldías file imports; a hostile file changes nothing and exits 1.
#include "app/areas_command.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "db_fixture.hpp"
#include "requests/store/area_store.hpp"

namespace zocalo::app {
namespace {

class AreasCommandTest : public testing::DbTest {
 protected:
  Config config() {
    Config c;
    c.database = url();
    c.log_level = "error";
    return c;
  }
  std::string write(const std::string& name, const std::string& text) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("zocalo-areas-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path, std::ios::binary) << text;
    files_.push_back(path);
    return path.string();
  }
  void TearDown() override {
    for (const auto& f : files_) std::filesystem::remove(f);
    DbTest::TearDown();
  }
  std::vector<std::filesystem::path> files_;
};

TEST_P(AreasCommandTest, ImportsTheDemoFileAndRefusesABowTie) {
  const char* source = std::getenv("ZOCALO_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "ctest sets ZOCALO_SOURCE_DIR";
  const std::string demo = std::string(source) + "/data/cdmx/alcaldias.geojson";
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(import_areas(config(), demo, false), 0);
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("Imported 16 areas"), std::string::npos) << out;

  const std::string bow_tie =
      write("bowtie.geojson",
            R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"x",)"
            R"("name":"X"},"geometry":{"type":"Polygon","coordinates":[[[-99.2,19.3],[-99.1,19.4],)"
            R"([-99.1,19.3],[-99.2,19.4],[-99.2,19.3]]]}}]})");
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(import_areas(config(), bow_tie, true), 1);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("feature 1 (x): self intersection"), std::string::npos) << err;
  EXPECT_EQ(import_areas(config(), write("missing", "") + ".nope", false), 1);

  auto areas = requests::AreaStore(db()).list();
  ASSERT_TRUE(areas);
  EXPECT_EQ(areas->size(), 16u);  // the bow tie's --replace removed nothing
}

ZOCALO_INSTANTIATE_DB_TEST(AreasCommandTest);

}  // namespace
}  // namespace zocalo::app
