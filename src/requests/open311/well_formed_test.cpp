// Black-box check with an independent parser: Debian's python3 standard library
// (xml.etree.ElementTree, json) reads documents this module writes, hostile text included, and
// must neither raise nor read back other text than was meant. /usr/bin/python3 is named on
// purpose: a python3 earlier on PATH (pyenv, a venv) may not be Debian's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "requests/open311/discovery.hpp"
#include "requests/open311/open311_error.hpp"
#include "requests/open311/request_documents.hpp"
#include "requests/open311/service_documents.hpp"
#include "temp_dir.hpp"

namespace zocalo::requests::open311 {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

// Prints, per file: "ok NAME ROOT JSON-OF-FIRST-DESCRIPTION" for XML (root tag and the text of
// the first <description>, ASCII-escaped), "ok NAME" for JSON, or "bad NAME ERROR"; then "done".
constexpr const char* kScript = R"(
import json, os, sys, xml.etree.ElementTree as ET
folder = sys.argv[1]
for name in sorted(os.listdir(folder)):
    path = os.path.join(folder, name)
    try:
        if name.endswith('.xml'):
            with open(path, 'rb') as f:
                data = f.read()
            if not data.startswith(b'<?xml version="1.0" encoding="utf-8"?>'):
                raise ValueError('no XML declaration')
            root = ET.fromstring(data)
            first = root.find('.//description')
            text = None if first is None else (first.text or '')
            print('ok', name, root.tag, json.dumps(text), flush=True)
        else:
            with open(path, encoding='utf-8', errors='strict') as f:
                json.load(f)
            print('ok', name, flush=True)
    except Exception as e:
        print('bad', name, type(e).__name__, str(e).replace('\n', ' '), flush=True)
print('done', flush=True)
)";

const std::string kHostile =
    std::string("</description><status>closed</status>&\"'\0\x1B\r\n\xC3 ]]> <!-- &amp; 🚧", 65);
// What a reader must get back: U+FFFD for NUL, ESC and the lone 0xC3; CR kept.
constexpr const char* kHostileReadBack =
    R"("</description><status>closed</status>&\"'\ufffd\ufffd\r\n\ufffd ]]> <!-- &amp; \ud83d\udea7")";

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  ASSERT_TRUE(out.good()) << path;
}

std::map<std::string, std::string> documents() {
  Service service;
  service.code = "BACHE";
  service.name = {kHostile, ""};
  service.description = {kHostile, ""};
  service.keywords = {"bache", "<k>"};
  AttributeDefinition side;
  side.code = "LADO";
  side.datatype = AttributeDatatype::kMultiValueList;
  side.description = kHostile;
  side.values = {{"N&S", "<Norte>"}};
  service.attributes = {side};

  RequestView request;
  request.service_request_id = "7KQ3M9XA";
  request.service_name = {"Bache", ""};
  request.service_code = "BACHE";
  request.description = kHostile;
  request.requested_datetime = 1'750'000'000;
  request.location = GeoPoint{-99.133208, 19.4326077};
  ExtendedAttributes x;
  x.channel = "phone";
  x.notes = {{1'750'000'000, kHostile, kHostile}};
  request.extended_attributes = x;

  Discovery discovery;
  discovery.changeset = 1'750'000'000;
  discovery.contact = kHostile;
  discovery.endpoints = {DiscoveryEndpoint{}};

  std::map<std::string, std::string> docs;
  for (Format f : {Format::kXml, Format::kJson}) {
    const std::string ext = f == Format::kXml ? ".xml" : ".json";
    docs["services" + ext] = render_service_list({service}, f);
    docs["definition" + ext] = render_service_definition(service, f);
    docs["requests" + ext] = render_requests({request, request}, f);
    docs["post" + ext] = render_post_answer({{"", "tok&<>", kHostile, ""}}, f);
    docs["token" + ext] = render_token_answer({{"", "tok"}}, f);
    docs["errors" + ext] = render_errors({{400, kHostile}}, f);
    docs["discovery" + ext] = render_discovery(discovery, f);
    docs["empty" + ext] = render_requests({}, f);
  }
  return docs;
}

TEST(Open311WellFormedTest, PythonParsesEveryDocumentAndReadsTheTextBack) {
  ASSERT_TRUE(std::filesystem::exists(kPython))
      << kPython << " is missing: apt-get install python3";
  const zocalo::testing::TempDir dir;
  const auto docs = documents();
  for (const auto& [name, text] : docs) write_file(dir.path() / name, text);

  zocalo::testing::ChildProcess python({kPython, "-c", kScript, dir.path().string()});
  std::map<std::string, std::string> xml_read;  // file → "root description"
  std::vector<std::string> json_ok;
  bool done = false;
  while (auto line = python.read_line(std::chrono::seconds(30))) {
    if (*line == "done") {
      done = true;
      break;
    }
    if (line->starts_with("ok ")) {
      const std::string rest = line->substr(3);
      const auto space = rest.find(' ');
      if (space == std::string::npos) {
        json_ok.push_back(rest);
      } else {
        xml_read[rest.substr(0, space)] = rest.substr(space + 1);
      }
    } else {
      ADD_FAILURE() << "python3: " << *line;
    }
  }
  ASSERT_TRUE(done) << "python3 did not finish";
  EXPECT_THAT(json_ok, ::testing::ElementsAre("definition.json", "discovery.json", "empty.json",
                                              "errors.json", "post.json", "requests.json",
                                              "services.json", "token.json"));
  const std::string hostile = kHostileReadBack;
  EXPECT_EQ(xml_read["services.xml"], "services " + hostile);
  EXPECT_EQ(xml_read["definition.xml"], "service_definition " + hostile);
  EXPECT_EQ(xml_read["requests.xml"], "service_requests " + hostile);
  EXPECT_EQ(xml_read["errors.xml"], "errors " + hostile);
  EXPECT_EQ(xml_read["post.xml"], "service_requests null");
  EXPECT_EQ(xml_read["token.xml"], "service_requests null");
  EXPECT_EQ(xml_read["discovery.xml"], "discovery null");
  EXPECT_EQ(xml_read["empty.xml"], "service_requests null");
}

}  // namespace
}  // namespace zocalo::requests::open311
