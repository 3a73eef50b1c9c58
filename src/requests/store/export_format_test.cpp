#include "requests/store/export_format.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace zocalo::requests {
namespace {

ExportRow hostile(std::string description) {
  ExportRow r;
  r.folio = "7K3M9QXA";
  r.service_code = "bache";
  r.service_name = "Bache";
  r.status = "open";
  r.area_code = "09015";
  r.area_name = "Cuauhtémoc";
  r.agency_code = "alcaldia-09015";
  r.agency_name = "Alcaldía Cuauhtémoc";
  r.requested_at = 1'790'000'000;
  r.updated_at = 1'790'000'000;
  r.channel = "web";
  r.point = GeoPoint{-99.1332, 19.4326};
  r.description = std::move(description);
  return r;
}

// The second line of the CSV (the one row), split naively: the tests' values hold no comma
// except where said.
std::string row_line(const std::string& csv) {
  const auto start = csv.find("\r\n") + 2;
  return csv.substr(start, csv.find("\r\n", start) - start);
}

TEST(ExportFormat, NeutralisesEveryFormulaTrigger) {
  EXPECT_EQ(neutralise_formula("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
  EXPECT_EQ(neutralise_formula("+1+2"), "'+1+2");
  EXPECT_EQ(neutralise_formula("-2+3"), "'-2+3");
  EXPECT_EQ(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(neutralise_formula("\tx"), "'\tx");
  EXPECT_EQ(neutralise_formula("\rx"), "'\rx");
  EXPECT_EQ(neutralise_formula("Bache = peligro"), "Bache = peligro");  // only the first char
  EXPECT_EQ(neutralise_formula(""), "");
}

TEST(ExportFormat, CsvCellsCannotRunFormulasButNumbersStayNumbers) {
  for (const char* payload : {"=cmd|' /C calc'!A0", "+HYPERLINK(\"http://evil\")", "-1+1",
                              "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"}) {
    const std::string csv = to_csv({hostile(payload)});
    const std::string line = row_line(csv);
    // The description is the 16th column, quoted with its apostrophe.
    std::string expected = "\"'";
    for (char c : std::string(payload)) {
      if (c == '"') expected += '"';
      expected += c;
    }
    expected += "\"";
    EXPECT_NE(csv.find(expected), std::string::npos) << payload;
    // No field of the row starts with a trigger, except the coordinates we wrote ourselves.
    EXPECT_EQ(line.find(",=", 0), std::string::npos) << payload;
    EXPECT_EQ(line.find(",@", 0), std::string::npos) << payload;
    EXPECT_EQ(line.find(",+", 0), std::string::npos) << payload;
    // The longitude is a number, not text: written as is.
    EXPECT_NE(line.find(",19.4326000,-99.1332000,"), std::string::npos) << line;
  }
}

TEST(ExportFormat, GeoJsonTextPropertiesAreNeutralisedToo) {
  ExportRow r = hostile("=1+1");
  r.area_name = "@x";
  const std::string json = to_geojson({r});
  const auto doc = boost::json::parse(json);
  const auto& props = doc.at("features").at(0).at("properties");
  EXPECT_EQ(props.at("description").as_string(), "'=1+1");
  EXPECT_EQ(props.at("area_name").as_string(), "'@x");
  EXPECT_EQ(doc.at("features").at(0).at("geometry").at("coordinates").at(0).as_double(), -99.1332);
}

}  // namespace
}  // namespace zocalo::requests
